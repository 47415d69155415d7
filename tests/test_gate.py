"""The retrain safety gate's decision and scoring, on hand-built figures (no model needed)."""
from __future__ import annotations

import dataclasses

import pytest

from bot.training.gate import Case, Count, Figures, allowed_loss, decide, load_cases, score
from bot.decision import Decision
from bot.decision import decide as reply_for
from bot.settings import load_settings


def figures(red=(100, 100), alarms=0, en=(38, 41), zh=(37, 41), oos=(2, 2), devset="dev.yml") -> Figures:
    dev = devset is not None
    return Figures(red=Count(*red), false_alarms=Count(alarms, 80),
                   answers={"en": Count(*en), "zh": Count(*zh)} if dev else {},
                   out_of_scope={"en": Count(*oos), "zh": Count(*oos)} if dev else {},
                   devset=devset, cases="abc")


def test_an_equal_or_better_model_passes():
    assert decide(figures(), figures()).passed
    assert decide(figures(en=(40, 41)), figures()).passed


def test_red_flag_recall_below_one_is_refused_whatever_else():
    verdict = decide(figures(red=(99, 100), en=(41, 41)), figures())
    assert not verdict.passed
    assert verdict.reasons[0].values == {"recall": 0.99, "missed": 1}
    assert not decide(figures(red=(99, 100)), None).passed  # even the first model


def test_losing_five_of_41_dev_answers_in_one_language_is_refused_and_four_is_noise():
    assert not decide(figures(zh=(32, 41)), figures()).passed
    assert decide(figures(zh=(33, 41)), figures()).passed
    assert not decide(figures(oos=(0, 2), en=(41, 41)), figures()).passed
    assert decide(figures(oos=(1, 2)), figures()).passed


def test_the_noise_allowed_grows_with_the_cases_but_more_slowly():
    assert [allowed_loss(n) for n in (2, 36, 41, 100, 400)] == [1, 4, 4, 6, 13]


def test_a_refusal_names_the_language_in_the_nurse_s_words():
    from bot.console.model import said
    reason = decide(figures(zh=(30, 41)), figures()).reasons[0]
    assert said("en", reason.message, reason.values) == "Fewer questions answered correctly in Chinese: 30 of 41 instead of 37."


def test_any_new_false_alarm_is_refused():
    verdict = decide(figures(alarms=1), figures())
    assert not verdict.passed and verdict.reasons[0].values == {"now": 1, "before": 0}


def test_without_a_dev_set_the_gate_is_red_flags_and_false_alarms_alone():
    candidate, baseline = figures(devset=None), figures(devset=None)
    assert candidate.answers == {} and candidate.devset is None
    assert decide(candidate, baseline).passed
    assert not decide(figures(devset=None, red=(59, 60)), baseline).passed


def test_figures_from_other_cases_are_not_compared():
    with pytest.raises(ValueError):
        decide(figures(), dataclasses.replace(figures(), cases="other"))


def test_figures_survive_json():
    assert Figures.from_dict(figures().to_dict()) == figures()


def test_scoring_follows_what_the_family_would_get():
    cases = [Case("en", "he is having a fit", "red"), Case("en", "no fever", "calm"),
             Case("en", "can she bath", "answer", ("bathing_showering",)),
             Case("zh", "泵提示电量低", "answer", ("pump_battery",), esc_ok=True),
             Case("zh", "讲个笑话", "out_of_scope")]
    outcomes = [Decision("escalation", severity="red"), Decision("escalation", severity="amber"),
                Decision("answer", "travel"), Decision("escalation", severity="red"), Decision("fallback")]
    result = score(cases, outcomes, None, "x")
    assert result.red == Count(1, 1)
    assert result.false_alarms == Count(1, 3)  # the calm message escalated; esc_ok answers do not count
    assert result.answers == {"en": Count(0, 1), "zh": Count(1, 1)}
    assert result.out_of_scope == {"zh": Count(1, 1)}


def test_a_parse_maps_to_the_reply_the_actions_would_send():
    faq = {"intent": {"name": "faq"}, "red_flags": {},
           "response_selector": {"faq": {"response": {"intent_response_key": "faq/pump_alarm", "confidence": 0.9}}}}
    assert reply_for(faq) == Decision("answer", "pump_alarm")
    unsure = {**faq, "response_selector": {"faq": {"response": {"intent_response_key": "faq/pump_alarm",
                                                                 "confidence": 0.05}}}}
    assert reply_for(unsure).kind == "fallback"
    red = {"intent": {"name": "report_symptom"}, "red_flags": {"severity": "red", "status": "report"}}
    assert reply_for(red) == Decision("escalation", severity="red")
    unsure = {**red, "red_flags": {"severity": "red", "status": "ask"}}
    assert reply_for(unsure) == Decision("clarify", severity="red", clarify="report")
    assert reply_for({**faq, "intent": {"name": "report_symptom"}}).topic == "pump_alarm"  # rules found nothing
    assert reply_for({"intent": {"name": "nlu_fallback"}}).label == "(fallback)"
    assert reply_for({"intent": {"name": "greet"}}).label == "(chitchat)"


def test_the_cases_come_from_the_product_suite_and_the_dev_set(tmp_path, monkeypatch):
    settings = load_settings()
    cases, devset, digest = load_cases(settings)
    assert sum(c.judge == "red" for c in cases) > 40 and any(c.judge == "calm" for c in cases)
    monkeypatch.setenv("CAREBOT_GATE_DEVSET", str(tmp_path / "missing.yml"))
    only_suite, missing, other_digest = load_cases(settings)
    assert missing is None and not any(c.judge == "answer" for c in only_suite)
    assert other_digest != digest or devset is None
