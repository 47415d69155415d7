"""The red-flag detector on independent, hand-written sets of caregiver messages
(content/safety/: every category × context × style, both languages), plus the rules that
combine signs. Every tuning case must pass; the held-out part is judged by its figures only."""
from __future__ import annotations

import dataclasses
import re

import pytest
import yaml

from bot.redflags import suite
from bot.settings import ROOT
from bot.redflags import context as context_module
from bot.redflags import detector as detector_module
from bot.redflags.context import Context
from bot.redflags.detector import (ASK, MAX_CLAUSES, MAX_SIGNS_JUDGED, REPORT, WORD, Detector, cues_as_read, detector,
                                  one_edit_apart)
from bot.redflags.cases import OPEN
from bot.redflags.combos import ChineseCombos, EnglishCombos
from bot.redflags.lexicon import Combo, LexiconError, Term, parse_lexicon
from bot.redflags.phrases import PART_BREAK, Guarded

CASES = suite.load_cases()
TUNING = [c for c in CASES if c.split == suite.TUNE]
# Floors at the held-out figures measured when the lexicon was last grown (bench/results/
# redflags.md; session 14, with blind sets 12 and 13: 0.993 / 0.996 / 0.955 — set 13 is mostly
# hard non-reports, so the last figure fell from 0.959 without the detector getting worse;
# session 15 added blind set 15, whose held-out third has 3 red reports the detector misses,
# which brought red recall to 0.987; and blind set 16, whose held-out third has 8 false alarms
# in 92, which brought "not escalated" to 0.948; session 16 added blind set 17, whose held-out
# third has 1 red and 2 amber reports missed, which brought any-severity recall to 0.989;
# session 17 added blind set 18, whose held-out third has 2 red reports missed: 0.986 / 0.991 /
# 0.950; and blind set 19, written for hard contexts, whose held-out third has 5 red reports
# missed and 14 false alarms in 89, the same at first look and after tuning: 0.981 / 0.988 /
# 0.940); session 18 added blind set 20, whose held-out third has 1 red report missed and 2 false
# alarms in 39 (0.982 / 0.990 / 0.940); session 19 added the Chinese third of blind set 21,
# written to be hard for false alarms, with 4 in 33 (0.983 / 0.990 / 0.9395), and the thirds of
# blind sets 22 and 23 (set 23: updates mixing what is over with what is now; first look 7 and 4
# false alarms in 30): 0.983 / 0.989 / 0.934; session 20 added blind sets 27 (hard reports beside
# other people and things over; its held-out thirds unchanged by tuning on the rest) and 28
# (reports wrapped in questions; the English third has 2 red reports missed): 0.979 / 0.990 /
# 0.932; session 21 added blind set 29 (posts and chats) and set 30 (real public wording; its
# Chinese third has 1 red report missed and 3 false alarms in 6): 0.979 / 0.988 / 0.930, so the
# last floor went from 0.93 to 0.925; session 23 added set 31 (real public wording) and blind
# set 32 (written as parents type at night): 0.979 / 0.987 / 0.931; session 24 added sets 33 and
# 35 (real public wording), blind set 34 and blind sets 36 (Chinese) and 37 (English), the last two
# weighted towards the kinds of the held-out misses (whose thirds have 2 and 1 red reports
# missed): 0.975 / 0.987 / 0.929, so the red floor went from 0.975 to 0.97; session 25 added blind
# set 39 (run-on dictation, rules quoted before reports, hard non-reports), whose held-out third
# has 8 false alarms in 33 at the first look: 0.976 / 0.987 / 0.923, so the last floor went from
# 0.925 to 0.92; session 26 added blind sets 40 (lay words, questions, relays) and 41
# (life-threatening signs told as what a parent sees, without the medical word), whose held-out
# third has 13 red reports in 62 missed at the first look (11 escalated or asked about but not as
# emergencies, 1 as amber, 1 not at all): 0.968 / 0.988 / 0.924, so the red floor went from 0.97
# to 0.965; then blind set 42 (what a parent sees and hears, in everyday words), whose held-out
# third has 12 red reports in 54 missed at the first look (9 of them Chinese): 0.961 / 0.988 /
# 0.923, so the red floor went to 0.96; then set 43 (real public wording) and blind set 44
# (everyday and regional Chinese on WeChat: Cantonese, Wu, Sichuanese…), whose held-out third has 6
# red reports in 43 missed at the first look (5 Chinese): 0.958 / 0.988 / 0.919 — all held-out
# sets, against 0.955 / 0.986 / 0.919 for the session's start on the same cases — so the floors
# went to 0.955 and 0.915; with blind set 45 (the first message instead of a call to the triage
# line) the session ended at 0.961 / 0.987 / 0.920 (its start: 0.950 / 0.986 / 0.919); with blind sets 46
# and 47 (session 27) 0.957 / 0.987 / 0.921; with blind sets 48–53 (session 28) 0.960 / 0.988 / 0.922, so
# the floors went to 0.957 / 0.986 / 0.919 (a retrained second opinion moves a case or two); with
# blind sets 65–75 (session 30) 0.960 / 0.989 / 0.927, so the floors went to 0.958 / 0.987 / 0.922;
# with the urgency of asked messages and blind sets 78–80 held out whole (session 31) 0.970 / 0.990
# / 0.931, so the floors went to 0.967 / 0.988 / 0.928; with blind sets 83 and 84 held out whole
# (session 32) 0.971 / 0.990 / 0.936, so the floors went to 0.970 / 0.988 / 0.933; with a red flag
# asked about when the second opinion doubts a long message (session 33) 0.971 / 0.990 / 0.949, so
# the last went to 0.945; with a sign in a question about keeping somebody apart, or a fever the
# hospital has seen told as an update, asked about, and blind set 86 held out whole (session 34)
# 0.972 / 0.991 / 0.949, so the floors went to 0.971 / 0.989 / 0.947.
# Session 35 (a greyish child, no spare battery, how-to-tell questions, 也; blind sets 87 and 88
# held out whole): 0.978 / 0.995 / 0.949, so the floors went to 0.976 / 0.992 / 0.947.
# Session 37 (households, figures of speech, another family's news; blind set 91 held out whole):
# 0.980 / 0.995 / 0.955, so the floors went to 0.977 / 0.993 / 0.952.
# These are below the red-flag target of 1.0, which is not met: a change may not make them worse.
HOLDOUT_RED_RECALL = 0.977
HOLDOUT_ANY_RECALL = 0.993
HOLDOUT_NOT_ESCALATED = 0.952
CATEGORIES = {"fever", "breathing", "neuro", "circulation", "bleeding", "abdominal", "allergic", "pump_failure",
              "line_infection", "vomiting", "urine", "skin", "neuro_mild", "line_dressing", "exposure", "mouth", "unwell"}


@pytest.mark.parametrize("lang,expect,context", sorted({(c.lang, c.expect, c.context) for c in TUNING}))
def test_tuning_cases(lang, expect, context):
    """Every tuning case of one language, label and context: a report escalates (or is asked
    about, and escalates on "yes") at the right severity; a message that is not a report is never
    escalated without asking. (One test per group, not per case: 16,000 tests cost a minute of
    test-runner overhead alone.)"""
    cases = [c for c in TUNING if (c.lang, c.expect, c.context) == (lang, expect, context)]
    failed = [(r.case.text, r.found) for r in suite.run(cases) if not r.passed]
    assert not failed, f"{len(failed)} of {len(cases)} failed: {failed[:10]}"


def test_held_out_cases_meet_the_targets():
    """Figures only (its failures are not shown, so that nobody tunes on them)."""
    results = suite.run(c for c in CASES if c.split == suite.HOLDOUT)
    reports = [r for r in results if r.case.expect != "none"]
    red = [r for r in reports if r.case.expect == "red"]
    others = [r for r in results if r.case.expect == "none"]
    assert len(reports) > 150 and len(others) > 80
    red_recall = sum(r.passed for r in red) / len(red)
    any_recall = sum(r.escalated for r in reports) / len(reports)
    not_escalated = sum(r.passed for r in others) / len(others)
    print(f"held out: red recall {red_recall:.3f}, any {any_recall:.3f}, non-reports not escalated {not_escalated:.3f}")
    assert red_recall >= HOLDOUT_RED_RECALL and any_recall >= HOLDOUT_ANY_RECALL
    assert not_escalated >= HOLDOUT_NOT_ESCALATED


def test_only_false_alarms_are_left_open():
    """A tuning case may be parked as `open` only when it is a false alarm: a missed report
    is never left for later."""
    parked = [c for c in CASES if c.split == OPEN]
    assert parked and all(c.expect == "none" for c in parked)


def test_reports_wrapped_in_questions_escalate_and_questions_do_not():
    for text in ("孩子发烧39度，正常吗", "he's had a seizure, is this a side effect of blina?",
                 "my daughter's lips are going blue, which number should i ring", "P rose to 38 point something at 2:30am"):
        assert detector().assess(text).status == REPORT, text
    for text in ("儿童白血病会反复发烧吗", "多少度算发烧", "can blina cause seizures",
                 "she had a fever last week, it's gone now, can she go back to school?", "fever free for 3 days now",
                 "sorry i got disconnected from the chat", "my phone battery is dead", "她刚才笑得止不住"):
        assert detector().assess(text).status is None, text
    # What counts as a fever is a question of the clinic's rule, also when said of the child;
    # a reading is still a report ("女儿38.5算发烧吗"), and so is a fever said to be going on.
    for text in ("what temperature counts as a fever for her", "when is a fever too high for my daughter",
                 "女儿多少度算发烧"):
        assert detector().assess(text).status is None, text
    for text in ("女儿38.5算发烧吗", "女儿发烧了，多少度算高烧", "孩子反复发烧多少度需要去急诊"):
        assert detector().assess(text).status == REPORT, text
    # A pump silent all night, money "burnt": nothing to report; a pump alarming all night, a
    # fever near money words, the child's own muddle: reports.
    for text in ("泵一晚上一声没响 终于睡了个整觉", "这个月买药又烧了好几千"):
        assert detector().assess(text).status is None, text
    for text in ("she seems confused by simple questions", "he keeps saying I'm so confused mummy",
                 "my son said my words are all jumbled", "泵一晚上都在报警", "泵一晚上报了好几次警",
                 "泵一晚上闪红灯", "孩子高烧钱不是问题", "孩子在发烧，多少度要去医院",
                 "半夜醒了问我这是那 说要回家 我们就在家啊"):
        assert detector().assess(text).status == REPORT, text
    # The rules find no sign in it; the second opinion, retrained with every new tuning case,
    # sits near its bar here (0.43 against 0.4 after blind set 30): asking is allowed, paging not.
    assert detector().assess("he started his seizure medicine today").status != REPORT


# Words after which anything can follow, the report too: "a fever for" + "two days".
OPENERS = {"for", "at", "in", "of", "from", "with", "on", "to", "by", "a", "an", "the", "his", "her", "my",
           "our", "their", "about", "into"}


def test_no_ignored_phrase_that_names_a_sign_stops_at_an_open_end():
    """An ignored phrase is removed before matching: one that names a sign and ends where the
    sentence goes on ("fever for", "blue from a") removed the sign from real reports."""
    found = detector()
    open_ended = [p for p in found.lexicon.cues["ignore"]["en"] if p.split()[-1] in OPENERS]
    assert [p for p in open_ended if found._term_signs(f" {p} ", frozenset())] == []


@pytest.mark.parametrize("text", [
    "he has had a fever for two days", "they flushed his line at the clinic today",
    "pump screen went blank, no lights no nothing", "his lips went blue from a coughing fit",
    "he is confused about where he is", "the dressing is coming off his chest",
    "she has a rash of tiny purple dots on her legs", "he mixed up his words at dinner",
])
def test_reports_that_ignored_phrases_once_hid_are_found(text):
    assert detector().assess(text).status in (REPORT, ASK), text


@pytest.mark.parametrize("text", ["孩子没验血发烧了", "今天没去验血抽搐了", "没吃退烧药又抽搐了", "没抽血呕血了", "体温计没在抽屉里孩子烫得吓人",
                                  "no fever meds yet he is fitting", "not had any fever medicine he is fitting"])
def test_a_negation_before_an_ignored_phrase_is_about_that_phrase(text):
    """"没吃退烧药" negates the medicine, not the seizure after it: the negation's reach ends
    where an ignored phrase was (these were missed while it did not)."""
    assert detector().assess(text).status in (REPORT, ASK), text


@pytest.mark.parametrize("text,statuses", [
    # the pump being fine again says nothing of the child's signs said before it
    ("Today he has been on the couch since morning and when his sister poked him he did not even react. "
     "No temp, 36.9. Pump running fine.", {ASK}),
    # but the pump's own alarm is over when the pump is said to be fine
    ("the pump started beeping and said occlusion. The tube was kinked. Straightened it out, the alarm "
     "stopped and it has been running fine for the last hour.", {None, ASK}),
    # another family's child named before a sign is not the message naming this child
    ("病房里有个宝宝肚子疼哭了一晚上 听着好心疼", {None}),
])
def test_what_a_message_says_later_or_elsewhere_is_read_for_whom_it_is_said(text, statuses):
    assert detector().assess(text).status in statuses, text


@pytest.mark.parametrize("text", ["我家孩子在抽，怎么办", "孩子在抽！", "娃在抽怎么办"])
def test_a_seizure_told_as_zai_chou_where_the_part_ends_is_an_emergency(text):
    """"在抽" with nothing after it is a seizure; "在抽纸巾" is not, so only its part's end counts."""
    found = detector().assess(text)
    assert (found.status, found.emergency) == (REPORT, True), text


@pytest.mark.parametrize("text", ["still there?", "anything", "yes", "Travel and trips", "是的", "不是", "好的"])
def test_a_few_words_with_no_sign_are_not_asked_about(text):
    """The second opinion's lower English threshold is for messages with enough words to judge."""
    assert detector().assess(text).status is None, text


def test_a_bare_sign_is_asked_about_not_guessed():
    found = detector().assess("seizure")
    assert found.status == ASK and found.severity == "red" and found.emergency


@pytest.mark.parametrize("text,status", [
    ("小孩子手抖是什么原因引起的", ASK),      # a Q&A title about any child: asked, not paged
    ("小孩流鼻血是什么原因", ASK),
    ("儿童流鼻血是怎么回事", None),          # no child at all: a question
    ("孩子抽搐是咋回事", ASK),
    ("我家孩子手抖是怎么回事", REPORT),       # this family's child
    ("孩子手抖了是怎么回事", REPORT),         # it has happened
    ("孩子刚才抽搐是咋回事", REPORT),         # just now
])
def test_why_a_child_has_a_sign_is_asked_about_unless_it_is_this_child(text, status):
    """(The rules alone: the second opinion may still ask about a same-day sign's report that
    does not sound like one — "我家孩子手抖是怎么回事" is a tremor.)"""
    assert Detector(detector().lexicon).assess(text).status == status


def test_the_lexicon_covers_every_category_in_both_languages():
    lexicon = detector().lexicon
    assert set(lexicon.severity) == CATEGORIES
    for category in CATEGORIES:
        for lang in ("en", "zh"):
            assert any(t.category == category and t.lang == lang for t in lexicon.terms), (category, lang)
            assert lexicon.advice[category][lang], (category, lang)


def test_two_amber_signs_together_are_red():
    found = detector().assess("she keeps vomiting and has a new rash spreading on her tummy")
    assert found.severity == "red" and {"vomiting", "skin"} <= set(found.categories)


def test_a_clinic_threshold_of_38_5_changes_what_counts():
    assert detector().assess("temp 38.2", fever_threshold_c=38.0).severity == "red"
    assert detector().assess("temp 38.2", fever_threshold_c=38.5).severity is None
    assert detector().assess("temp 38.5", fever_threshold_c=38.5).severity == "red"


def test_a_borderline_temperature_counts_only_with_another_sign():
    assert detector().assess("his temp is 37.7").severity is None
    found = detector().assess("his temp is 37.7 and he threw up three times")
    assert found.severity == "red" and "fever" in found.categories


@pytest.mark.parametrize("a,b,expected", [
    ("siezure", "seizure", True), ("fevr", "fever", True), ("breathin", "breathing", True),
    ("feverr", "fever", True), ("never", "fever", False), ("fewer", "fever", False), ("fever", "fever", True),
])
def test_typos_are_forgiven_but_other_words_are_not(a, b, expected):
    assert one_edit_apart(a, b) is expected


def test_a_broken_lexicon_is_refused_with_a_clear_message():
    with pytest.raises(LexiconError, match="fever: severity"):
        parse_lexicon({"categories": {"fever": {"severity": "purple", "terms": {"en": ["x"]}}}})
    with pytest.raises(LexiconError, match="expected a list"):
        parse_lexicon({"categories": {"fever": {"severity": "red", "terms": {"en": "fever"}}}})
    combo = {"things": {"en": ["his name"]}, "problems": {"en": ["no reaction"]}, "across_comma": True}
    with pytest.raises(LexiconError, match="neuro.combos\\[0\\]: unknown key 'across_comma'"):
        parse_lexicon({"categories": {"neuro": {"severity": "red", "combos": [combo]}}})


def test_advice_that_names_an_undeclared_position_is_refused():
    doc = yaml.safe_load((ROOT / "content" / "redflags.yml").read_text(encoding="utf-8"))
    doc["categories"]["fever"]["advice"]["en"] = "Sit your child up and keep them cool."
    with pytest.raises(LexiconError, match="fever.advice.en advises the position 'sitting'"):
        parse_lexicon(doc)
    doc["categories"]["fever"]["position"] = "upside_down"
    with pytest.raises(LexiconError, match="fever.position: must be one of side, flat, sitting"):
        parse_lexicon(doc)


def test_lexicon_edits_apply_without_a_restart(tmp_path):
    path = tmp_path / "redflags.yml"
    doc = {"categories": {"exposure": {"severity": "amber", "terms": {"en": ["chickenpox"], "zh": ["水痘"]}}}}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert "exposure" not in detector(path).assess("his friend has mumps").categories
    doc["categories"]["exposure"]["terms"]["en"].append("mumps")
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    import os
    os.utime(path, (1, 1))  # a different mtime even within the same second
    edited = detector(path).assess("his friend has mumps")
    assert (edited.severity, edited.categories) == ("amber", ["exposure"])
    assert isinstance(detector(path), Detector)


@pytest.mark.parametrize("text,severity,categories", [
    ("he is having a seizure right now", "red", ["neuro"]),       # "having" is not "heaving"
    ("she is eating well and playing", None, []),                 # "eating" is not "beating"
    ("he cant breathin properly", "red", ["breathing"]),          # a real typo still counts
    ("my son's pump keeps beeping, what should I check?", None, []),  # an alarm to check, not a failure
    ("not sure if he has a fever, he feels hot", "red", ["fever"]),   # hedging is not a hypothetical
    ("i dont know if this is a seizure but his arm keeps jerking", "red", ["neuro"]),
    ("他没发烧但是一直在抽", "red", ["neuro"]),                          # the negation stays in its clause
    ("fever gone now", None, []),
    ("who is our contact for everyday questions", None, []),     # "everyday" is not "fever"
    ("已经退烧了", None, []),
    ("抽血的时候哭了", None, []),                                      # a blood draw is not a seizure
    ("the ward said to recheck his temp in an hour", None, []),   # "recheck" is not "retch"
    ("the pump battery is recharging", None, []),
])
def test_real_words_are_not_typos_of_warning_signs(text, severity, categories):
    found = Detector(detector().lexicon, second=None).assess(text)  # the lexicon's reading alone
    assert found.severity == severity and found.categories == categories, found


@pytest.mark.parametrize("text,emergency", [
    ("his sats are 88% and he's breathing fast", True), ("血氧饱和度只有85，嘴唇有点紫", True),
    ("pulse ox says 91 on her finger", True),
])
def test_a_low_oxygen_reading_is_a_breathing_emergency(text, emergency):
    found = detector().assess(text)
    assert found.status == "report" and "breathing" in found.categories and found.emergency is emergency


def test_a_normal_oxygen_reading_is_not_a_sign():
    assert detector().assess("sats 97 on the probe, all good").status is None


@pytest.mark.parametrize("text", ["HR 172 on his watch and he's just lying there", "手表显示她睡觉的时候心率170，正常吗？",
                                  "心跳一分钟180次", "pulse ox says 97 and pulse 175"])
def test_a_fast_heart_rate_reading_is_a_circulation_red_flag(text):
    found = Detector(detector().lexicon, second=None).assess(text)  # the reading alone, not the model
    assert found.status == "report" and "circulation" in found.categories and found.severity == "red", found


@pytest.mark.parametrize("text", ["his heart rate is 95 and sats 98", "her resting heart rate is 80",
                                  "pulse 140 after running round the garden"])
def test_a_normal_heart_rate_is_not_a_circulation_sign(text):
    assert "circulation" not in Detector(detector().lexicon, second=None).assess(text).categories


@pytest.mark.parametrize("term,message", [
    ("wouldn't wake", "she wouldn't wake up properly this morning"),   # "wouldn't": "wouldn" + "t"
    ("wouldn't respond*", "he wouldn't respond to his name"),
    ("moving on its own", "the arm is moving on its own"),              # "its" is read as "it is"
])
def test_a_term_is_read_as_a_message_is(term, message):
    """A nurse writes terms as people write: such terms never matched before."""
    lexicon = dataclasses.replace(detector().lexicon, terms=[Term("neuro", term, "en", "red", False)])
    assert Detector(lexicon, second=None).assess(message).categories == ["neuro"]


def test_a_cue_is_read_as_a_message_is():
    """A message's "dont know if" is read as "do not know if", 發燒 as 发烧: so are the cues."""
    assert cues_as_read({"ignore": {"en": ["dont know if", "im confused"], "zh": ["發燒"]}}) == \
        {"ignore": {"en": ["do not know if", "i am confused"], "zh": ["发烧"]}}


@pytest.mark.parametrize("text,expected", [
    ("It's meant to hit 38 degrees in Perth today, can he go to the beach?", None),
    ("洗澡水38度可以吗", None),
    ("his temp is 38.6 and the weather is hot", "report"),
])
def test_the_weather_is_not_the_child(text, expected):
    assert detector().assess(text).status == expected


@pytest.mark.parametrize("text", ["she had a blue slushie and now her lips are blue",
                                  "要是这也算发烧的话，孩子现在就是在发烧"])
def test_a_look_alike_or_a_conditional_said_of_the_child_now_is_asked_about(text):
    """Neither escalated nor dropped: the parent is asked whether it is happening now."""
    assert detector().assess(text).status == ASK


def test_a_plain_conditional_is_still_a_question():
    assert detector().assess("如果孩子抽搐了怎么办").status is None


def test_the_latest_reading_of_a_long_log_is_read():
    """Only the first and the last numbers of a message are read (a bounded cost): a pasted log's
    latest reading comes last."""
    log = ", ".join(f"{hour}pm 37.{hour}" for hour in range(1, 10))
    assert detector().assess(f"his temps tonight: {log}, and now he is 39.4").status == REPORT


def test_a_reading_past_the_judged_few_is_asked_about_not_passed_over():
    """Only the first readings in a message are weighed word by word (a bounded cost); a later
    one at the threshold still gets the "happening now?" question, never silence."""
    text = "if it goes to 38.5 we call, " * 13 + "she is 39.5 now"
    assert detector().assess(text).status in (ASK, REPORT)
    assert detector().assess("if it goes to 38.5 we call, " * 3).status is None


def test_a_long_message_s_first_and_last_sentences_are_judged_and_its_middle_asked_about():
    """Past MAX_CLAUSES sentences the middle of a message is one part whose signs are asked
    about without weighing their words (a bounded cost): never dropped, an emergency keeps its
    emergency instructions, and the last sentences, where "now" usually is, are still judged."""
    calm = "we are fine. " * (MAX_CLAUSES + 5)
    assert detector().assess(calm + "he is having a seizure").status == REPORT
    found = detector().assess("we are fine. " * (MAX_CLAUSES - 4) + "he is having a seizure. " + calm)
    assert (found.status, found.emergency) == (ASK, True)
    assert detector().assess("we are fine. " * 3 + "he is having a seizure").status == REPORT
    # Past the API's 1000 characters (only a direct caller can send more), the end is still read.
    assert detector().assess("we are fine today. " * 80 + "now he is having a seizure").status == REPORT


def test_where_a_part_ends_is_found_as_the_plain_pattern_finds_it():
    """PART_BREAK is written for speed; it must find what its plain form finds, on every case."""
    plain = re.compile(r"[,，、]|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
    for text in (detector_module.normalise(case.text) for case in CASES):
        assert [m.span() for m in PART_BREAK.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_a_guarded_pattern_is_skipped_only_where_it_could_not_match(monkeypatch):
    """A Guarded pattern runs only on text holding one of its needles (a bounded cost on long
    text). On every text the detector gives it while judging the suite, wherever the pattern
    matches a needle is there: skipping it never changes a decision."""
    needed_by = Guarded.may_match
    seen: dict[Guarded, list[str]] = {}
    monkeypatch.setattr(Guarded, "may_match", lambda pattern, text: seen.setdefault(pattern, []).append(text) or True)
    context_module.Clause.of.cache_clear()  # texts read before would not reach the patterns
    judge = Detector(detector().lexicon)
    for case in CASES:
        judge.assess(case.text)
    context_module.Clause.of.cache_clear()
    guarded = {name: value for name, value in vars(context_module).items() if isinstance(value, Guarded)}
    assert len(guarded) >= 13
    for name, pattern in guarded.items():
        matched = [text for text in seen.get(pattern, []) if pattern.regex.search(text)]
        assert matched, f"{name} matches nothing the suite gives it: its needles are not checked"
        assert all(needed_by(pattern, text) for text in matched), name


@pytest.mark.parametrize("text", [
    "Hi, this is Leo's mum. Vomiting since 4am, six times.",   # a parent says who they are
    "我是孩子的妈妈，今天拉了六次水样便",
    "I am his grandma and he has a rash",
    "my wife is worried he has a rash",                        # somebody who watches the child
    "my husband and I think she is having a seizure",
    "我和老公都觉得她在抽搐",
    "my husband is holding her and she is having a seizure",   # "she" cannot be the husband
    "we've had vomiting all night, she is so tired",           # parents' "we" for the child
    "宝宝在用双抗，我们一直在吐",
    "孩子今天不太好，我摸着很烫",                                 # how the writer found it
    "吓得我一量39度5",                                          # a reading after "…得我"
    "Who do I call - 39.4",                                    # a reading after "call"
    "怪不得我摸他很烫",                                          # 怪不得 is no negation
    "Im her mum her lips are blue",                            # the writer, not somebody else
    "Mum here, she's got a rash all over",
    "I'm her grandma and she has a rash",
    "我是孩子奶奶，他嘴唇发紫",
    "Im Ellies brother, my sister is having a seizure and mum is at work",  # a sibling's "my sister"
    "我是她哥哥，我妈不在家，妹妹在抽搐",
    "my husband has a fever and now she has a fever too",      # the same sign, then of the child
    "我老公发烧了，宝宝现在也发烧了",
    "姐姐吐了，弟弟也在吐，弟弟在用双抗",                            # the message says who is on treatment
])
def test_a_parent_writing_about_the_child_is_a_report(text):
    """The rules report it; the second opinion may only ask first about a same-day sign."""
    assert Detector(detector().lexicon).assess(text).status == REPORT
    found = detector().assess(text)
    assert found.status == REPORT or (found.status == ASK and found.severity == "amber")


@pytest.mark.parametrize("text", [
    "my wife is running a fever thirty eight point six and she's got the shivers",
    "I'm 15 and on blina for my leukaemia. I threw up twice this morning",  # a teenager's "I"
    "hi its Jake, Ellie's brother, I'm 13. I threw up twice after school",
    "my mum's at work and I keep throwing up, I'm the one on blina",
    "my husband came home and the line was disconnected",      # a red sign after an adult: asked
    "I've had him up all night vomiting",
])
def test_a_sign_that_may_be_the_writer_s_or_another_s_is_asked_about(text):
    assert detector().assess(text).status == ASK


@pytest.mark.parametrize("text", ["ring 111 for her, she's asleep now", "冻得我嘴唇发紫，孩子在病房里暖和着呢",
                                  "The boy in the next bed had a seizure and it really frightened my son",
                                  "大宝今天在学校发烧了，38.5，老师让接回来了。二宝在用贝林妥欧单抗，俩孩子要分开住吗？"])
def test_other_people_s_signs_and_health_lines_are_not_reports(text):
    assert detector().assess(text).status != REPORT


def test_only_the_first_signs_are_weighed(monkeypatch):
    """A sign said hundreds of times is judged word by word at most MAX_SIGNS_JUDGED times."""
    judged = []
    monkeypatch.setattr(detector_module, "classify", lambda *a, **k: judged.append(a) or Context.NOT_NOW)
    found = detector().assess("fever. " * (MAX_SIGNS_JUDGED + 3))
    assert len(judged) == MAX_SIGNS_JUDGED
    assert found.status == ASK  # the ones past the judged few are asked about


def test_who_a_sign_belongs_to_is_read_part_by_part():
    """A space between Chinese words ends a part as a comma does; a phrase that is dropped does
    not; a bracketed aside is about whoever was just named; a reading after somebody else's
    own complaint is asked about, not escalated."""
    assert detector().assess("同病房那个小弟弟今天抽搐了 我们家的还好好的").status != REPORT
    assert detector().assess("孩子 抽搐了 叫不醒").status == REPORT
    assert detector().assess("玩具水枪的pump坏了，一直漏水").status != REPORT
    assert detector().assess("My dad's PICC (he's having chemo) is red round the site").status != REPORT
    assert detector().assess("her PICC (she's 6) is red round the site").status == REPORT
    assert detector().assess("I've got a raging temp myself, 38.9, so my mum's doing the night shift with him").status == ASK
    assert detector().assess("my husband checked her, 38.9").status == REPORT


def test_the_faster_look_ups_find_what_the_plain_ones_find():
    """The second opinion looks up an n-gram only where the two shorter n-grams in it are known,
    which a vocabulary cut by min_df alone guarantees; the ignore phrases are searched with one
    regex per script. Both find what the plain way finds."""
    from bot.redflags import second_opinion as second
    from bot.redflags.phrases import Phrases, alternation

    opinion = second.second_opinion()
    assert all(g[:-1] in opinion.scores and g[1:] in opinion.scores for g in opinion.scores if len(g) > 2)
    ignore = detector().lexicon.cues["ignore"]
    phrases = ignore["en"] + ignore["zh"]
    plain, split = re.compile(alternation(phrases)), Phrases(phrases)
    texts = [c.text.lower() for c in CASES] + [" ".join(phrases[::7]), "".join(phrases[::5])]
    for text in texts:
        assert opinion._known_ngrams(text) == [g for g in second.ngrams(text) if g in opinion.scores]
        assert [m.span() for m in split.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("text", [
    "孩子抽搐时不时发作", "孩子发烧时高时低", "孩子鼻血时多时少",       # 时 inside a word, not "when"
    "他抽搐的时候我录了视频", "儿子抽搐时持续了两分钟", "宝宝发烧的时候我给他吃了退烧药",  # telling what happened
    "he is not breathing properly, what about me calling 999?",     # "about me" is not the topic
    "this is not really about me, he's having a seizure",
    "他发烧39度了，我自己的情况也不太好",
    "my daughter, not the one i mentioned earlier but the one on blina, is 39.2 now",
    "vomiting all night and 39.2 this morning. its her big sister who brought the bug home",
    "he has a fever", "孩子发烧了", "the pump keeps beeping occlusion",  # red: never doubted
    "孩子发烧39度，冰箱里的退烧药还能用吗", "孩子抽搐了，当时我正在用微波炉热奶",  # a device named nearby
    "泵的报警器一直响", "我不是问我自己。泵停了，一直报警",
    "im her brother who is 16, my sister cant breathe properly",  # a sibling writer says more
    "孩子喘得厉害，呼吸这么快算快吗",
])
def test_reports_that_look_like_the_new_rules_stay_reports(text):
    assert detector().assess(text).status == REPORT


@pytest.mark.parametrize("text,status", [
    ("流鼻血的时候可以躺下吗", None),          # what to do when it happens
    ("拉肚子的时候吃什么比较好", None),
    ("孩子抽搐时我该怎么办", ASK),             # life-threatening: asked, never dropped
])
def test_a_sign_said_as_when_it_happens_in_a_question(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    ("烧退了三天了，今天可以去上学吗", None),
    ("he had a seizure an hour ago", REPORT),          # an hour ago is now
    ("he had a seizure when he was 3 weeks into blina", REPORT),
    ("She had a seizure when she was 5 minutes into her bath", REPORT),
    ("he's had a fever since tuesday", REPORT),        # since Tuesday and still going
    ("she's been fine since tuesday but now she has a fever", REPORT),
    ("He's had a seizure, he'd been fine since Tuesday", REPORT),   # "fine since" is not the seizure's
    ("His fever hasn't gone for 3 days", REPORT),
    ("他发烧39度，没退烧三天了", REPORT),
    ("He started blina 2 weeks ago and has a fever of 39", REPORT),  # a past time of something else
    ("His line was put in a while back and it's leaking blood", REPORT),
    ("他抽搐的样子跟3岁的时候高热惊厥一样", REPORT),                  # compared with the past, happening now
    ("就那会儿他开始抽搐，到现在还没停", REPORT),
    # Not silent; the second opinion hears a story of the first cycle in it (0.06): asked.
    ("In the first cycle he was fine, he was really confused and not making sense after tea", ASK),
    ("Two years ago, she had a seizure", ASK),          # a sentence opening with a time long past
    ("Six years ago she had severe tummy pain", ASK),   # (asked, never dropped: it may be told now)
    ("去年，孩子抽搐过一次", ASK),
    ("Last week, at clinic, all fine, today she has a fever of 39", REPORT),
    ("Last week, she started vomiting and it hasn't stopped", REPORT),
    ("his fever went down after calpol", REPORT),      # a fever brought down by medicine still counts
    ("孩子从上礼拜起就一直流鼻血", REPORT),             # since last week, still going
    ("上周以来一直低烧", REPORT),
    ("上周就开始发烧，一直没退", REPORT),               # the next part says it has not stopped
    ("his nose started bleeding last week and it hasn't stopped", REPORT),
    ("the fever started last week, still hasn't gone", REPORT),
    ("上礼拜发烧住了几天院 现在早就不烧了", None),      # last week, over
    ("上周发烧，还没好利索但是不烧了", ASK),            # "not quite well" yet "no fever": asked
    ("上周五开始发烧", REPORT),                        # started then: still going unless said over
    ("孩子上周开始拉肚子", REPORT),
    ("拉肚子是从上周开始的", REPORT),
    ("he started having diarrhoea last week", ASK),    # no child named: asked
    ("his diarrhoea started last week", ASK),
    ("he started vomiting last week after the chemo, all good now", None),
    ("上周开始拉肚子，现在已经好了", None),
])
def test_when_a_sign_was(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    ("这天儿贼冷，我在外头排队冻得直哆嗦，孩子在屋里好着呢", None),   # the writer is cold
    ("孩子冻得直哆嗦，盖了两床被子还冷", REPORT),                      # the child shivers: rigors
    ("他一直在抽，医生说没事", REPORT),                              # somebody's "fine" is not over
    ("他今天一直在睡没事吧", REPORT),
    ("Sorry the wifi is bad, he's having a seizure", REPORT),        # a device named nearby
    ("The pump screen has gone blank", REPORT),
    ("孩子在外婆那边，刚量39度", REPORT),                             # 那边 is a place, not the weather
    ("It's not beetroot, his wee is red", REPORT),
    ("im seeing double when i look at the tv, mums asleep", ASK),  # the writer (a teenager?): asked; mums is not mumps
])
def test_whose_sign_and_is_it_fine(text, status):
    assert detector().assess(text).status == status


# Reports a safety review wrote against the round-20 rules (session 15): a past time, "never came
# back", the writer's cold, a last cycle or "那个小姑娘" near a sign of the child now. Four first
# rules lost 37 such reports; they were withdrawn or narrowed.
AGAINST_ROUND_20 = [
    ("my daughter has diarrhoea and is throwing up same as a couple of weeks ago", "amber"),
    ("Voice to text sorry my son has a high temperature and the shakes like he did four weeks ago in hospital please call", "red"),
    ("my boy has a nosebleed that won't stop the nurse saw him 2 weeks ago and said his platelets were low", "red"),
    ("he's got the shakes and a fever like when his line got infected months ago, please call me back", "red"),
    ("He's vomiting like he did in hospital a week ago", "amber"),
    ("his breathing is really fast like when he had pneumonia a few months ago", "red"),
    ("she's burning up like she was when she had sepsis months ago", "red"),
    ("her lips are going blue like when she choked a few months ago", "red"),
    ("he keeps stumbling and his speech is slurred which he never did until blina started three weeks ago", "red"),
    ("He's wet the bed three nights in a row and he was fully dry months ago", "red"),
    ("he has the same rash he had a few weeks ago all over his chest and back", "amber"),
    ("hes been throwing up green stuff all afternoon, his dad went to the pharmacy and never came back with the anti sickness meds", "red"),
    ("she's peeing blood and the urine results never came back from last week", "red"),
    ("He's confused and keeps asking what day it is. We called 111 and they never came back", "red"),
    ("The high temperature he had on Monday never came back down and he is shaking all over", "red"),
    ("his appetite never came back after cycle 1 and now he's vomiting everything", "amber"),
    ("the dressing is soaked and the district nurse did not come back today", "amber"),
    ("我好像也感冒了，嗓子疼。乐乐刚才抽搐了一下，现在叫不醒", "red"),
    ("我也感冒了。现在39度2，宝宝一直哭", "red"),
    ("昨晚踢被子，我估计着凉了，现在烧到39.5，浑身发抖", "red"),
    ("he has a fever apparently, nursery just rang", "red"),
    ("Fever appeared out of nowhere this afternoon", "red"),
    ("孩子第一次鼻血都没止住，又开始流了，已经半小时了", "red"),
    ("和上个周期一样烧到39度", "red"),
    ("上个周期没事这个周期第二天就烧到38.7了", "red"),
    ("这次发烧比上一轮高多了 39.8", "red"),
    ("我那个小姑娘昨晚开始发烧了，一直喊冷", "red"),
    ("her blina pump alarming nonstop, the zip is broken too, nurse never came back to us", "red"),
]


# Reports a safety review wrote against the round-21 rules (session 15): a worry (担心路上), a
# last summer or Christmas, "back to his usual self", "I'd say his line got…", an in-law or a
# toy named, 她家用, 累到吐血 beside a sign of the child now. Those rules lost 72 reports and were
# withdrawn; the review also found signs compared with an earlier time dropped ("a seizure like
# the one last month") and "抽得停不下来" unknown, both mended.
AGAINST_ROUND_21 = [
    ("she's back to normal in herself and her line site is red and swollen with pus coming out", "red"),
    ("hes back to normal now and the pump keeps alarming occlusion and wont run", "red"),
    ("His wee is dark red like cola. Otherwise he's back to his usual cheeky self.", "red"),
    ("she was back to her usual self after the nap then she started vomiting blood", "red"),
    ("his belly is swollen and rock hard and he is screaming when I touch it, he was back to his usual self this morning", "red"),
    ("Line dressing came off and the line is pulled out a few cm. she's back to her usual bouncy self otherwise", "red"),
    ("he's peeing blood and is back to his usual self playing lego", "red"),
    ("her temp is back to normal and now her tummy is rock hard and swollen", "red"),
    ("her heart rate is back to normal and she's now vomiting green bile", "red"),
    ("the pump stopped and the line is disconnected, he is back to his usual self thank god but what do I do", "red"),
    ("his lips are going blue like they did last winter", "red"),
    ("She's having a seizure like the one last christmas", "red"),
    ("he has the same purple spotty rash he had last summer that doesnt fade", "red"),
    ("hes vomiting and really drowsy after his last fall off the sofa", "red"),
    ("he hit his head in his last fall and he's very sleepy and hard to wake", "red"),
    ("his temp is 39.5 just like last easter", "red"),
    ("burning up 39.8 same as last summer when she had sepsis", "red"),
    ("she's been bleeding from her nose for 40 minutes worse than last winter", "red"),
    ("his pee is red like it was last summer", "red"),
    ("My daughter (7) is on day 12 of blina. Last christmas she had a febrile seizure and she's just had another one, it lasted about 3 minutes and she's very sleepy now", "red"),
    ("he is feeding his tamagotchi and his nose is bleeding everywhere", "red"),
    ("playing with his tamagotchi, lips gone blue", "red"),
    ("The nurses always say his line gets a bit pink and now it's red hot and oozing pus", "red"),
    ("I'd say his line got pulled out about an inch when he rolled over, there's blood on the dressing", "red"),
    ("I would say her line got tugged by the cat, it's hanging out and leaking", "red"),
    ("they say her line gets blocked sometimes and now the pump is alarming occlusion and won't run", "red"),
    ("i cant say his line gets looked at enough its leaking everywhere right now", "red"),
    ("would you say the line gets like this normally its red and swollen around the line and hes got 38.7", "red"),
    ("she just groans when I shake her", "red"),
    ("he only moans and won't open his eyes", "red"),
    ("嫂子过来帮忙，突然抽起来了，叫不醒", "red"),
    ("小姑子来了，刚才嘴唇发紫喘不上气", "red"),
    ("弟媳帮我换的药 现在管子那里一直在流血", "red"),
    ("孩子吐了一整晚，吐到最后累得吐血丝了", "red"),
    ("宝宝咳了一晚上，咳得累到吐血了", "red"),
    ("他吐得太厉害了 累得吐血了 现在还在吐", "red"),
    ("担心路上堵车，孩子一直抽搐停不下来", "red"),
    ("我们在打车去医院，担心路上来不及，她嘴唇已经紫了", "red"),
    ("怕到时候没床位，宝宝现在喘不上气，怎么办", "red"),
    ("担心到时候医生不在 孩子刚才吐了好多血", "red"),
    ("担心到了那边还要排队 娃一直叫不醒", "red"),
    ("担心路上颠簸他的管子会掉 现在管子已经出来一截了还在流血", "red"),
    ("担心到时候找不到人，他烧到40度了", "red"),
    ("担心到时候又要住院，孩子嘴唇发紫，手脚冰凉", "red"),
    ("医生让我们明天去复查，担心到时候排不上号，宝宝今天一直吐，吐的是绿色的", "red"),
    ("担心路上他会抽 现在已经在抽了 眼睛往上翻", "red"),
    ("我们在去医院路上，担心路上时间太长，孩子呼吸很急，嘴唇有点紫", "red"),
    ("孩子的 line 周围红肿流脓, she's back to her usual self otherwise", "red"),
    ("担心到时候 traffic 很堵, 宝宝 now 抽搐不停", "red"),
    ("no temp yet right arm keeps jerking and twitching", "red"),
    ("not sure is that right lips are blue", "red"),
    ("no idea am i right he is fitting", "red"),
    ("he threw his tamagotchi and now he's having a fit", "red"),
    ("his line is leaking everywhere. He's back to his usual self though", "red"),
    ("the nurse said they'd say her line gets flushed tomorrow, it's now leaking and there is blood in the line", "red"),
    ("I'd say her line got yanked, there's blood in the line and it's dripping", "red"),
    ("she's got a rash like last summer all over her tummy and she's really drowsy and hard to wake", "red"),
    ("我是外婆，她家娃刚才突然抽搐了", "red"),
    ("我是她姨妈，她家娃现在一直在吐血", "red"),
    ("嫂子刚到，一直在吐血", "red"),
    ("小姨子在旁边，刚才突然翻白眼了", "red"),
    ("妯娌看着呢，突然抽了，眼睛往上翻", "red"),
    ("担心路上出事 一直在抽", "red"),
    ("担心到时候没人管 现在喘不上气 嘴唇发紫", "red"),
    ("怕到时候来不及 管子掉出来了 一直在流血", "red"),
    ("明天要去复查 担心到时候又要抽血 今天刚才突然抽搐了", "red"),
    ("担心路上太远 孩子烧到39度8 在发抖", "red"),
    ("she's having a seizure like the one last month", "red"),
    ("给她家用制氧机吸着还是喘不上气", "red"),
    ("她家用药以后一直在抽", "red"),
    ("he's back to normal in himself and his line is leaking", "red"),
    ("she is back to normal and her nose is bleeding", "red"),
    ("she's having a seizure like the one last month", "red"),
    ("跟上次一样烧到39度", "red"),
    ("像去年那次一样，他现在抽得停不下来", "red"),
    ("his lips are blue like last week", "red"),
    ("孩子抽个不停", "red"),
]


# Reports a safety review wrote against the round-22 rules (session 16): the time of diagnosis
# as background ("he is fitting, he had one at diagnosis"), "how high does his fever have to be"
# and 烧到多少度 beside a fever of the child, "not breathing fast" before slow breathing, laughing
# out of breath that goes on, the ward next door, a parent's own video. 128 of 359 were lost;
# every subtracting rule of that round was withdrawn. The four before the last block were missed
# before it too.
AGAINST_ROUND_22 = [
    ("hes got those tiny red dots all over his legs exactly what he had at diagnosis", "red"),
    ("he has a nosebleed that will not stop which he had before diagnosis", "red"),
    ("My daughter has a fever of 38.9 and she looks exactly how she did when she was diagnosed, grey and sleepy", "red"),
    ("she is grey and really sleepy and hard to wake which is how she was at diagnosis", "red"),
    ("he is having a seizure he had one at diagnosis", "red"),
    ("he is fitting he had one at diagnosis what do i do", "red"),
    ("my son was 3 at diagnosis and he is fitting", "red"),
    ("the line is leaking blood everywhere we had this at diagnosis with his first line", "red"),
    ("his central line has come out we had that happen at diagnosis", "red"),
    ("hes breathless and pale just walking to the loo which is what happened before he was diagnosed", "red"),
    ("dd has a temp of 39 and rigors exactly what happened before diagnosis so scared", "red"),
    ("他一直抽搐确诊那时候也抽过一次", "red"),
    ("儿子吐血了确诊前也吐过", "red"),
    ("孩子抽筋了两分钟确诊时也抽过", "red"),
    ("孩子 fever 39.2 确诊时也是这样开始的", "red"),
    ("孩子的管子掉出来了确诊时也掉过一次", "red"),
    ("孩子确诊时间才两个月一直流鼻血止不住", "red"),
    ("女儿确诊时是高危用双抗第三天高烧寒战", "red"),
    ("how high does his fever have to be before I call cos hes had one since lunch", "red"),
    ("quick q how high does her fever have to be to come in cos shes got one right now", "red"),
    ("How high does his fever have to go before I call? He's on the blina pump and spiked one about an hour ago", "red"),
    ("孩子昨晚烧到多少度我没记 现在还在烧", "red"),
    ("孩子高烧多少度都不退", "red"),
    ("宝宝在发烧几度要去医院", "red"),
    ("孩子反复发烧多少度需要去急诊", "red"),
    ("娃高烧几度要打电话给你们", "red"),
    ("hes not breathing quickly, its really slow, like one breath every 10 seconds, is that normal", "red"),
    ("hes not breathing fast, it is more like he forgets to breathe", "red"),
    ("she is not breathing fast she is breathing really slowly", "red"),
    ("孩子笑到喘不过气十分钟了还没好", "red"),
    ("从隔壁病房的孩子那回来就发烧了", "red"),
    ("跟隔壁病房的小孩玩了一下午晚上就高烧了", "red"),
    ("我录了视频，视频里他一直在抽，你们看看", "red"),
    ("半夜看监控视频里他一直在抽搐", "red"),
    ("看电影里打仗的时候突然晕过去了", "red"),
    ("看监控视频里他在床上抽，我现在马上回家", "red"),
    ("孩子烧了一晚上了", "red"),
    ("发烧多少度需要去医院，娃已经烧了一晚上了", "red"),
    ("孩子烧多少度都退不下来", "red"),
    # ... and against the ignores first written for the false alarms 在抽 then raised (抽象 is
    # what a pinyin keyboard types for 抽像; a phrase cut out also cuts the sign beside it).
    ("医生你好孩子刚才躺着躺着手脚突然抽象触电一样叫他也没什么反应怎么办", "red"),
    ("my son 手脚抽象触电 right now", "red"),
    ("孩子嘴角抽鼻子也跟着一动一动的叫他不应", "red"),
    ("孩子血小板低这会儿抽鼻子有血", "red"),
    ("孩子哭得一抽一抽噎住了半天没缓过来", "red"),
    ("他不是抽噎是在抽搐", "red"),
    ("家里没人抽烟孩子高烧", "red"),
    ("找了半天退烧药不在抽屉宝宝烧得厉害", "red"),
    ("孩子发烧了一壶水都喝完了还喊渴", "red"),
    ("娃又烧了壶水都没烧开他就烫得不行了", "red"),
]


# Reports a safety review wrote against the round-23 rules (session 17): "should he get a …" as a
# conditional, "zero" as a negation, "was/were … ago" after a sign, 她孙子/他外孙 as another family's
# child (a grandparent's word for this child), "lg" (found inside English words), 报警就停了 and
# 一直正常走 as over (they cleared a leaking line too), 开心 as a look-alike. 19 of 210 were lost
# and 6 lost their severity; all those rules were withdrawn. The last ones were missed before too.
# ("女儿不在，她家泵一直在响" is not here: a pump that keeps sounding is the alarm article's question,
# "泵一直在响怎么办", and only the second opinion ever asked about it.)
AGAINST_ROUND_23 = [
    ("literally zero warning he just collapsed in the kitchen", "red"),
    ("he has had zero urine since 8am", "amber"),
    ("should he get a blood test or something, he has been bleeding from his gums all morning", "red"),
    ("should she get a new dressing, its soaking wet and the line is leaking", "red"),
    ("should they get a doctor to look, his line is leaking from the hub", "red"),
    ("he is vomiting should he get a bowl by the bed or go in", "amber"),
    ("his temp is 39.2 should he get a dose of calpol before we drive in", "red"),
    ("should she get a plaster on it, blood is coming out round the line", "red"),
    ("should they get a nurse out tonight, her lips are going blue", "red"),
    ("should he get a lie down, he fainted at the table", "red"),
    ("should he get a sick bucket or should I ring, threw up 6 times", "amber"),
    ("he has a rash all over and his face is swelling up should he get a antihistamine", "red"),
    ("should she get a cold flannel, temp is 38.7", "red"),
    ("should he get a bag for the car, he is throwing up blood", "red"),
    ("bruises were a few weeks ago, small, but today they're everywhere", "red"),
    ("the seizures were months ago, he had another one tonight", "red"),
    ("Voice text: his lips are kind of blue and he's breathing weird comma zero energy full stop should he get a ambulance question mark", "red"),
    ("mummy here, Leo is 4, he's on the blina pump, zero wet nappy since last night and he vomited twice, his brother's fine", "red"),
    ("老伴说她孙子刚才抽了一下", "red"),
    ("老头子说他外孙烧到39度了", "red"),
    ("我婆婆在带，她孙子吐了一早上了", "amber"),
    ("我爸说他孙子刚才抽筋，手脚一直抖", "red"),
    ("管子接头漏液了。报警就停了。", "red"),
    ("导管接口松了漏药。后来泵恢复正常走了", "red"),
    ("宝宝的敷贴湿了 管子接头在漏 lg不在 我一个人 怎么办", "red"),
]


# Reports a safety review wrote against the session-19 rules (a negated list, another device,
# new over and past cues, somebody else, other meanings): all escalate or are asked about.
AGAINST_ROUND_26 = [
    ("no fever, rash or cough but she's been vomiting all night and cant keep water down", "amber"),
    ("hes not eating, not drinking, no wees since morning or tears and now hes really floppy and hard to wake", "red"),
    ("she hasnt had any shaking headaches or confusion but her temp just read 38.6 under the arm", "red"),
    ("no vomiting nor diarrhoea nor rash but the pump is beeping and the screen says occlusion downstream", "red"),
    ("no cough no runny nose or sore throat but hes breathing really fast and his lips look a bit blue", "red"),
    ("没有发烧、没有吐也没有拉肚子，但是她现在一直抽搐叫不醒", "red"),
    ("不咳嗽不流鼻涕也没有皮疹 就是刚量体温38.5", "red"),
    ("没有头痛、呕吐或者皮疹，可是PICC敷料下面一直在渗血，按了十分钟还在流", "red"),
    ("没发烧没抽筋也没吐 但是他刚才说话颠三倒四的 不认识我了", "red"),
    ("无发热、无咳嗽或腹泻，今天嘴里长了好几个溃疡，吃东西就哭", "amber"),
    ("my phone is dying so quick msg the screen on the thing says occlusion and it keeps beeping", "red"),
    ("sorry typing on my tablet the machine in her backpack has a red error and stopped", "red"),
    ("we're in the car and theres a wet patch in her backpack smells like medicine the box is leaking", "red"),
    ("tv was loud so didnt hear it at first but the infusion thing is alarming and the display said battery low then went blank", "red"),
    ("just took a pic with my camera of the crack on the side of the little machine he carries, fluid is dripping out", "red"),
    ("我手机快没电了 长话短说 那个机器屏幕上显示堵塞 一直在响", "red"),
    ("孩子在玩游戏机的时候小盒子突然报警，屏幕显示错误代码停了", "red"),
    ("刚在车里发现她背包里那个东西湿了一片 好像在漏液", "red"),
    ("用平板给你们发消息 他身上那个输液的东西屏幕黑了 电池刚换过的", "red"),
    ("在洗衣机旁边发现他那个小机器外壳裂了一道缝，还在滴水", "red"),
    ("the paracetamol wore off and hes back up to 39.1 and shivering", "red"),
    ("thought it was a one off but shes had another nosebleed now and its been going 20 mins", "red"),
    ("she was back to herself after lunch but now shes really sleepy and hard to wake again", "red"),
    ("nurse signed her off yesterday but tonight her hands are shaking so bad she cant hold a cup and shes muddling her words", "red"),
    ("we thought it was a false alarm earlier but the pump is beeping again now and says air in line", "red"),
    ("早上脸色红润了，可是现在又烧到38.8，嘴唇发紫", "red"),
    ("昨天的皮疹看不出来了，今天早上又冒出一大片，越来越多", "red"),
    ("吃了退烧药就精神了一会儿，现在又烧到39度，叫他都不怎么理人", "red"),
    ("之前肿的地方消下去了，但是现在PICC穿刺点红肿，还流黄水", "red"),
    ("烧退下去了两个小时，刚又量38.4，还在打寒战", "red"),
    ("remember the rash i messaged about last wk? its back and spreading up her tummy", "amber"),
    ("i told you about his cough on tuesday, now hes wheezing and cant finish a sentence", "red"),
    ("Tuesday's nosebleed stopped but hes got another one now and its soaked 3 tissues in 10 min", "red"),
    ("remember the pump error from last weeks visit same thing happening right now screen says check line", "red"),
    ("the diarrhoea i messaged about yesterday is still going, 7 times today already", "amber"),
    ("前天开始拉肚子 今天已经拉了六次了", "amber"),
    ("前几天就有点咳 现在喘得厉害 说话都接不上气", "red"),
    ("前阵子说过的敷料那里痒 现在周围一圈都红了还发烫", "red"),
    ("那段时间他也是这样发呆，现在又在发呆，叫他没反应", "red"),
    ("跟前段时间一样泵又报警了，现在屏幕显示管路堵塞", "red"),
    ("Im 30 weeks pregnant and exhausted and now his temp is 38.4", "red"),
    ("his best mate came round and we just heard his mate has chickenpox, they were playing together all afternoon", "amber"),
    ("her mate from school is here and she just went really pale and her gums are bleeding and wont stop", "red"),
    ("his twin (not the one with leukaemia) has a cold but Sam just had a seizure on the sofa about 2 min and hes still drowsy", "red"),
    ("im 12 weeks pregnant so cant lift him well, he fell and his PICC is pulled out a bit and bleeding", "red"),
    ("我怀孕30周了实在太累，刚给他量体温38.4", "red"),
    ("他最好的朋友来家里玩，刚才一起玩的时候他突然喘不上气", "red"),
    ("他同学刚被确诊水痘，今天上午还和他坐在一起", "amber"),
    ("弟弟没事，是生病的那个（打博纳吐单抗的）现在肚子疼得打滚", "red"),
    ("我怀孕了没法抱他，他刚才自己走路摔了，现在说话含糊不清", "red"),
    ("the seizure nurse told us to call if it happened again and hes fitting right now", "red"),
    ("the label says keep below 25 and the bag has been in the hot car, now the pump says error", "red"),
    ("we have epilepsy clinic next month but today shes had two jerky episodes and now shes very drowsy", "red"),
    ("she keeps asking what we'll do after the bag comes off but right now the bag is leaking onto her top", "red"),
    ("the bottle says every 4 to 6 hrs, gave some at 2 and hes 38.7 again and shivering", "red"),
    ("护士说别扯到管子，可是刚才他翻身把管子扯出来一截，在流血", "red"),
    ("一直提醒她不要扯到，结果现在敷料掀开了一半，贴膜下面进水了", "amber"),
    ("为了防止扯到我们把管子绕在背包里，刚发现管子上有个裂口在漏药", "red"),
    ("下周约了癫痫门诊，可是他现在眼睛往上翻，手脚在抽", "red"),
    ("说明书上写着出现头晕要联系医生，他现在头晕站不稳还说胡话", "red"),
]

# ... and against the rules of blind sets 22 and 23 (earlier times, over, somebody else, other
# meanings, another device): the pump called "the machine she carries" or 药盒 was missed before.
AGAINST_ROUND_28 = [
    ("she had a temp Monday night that went down but its back tonight 38.7 and shes shaking all over", "red"),
    ("the night before last he was sick once, now hes thrown up 3 times since lunch", "amber"),
    ("during cycle one she got muddled like this and its happening again right now, shes not making sense and doesnt know where she is", "red"),
    ("the dressing was fine the day before yesterday but theres fresh blood seeping under it round his line right now", "red"),
    ("had a rash during the break that cleared up but this morning theres a new spotty rash all over her tummy and back", "amber"),
    ("pump has run smoothly all week but right now its beeping occlusion and wont restart", "red"),
    ("we got a new pump yesterday and now its leaking at the connector, big wet patch on her top", "red"),
    ("she was right as rain at breakfast, now temp 38.4 and really floppy on the sofa", "red"),
    ("the calpol wore off and his fever is back up to 38.9 now, hes shivering", "red"),
    ("hes been grand all day but just now hes had diarrhoea 4 times in 2 hours", "amber"),
    ("I read a post in the facebook group about temps so checked my daughter and shes 38.5 and shivery right now", "red"),
    ("a mum whose son is on blina said to watch for shaky hands, my boy has a slight tremor now when he holds his cup", "amber"),
    ("my best mate is round and she spotted my sons line has a crack in it and its dripping onto his shirt", "red"),
    ("her friend had chickenpox come out today and they were playing together all yesterday afternoon, what do we do", "amber"),
    ("a dad whose daughter was on the ward told me about nosebleeds, my girls nose has been bleeding 20 mins now and wont stop", "red"),
    ("thought the colour ran from her red pyjamas but no its actually blood in her wee, just checked the potty", "red"),
    ("taylor swift fever in this house lol but seriously shes burning up 38.8 right now", "red"),
    ("the alarm went quiet after I pressed the button but the screen still says air in line and its not running", "red"),
    ("it went quiet in his room so I went in and hes really hard to wake, keeps dropping back off", "red"),
    ("his red sock bled in the wash so everythings pink, not why im messaging, hes just been sick twice", "red"),
    ("my phones on 2% and the thing on her back is flashing error, cant read the rest", "red"),
    ("tablet keeps dying so voice typing, the box in his backpack is beeping nonstop and the screen says occlusion", "red"),
    ("printer jammed whatever, more important the little machine she carries is alarming loud and the numbers stopped counting down", "red"),
    ("in the car on the way home and the bit going into his chest is wet and dripping, the sticker is soaked", "red"),
    ("sorry TV is loud voice note, the clear sticky patch over his chest thing is peeling off at one edge", "amber"),
    ("住院的时候就抽过一次 刚才又抽了 现在叫他没反应", "red"),
    ("前天烧过38.2退了 今晚又烧到38.6 手脚冰凉在打寒战", "red"),
    ("上次住院也吐过 今天下午到现在已经吐了三次了", "amber"),
    ("前阵子牙龈出点血没在意 现在刷牙满嘴都是血 止不住", "red"),
    ("那段时间皮疹消了 今天早上身上又起了一片红疹子 有点痒", "amber"),
    ("之前那个泵后来换成新的了 可是现在这个也一直报警 显示堵塞 药不走了", "red"),
    ("后来好了两天 今天又发烧38.5 人蔫蔫的叫不太醒", "red"),
    ("脸色本来都红润了 刚才突然嘴唇发紫 喘不上气", "red"),
    ("皮疹都看不出来了 结果今天拉肚子 一上午拉了五次水样便", "amber"),
    ("敷贴后来换成透明的了 现在边上翘起来一大块 贴不住", "amber"),
    ("群里一个妈妈说发烧要马上打电话 我刚给孩子量了38.3 在发抖", "red"),
    ("有个爸爸跟我说他儿子也这样 我女儿现在手抖得拿不住勺子 还在说胡话", "red"),
    ("我这个当妈的真是粗心 刚发现儿子管子接头那里在漏药 衣服湿了一片", "red"),
    ("我怀孕了自己也吐 但现在说的是孩子 他刚刚吐了两次", "amber"),
    ("一个爸爸刚打电话说他家孩子出水痘了 我女儿昨天和他家孩子一起玩了一下午", "amber"),
    ("他在看动画片里的时候突然眼睛上翻 全身抽 现在还在抽", "red"),
    ("不是笑得发抖 他是真的在发抖 牙齿打颤 体温38.9", "red"),
    ("刚看电视剧里有人大出血吓我一跳 结果孩子现在拉的大便是黑红色带血的", "red"),
    ("药店大出血打折我顺便买了个体温计 回来一量孩子38.4", "red"),
    ("手机快没电了 他背包里那个机器一直在叫 屏幕上红字", "red"),
    ("平板刚在放动画 突然听到她腰上那个小盒子嘀嘀响 显示电量不足 已经停了", "red"),
    ("打印机卡纸了不管它 孩子胸口插进去那个地方红肿 一碰就疼 还有点流脓", "red"),
    ("车上颠了一下 连着他胸口那根东西好像松了 在往外滴水", "red"),
    ("洗衣机在响我没听清 原来是孩子身上那个药盒在报警 按了也停不下来", "red"),
]

# Session 20's safety review: reports written against the rules added for blind set 27 (the
# look-alike, "I'm the one with" and "across the hall" cues it wrote against lost red pages to
# "asked" and were not kept; what was kept loses none).
AGAINST_ROUND_31 = [
    ("he was copying a guy fainting in the movie then he actually fainted for real, pale and clammy now and wont sit up", "red"),
    ("his lips are blue its not lipstick his sister didnt touch him, breathing really fast and sucking in under the ribs", "red"),
    ("she still has face paint on from the party but under it her whole face and lips are swelling up fast", "red"),
    ("thought it was felt tip on his chest but its a red streak spreading from the picc site, hot and he says it hurts", "red"),
    ("he was laughing at something on the show then went floppy and grey, eyes open but wont answer me", "red"),
    ("keeps saying hes in the show and talking nonsense doesnt know who i am, temp 38.4", "red"),
    ("felt tips all over the bed and the pump is in the middle of it, screen gone blank and its not running at all", "red"),
    ("I'm the one with him tonight, dad's at work. temp just read 38.9 and hes shivering", "red"),
    ("I am the one with the cold but now she's burning up too, 38.3 under her arm", "red"),
    ("im the one with the backpack and the pump just stopped, screen blank nothing happening", "red"),
    ("I'm the one with the migraine lol but he's the one throwing up, 5 times since lunch cant keep water down", "red"),  # written as amber: the writer's own migraine counts as a second same-day sign (known, kept: never less)
    ("typing for my husband I'm the one with the phone, hes holding her shes having a seizure right now", "red"),
    ("I am the one with leukemia, im 15 mum is asleep. my picc arm is swollen and red and hurts and theres yellow stuff coming out", "red"),
    ("the kid across the corridor has chickenpox and now my son has spots and a temp of 38.2", "red"),
    ("walking him down the corridor at the hotel and he just collapsed, fainted. awake now but white and sweaty", "red"),
    ("lady across the hall is helping me, his line got pulled out when he fell and theres blood everywhere", "red"),
    ("boy across the hall on the ward yesterday had measles they just told us, mine was playing with him all afternoon", "amber"),
    ("ran down the corridor to get the nurse shes breathing so fast and her lips going grey", "red"),
    ("in cycle 1 he had CRS and now again fever 38.5 and shaking all over", "red"),
    ("she had pancreatitis in induction and its the same pain now, doubled over crying wont let me touch her tummy", "red"),
    ("in january it was a line infection, now the line site is red and oozing again and hot to touch", "red"),
    ("pump kept beeping so we went in this morning, they fixed it, now its beeping again and wont clear", "red"),
    ("we took her in in march for a nose bleed, now its been bleeding 30 min and wont stop", "red"),
    ("in december his wee was fine, today its dark like cola and barely any since morning", "amber"),
    ("in induction he had a fit, now hes twitching on one side and not answering me", "red"),
    ("his breathing is normal now but lips still bluish and hes so sleepy i cant wake him properly", "red"),
    ("alarm stopped and screen looks normal now but bag hasnt gone down and theres fluid leaking at the connector", "red"),
    ("no pain now at the line site she says but its red swollen and theres pus", "red"),
    ("she has no pain now but she just threw up blood twice", "red"),
    ("hes 38.4 and wont go below 38 even with a cool cloth", "red"),
    ("they told us not above 38 is fine, hers just read 38.1 on the ear one", "red"),
    ("it was less than 37 this morning and now 38.9 and shes shivering", "red"),
    ("temp under 38 means ok right? hers is 38.0 exactly on the forehead scanner", "red"),
    ("he is 101.2F, they said lower than 100.4 is ok but hes way over", "red"),
    ("something is not right now, hes confused keeps asking where he is and doesnt know his sister", "red"),
    ("shes not right after her nap, staring and not answering, cant get her words out", "red"),
    ("hes not quite right on one side, mouth drooping and his words are slurry", "red"),
    ("his lips are not the right colour, kind of grey blue, that needs a call, right?", "red"),
    ("he is not right hand keeps shaking cant hold his spoon and his writing is all wobbly", "red"),  # written as amber; a tremor that stops eating or writing is red here
    ("hes not right at all, grey and floppy and so cold and clammy", "red"),
    ("老太太在带孩子，刚打电话说孩子抽筋了，现在还叫不醒", "red"),
    ("老大爷刚才发现孩子嘴唇发紫，一直喘不上气", "red"),
    ("老爷子抱孩子的时候踩到管子，管子从胳膊上拉出来了，在流血", "red"),
    ("老人家偷偷给他喝了中药，现在肚子疼得打滚一直喊疼", "red"),
    ("家里仓鼠咬了他手指 一直流血止不住 按了二十分钟了", "red"),
    ("摸了兔子以后他脸和嘴唇都肿起来了，身上起了好多风团", "red"),
    ("他在阳台看鹦鹉突然晕倒了，现在脸色煞白出冷汗", "red"),
    ("给金鱼换水，水泼到泵上了，现在泵黑屏不动了", "red"),
    ("孩子在喂乌龟，我发现输液管接头在漏液，衣服湿了一大片", "red"),
    ("邻居带她自己的女儿来玩，刚说她女儿出水痘了，我儿子跟她玩了一下午", "amber"),
    ("表哥带他自己儿子来家里，那孩子麻疹确诊了，我女儿昨天跟他一起玩的", "amber"),
    ("奶冲好了正要喂，发现她嘴唇和舌头都肿了，呼吸有点响", "red"),
    ("冲奶的时候泵一直叫，堵塞报警，按了又响，消不掉", "red"),
    ("试奶温的时候顺手摸他额头很烫，量了38.8度", "red"),
    ("不是她的口红，嘴唇是真的发紫，喘气很快", "red"),
    ("姐姐给她涂口红玩，擦掉后嘴唇肿得很厉害，眼睛也肿了", "red"),
    ("以为是口红画的，仔细看是导管口周围红了一大圈，还流脓", "red"),
    ("她拿水彩笔画画，突然手抖得握不住笔，写字也写不出来了", "red"),  # written as amber; a tremor that stops eating or writing is red here
    ("手上没再肿了，但是现在脸和嘴唇肿起来了", "red"),
    ("导管那里没有再肿，可是他发烧了，38.6度", "red"),
    ("腿没再肿了 但是现在喘不上气 呼吸好快", "red"),
    ("眼皮没再肿，可是现在怎么叫都叫不醒", "red"),
    ("烧到38度7，吃了退烧药也降不到38度以下", "red"),
    ("体温一直没低于38.5，现在39度了", "red"),
    ("不到一个小时从37.5升到了38.6，还在发抖", "red"),
    ("外面热，可他一直在空调房里，刚量腋温38.4", "red"),
    ("刚从室外进来，等了半小时再量还是38.9度，人一直打寒战", "red"),
    ("没超过39度，现在是38.8，要去医院吗", "red"),
    ("医生说不超过38度就先观察，他现在38.3", "red"),
    ("三十八度五，用了退热贴还是退不到三十八以下", "red"),
]


# The second review, against the rules tried for blind set 28: a reading said with "the same
# as", "= … F" or "等于多少华氏度" (a parent converting for a doctor), "a girl on our ward", and a
# reading after "under"/"below" with no other reading ("just under 38.5 now") are this child's.
# All were dropped; so was "under 38" as a bar beside another reading, which a code review found
# dropping "not lower than 38.7" and 退不到38度以下 (the last lines, with "not right" after a
# preposition, which an over-wide "right now" rule had asked about).
AGAINST_ROUND_32 = [
    ("it was 37.4 at lunch, now it hasnt been lower than 38.7 all afternoon", "red"),
    ("temp 37.9 at 6pm, at 9pm still not below 38.4", "red"),
    ("早上37.6，吃了退烧药还是退不到38度以下", "red"),
    ("his temp is just under 38.5 now, earlier 37.1", "red"),
    ("he's not right at all, pale and floppy", "red"),
    ("he is not right on his left side, his face looks droopy", "red"),
    ("is 38.9 the same as 102 F? cause thats what my son is right now, GP wants F", "red"),
    ("thermometer says 101.3 is that the same as 38.5 C?? she feels realy hot and shivery", "red"),
    ("ear thermo just read 100.4 on my son, same as 38 C right? so thats a fever", "red"),
    ("ok so 38.2 equals 100.8 i think, thats what hes at right now do i call", "red"),
    ("my daughter is 38.6 = 101.5 F just measured twice under her arm", "red"),
    ("孩子刚量体温38.7 等于101.7华氏度吗 护士电话里问我华氏", "red"),
    ("儿子现在三十八度五 就是101.3吧 要不要马上去医院", "red"),
    ("耳温枪显示100.6 就是38.1度对吗 女儿背着泵在睡觉 身上很烫", "red"),
    ("38度等于100.4华氏 我家宝宝现在刚好38度 要打电话吗", "red"),
    ("女儿体温38.3=100.9华氏吧 刚量的 手脚冰凉在打冷颤", "red"),
    ("just took her temp its 38.5 in fahrenheit please, the after hours line asked", "red"),
    ("my son is at 102.2 to celsius is what? hes on blina day 3 and realy flushed", "red"),
    ("can u convert 38.7 to fahrenheit thats what my girl is reading now and she has chills", "red"),
    ("how do i change 101 F to celsius thermometer just beeped 101 for my son", "red"),
    ("宝宝刚测38.6度等于多少华氏度啊 美国的医生问我", "red"),
    ("儿子体温39度2 换算成华氏是多少 他在发抖", "red"),
    ("女儿现在烧到38度5 是多少华氏 急", "red"),
    ("温度计显示101.8华氏 是多少摄氏 孩子在用双抗泵 脸很红", "red"),
    ("刚量了 三十八度八 帮我换算一下华氏 要报给随访护士", "red"),
    ("孩子现在39度等于多少华氏度 在发抖 嘴唇有点发紫", "red"),
    ("a kid on our ward has chickenpox and my son was playing with him yesterday in the playroom", "amber"),
    ("theres a girl on our ward with a cold and now my daughter has a temp of 38.7 and chills", "red"),
    ("a boy on our ward had a seizure last week and now my son is twitching and not answering me", "red"),
    ("we met a child on our ward with the same pump, now my sons pump screen is blank and not beeping", "red"),
    ("a baby on our ward keeps coughing, my 2 yr old is breathing realy fast now and lips look bluish", "red"),
    ("a girl on our ward showed her PICC to my girl and now my girls line site is red swollen and has yellow pus", "red"),
    ("a child on our ward has measles they think, my daughter sat next to her in the playroom this morning", "amber"),
    ("theres a boy on our ward with a tummy bug, my son has thrown up 4 times since lunch and cant keep water down", "amber"),
    ("护士说 a kid on our ward 出水痘了 我儿子前天还跟他一起玩 怎么办", "amber"),
    ("隔壁床 a girl on our ward 在咳嗽 现在我女儿也烧到38.4了 还在打寒颤", "red"),
    ("her temp wont go below 38.6 even with the cooling pack, been 2 hrs", "red"),
    ("its never been less than 38.5 all night and now hes realy sleepy hard to wake", "red"),
    ("hes at just under 38.5 now on the armpit one, on blina pump day 2", "red"),
    ("fever is not over 39 but its been 38.2 to 38.7 all day, she has chills", "red"),
    ("it hasnt been lower than 38.3 since this morning and he's shivering under the blanket", "red"),
    ("孩子烧一直没低于38.5 从下午到现在 嘴唇有点发白", "red"),
    ("体温就没降到38度以下过 一整天了 在用博纳吐单抗", "red"),
    ("女儿体温不超过39 但一直在38.5左右 要紧吗", "red"),
    ("现在是38度多一点 没到38.5 需要去医院吗", "red"),
    ("刚量是不到38.3 大概38.2吧 儿子在发抖说冷", "red"),
]


@pytest.mark.parametrize("text,severity", AGAINST_ROUND_20 + AGAINST_ROUND_21 + AGAINST_ROUND_22
                         + AGAINST_ROUND_23 + AGAINST_ROUND_26 + AGAINST_ROUND_28
                         + AGAINST_ROUND_31 + AGAINST_ROUND_32)
def test_reports_a_safety_review_wrote_against_new_rules(text, severity):
    found = detector().assess(text)
    assert found.status in (REPORT, ASK) and found.severity == severity


@pytest.mark.parametrize("text,severity", [
    # Written in session 18 to probe the detector, before the lexicon was changed for them.
    ("不像平时的他，就躺着发呆", "red"),                  # staring: a subtle ICANS sign
    ("孩子不像平时的他，就躺着发呆", "red"),
    ("感觉他有点烫，还没量", "red"),
    ("孩子摔了一跤磕到头了，血小板还低", "red"),          # asked about: the team decides
    ("he fell and hit his head and his platelets are low", "red"),
    ("can blina make him this confused he didnt know who I was", "red"),   # no punctuation
    ("Hes been wheezy and puffing since his nap, cant get a sentance out", "red"),
    ("夹子一晚上都没打开", "red"),                          # a clamp closed for hours
    ("他脖子那里的管子口渗血了 用按住吗", "red"),            # oozing blood at the line
])
def test_reports_in_words_the_lexicon_did_not_have(text, severity):
    found = detector().assess(text)
    assert found.status in (REPORT, ASK) and found.severity == severity


@pytest.mark.parametrize("text,status", [
    # Session 19, from blind set 21's tuning part: an item of a negated list is negated too.
    ("She hasn't had any shaking, headaches or confusion this cycle, touch wood", None),
    ("no fever, rash or vomiting today", None),
    ("he has not had a fever, vomiting, or diarrhoea", None),
    ("no fever, vomiting all night", REPORT),       # no list: the comma ends the negation
    ("no fever, he is vomiting or retching", REPORT),
    ("no fever or rash, but he has a seizure", REPORT),
    # A pump sign in a sentence about another device, and not the pump, is that device's.
    ("this stupid printer keeps flashing a red error and beeping", None),
    ("her tablet screen has cracked and its frozen on a black screen", None),
    ("手机摔了一下屏幕全黑了", None),
    ("the pump screen is frozen, same as my phone", REPORT),
    # "She's gone white" after a sign says nothing is over; "it's soaked again" says it is back.
    ("nosebleed 40 mins now, soaked 2 towels, pinching does nothing, shes gone white", REPORT),
    ("The spot where the PICC goes in keeps oozing blood, I've changed the gauze twice and it's soaked again", REPORT),
    ("Yesterday morning her pee was quite dark, so I pushed drinks all day and today it's back to pale yellow", ASK),
])
def test_what_a_sign_is_said_with(text, status):
    assert Detector(detector().lexicon, second=None).assess(text).status == status  # the rules alone


@pytest.mark.parametrize("text", [
    "His hands are shaking so hard he can't get the spoon to his mouth, and now his head is nodding too",
    "手抖得筷子都夹不住菜 停不下来的那种抖",
])
def test_a_severe_tremor_is_a_red_flag(text):
    """A mild new tremor is amber (facts.md section 5); one that stops a child feeding is not mild."""
    assert detector().assess(text).severity == "red"


@pytest.mark.parametrize("text", [
    # The same review's check on "started": a sign that started at a past time and is said to
    # have stopped is over, not still going.
    "his rash started on monday and was gone by wednesday, just letting you know for the record",
    "her nosebleed started around 6pm yesterday and stopped within five minutes, nothing since",
    "the pump alarm started at 3am last night, the nurse came and fixed it and its been running fine since",
    "皮疹是上周一开始的，周三就全消了，这几天都没有再出",
    "发烧是前天晚上开始的，当晚就退了，之后体温一直正常",
    "fever's been gone since Tuesday, she's been great since",  # over for days (the second opinion may ask)
    "his fever went down last week and hasn't come back",
])
def test_a_sign_that_started_and_stopped_is_not_escalated(text):
    assert detector().assess(text).status != REPORT


@pytest.mark.parametrize("text,status", [
    ("he is not eating much right now", ASK),          # "right now" is not "not right"
    ("37.8 is not a fever, right?", None),            # a question tag over a noun
    ("he is just not right", REPORT),
    ("something is not quite right with him", REPORT),
    ("he is not quite right?", REPORT),               # no noun between: still "not right"
    ("he is not right at all", REPORT),
    ("he is not right on his left side", REPORT),
])
def test_right_as_an_adverb_or_a_tag_is_not_not_right(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # A household device's alarm, screen or leak is not the pump's; naming the pump too keeps it.
    ("the baby monitor alarm won't stop and the screen is blank", None),
    ("the boiler is leaking again, plumber coming friday", None),
    ("热水器一直报警 显示屏也黑了", None),
    ("空调漏水了 滴了一地", None),
    ("the pump keeps beeping and won't stop, and so does the smoke alarm", REPORT),
    ("泵一直报警停不下来 跟热水器一样吵", REPORT),
    # Another household's pump or a hot-water bottle is asked about, not paged (session 40: a
    # blind everyday set paged the care team about them), and never dropped: dictated without
    # commas, "we're at the pool pump keeps beeping" is the child's pump (session 40's review)…
    ("my heat pump shows an error code, is it the fan?", ASK),
    ("the hot water bottle is leaking, can I still use it", ASK),
    ("泳池的过滤泵坏了，不转了", ASK),
    ("打气筒坏了，一直漏气", ASK),
    ("we're at the pool pump keeps beeping says occlusion", ASK),
    ("天太热泵一直报警", REPORT),     # 热 of the weather, not a heat pump
    ("充电口坏了一直报警", REPORT),   # a port alone is the pump's
    # …a phone's port is the phone's…
    ("the charging port on my phone has stopped working", None),
    # …and the child's pump named beside them still pages.
    ("the pool pump and his blina pump both stopped in the power cut", REPORT),
    ("鱼缸的泵也吵，但孩子的泵一直响停不下来", REPORT),
    # A device the parent has ruled out is no clue (session 41: these were asked, not paged).
    ("it isn't the hot water bottle, it keeps leaking", REPORT),
    ("we took the hot water bottle out and it's still leaking", REPORT),
    ("不是热水袋 是一直在漏", REPORT),
    ("热水袋拿开了还在漏", REPORT),
    ("not sure it's the hot water bottle, it keeps leaking", ASK),   # a doubt rules nothing out
    # Things that sound and will not stop are not the pump: hiccups, snoring, a doorbell.
    ("他打嗝很响停不下来", None),
    ("他呼噜响停不下来", None),
    ("门铃一直响停不下来 快递太多", None),
])
def test_a_household_device_is_not_the_pump(text, status):
    assert Detector(detector().lexicon, second=None).assess(text).status == status


@pytest.mark.parametrize("text", [
    "his pump stopped so I'm messaging from my husband's laptop",
    "the line is leaking, I'm on my mum's phone because mine is dead",
])
def test_the_pump_or_line_stays_the_childs_when_someone_else_is_named(text):
    """Somebody else named beside a pump or line sign (not telling of it) is asked about, never
    dropped: the family has one pump and one line, the child's."""
    assert Detector(detector().lexicon, second=None).assess(text).status in (ASK, REPORT)


# Session 21's review (60 reports written against three rules tried for blind sets 29 and 30):
# a laughing emoji in a sign's sentence made a report a question (nervous laughter: "he's having
# a fit right now 😂 why did I type that"), a long part with no commas was read only 200
# characters either side of its sign (a voice-dictated seizure lost its emergency), and only the
# first 10 and last 6 sentences of a long message were judged: all three were dropped. Household
# devices (kept) must not take the pump's alarm when the pump is "the thing in her backpack".
AGAINST_ROUND_33 = [
    ("lol of course the pump starts screaming at 3am 😂 it says occlusion and wont stop no matter what i press, she's asleep right next to it", "red", False),
    ("His lips look kind of blue right now and he's breathing super fast 😂 sorry I laugh when I panic, what do I do", "red", True),
    ("temp just read 39.2 on the ear thermometer 😂 of course on a bank holiday weekend, she's shivering under the duvet", "red", False),
    ("ok so the cat chewed through the tube and blina is dripping all over the carpet 🤣 i can't even. he's still hooked up", "red", False),
    ("Maya is having a fit on the couch right now her arms are jerking 😂😭 idk why I typed that emoji please help", "red", True),
    ("nosebleed going 40 min now and it wont stop, soaked 3 towels already 🤣 this is fine everything is fine", "red", True),
    ("Of course the day grandma visits he yanks his line out 🤣 the whole thing is hanging out of his chest and theres a bit of blood on his tshirt", "red", False),
    ("he just asked me who I am 😂 like seriously he doesnt recognise me or his dad and hes talking total nonsense since lunch", "red", False),
    ("pump screen is totally blank 🤣 tried fresh batteries still nothing and the bag is still connected to her", "red", False),
    ("her tummy hurts so bad shes curled up screaming on the bathroom floor 😂 no idea why im laughing im terrified", "red", False),
    ("哈哈哈孩子现在烧到39度5了😂 我真的要疯了，刚吃的退烧药", "red", False),
    ("我家宝现在在抽搐😂手脚一直抖叫他也不理，我手都在抖怎么办", "red", True),
    ("泵一直在响消不掉🤣 按了好几次都没用，儿子还睡着", "red", False),
    ("笑死 管子被弟弟扯掉了🤣 接口那里还在滴药，女儿在哭", "red", False),
    ("她嘴唇都发紫了🤣呼吸好快，现在坐在我腿上喘不上气", "red", True),
    ("鼻血流了半小时还止不住😂 毛巾都红透了，孩子脸越来越白", "red", True),
    ("置管的地方又红又肿还有脓😂 今天早上换衣服才发现的，一碰他就喊疼", "red", False),
    ("儿子刚才晕倒了😂 脸白得像纸，现在躺在沙发上软绵绵的", "red", False),
    ("尿里全是血🤣 我还以为是吃了火龙果，结果他今天根本没吃", "red", False),
    ("女儿今天吐了五六次了🤣 水都喝不进去，刚才又吐了", "amber", False),
    ("The baby monitor picked up beeping from her backpack, screen says occlusion and it won't clear no matter what I press.", "red", False),
    ("I thought it was the smoke alarm but it's his blina backpack beeping nonstop and the screen says downstream occlusion, he's asleep right now.", "red", False),
    ("Plugged my phone in to charge and noticed the thing in her backpack is completely blank, no lights no screen, and she's still hooked up to it.", "red", False),
    ("There's a wet patch on the sofa by the TV, the blina is leaking out of the connector onto his shirt right now.", "red", False),
    ("My fitbit buzzed at the same time so I ignored it but now the little screen in her backpack says infusion stopped and the alarm won't clear.", "red", False),
    ("Kettle was boiling so I didn't hear it at first, but the thing in his backpack has been alarming for 20 min and won't stop whatever I press.", "red", False),
    ("Fell asleep with the TV on and woke up to her backpack beeping, now the battery is dead and the screen is black and she's still connected.", "red", False),
    ("Car alarm outside kept going so I missed it, his blina keeps showing error 31 and wont restart, we're home now.", "red", False),
    ("She dropped her blina next to the fridge and the case cracked, it's beeping with a blank screen.", "red", False),
    ("His smartwatch kept vibrating and I thought that was it but no, it's his med backpack with an error on screen that wont silence, he's sitting with me now.", "red", False),
    ("一开始以为是烟雾报警器在响，结果是女儿背包里的那个一直在叫，屏幕上写着阻塞，按了也停不下来。", "red", False),
    ("热水器旁边的地上湿了一片，是儿子背包里的药漏出来了，现在还在往下滴。", "red", False),
    ("我以为是闹钟响，其实是背包里那个一直报警消不掉，孩子现在就背着呢。", "red", False),
    ("手机充电的时候发现背包里那个屏幕全黑了，按什么都没反应，药还接在她身上。", "red", False),
    ("宝宝睡觉的时候婴儿监视器里传来滴滴声，一看是背包里那个报错了，一直响停不下来。", "red", False),
    ("刚才电视声音太大没听见，他背包里那个小盒子没电了黑屏了，儿子正背着呢。", "red", False),
    ("空调滴水我还以为是空调漏，结果是他背包里那个接头在漏药，衣服都湿了。", "red", False),
    ("手环一直震我没在意，现在才发现背包里的药停了，那个屏幕显示报警。", "red", False),
    ("电饭煲在叫的时候我顺便看了一眼，女儿背包里那个屏幕裂了，还一直嘀嘀嘀响。", "red", False),
    ("汽车熄火后听到后座一直在响，是女儿背包里的那个，显示错误代码，怎么按都不停。", "red", False),
    ("hi it's Jake's dad writing from the car park right now Jake is in the back seat with me and we just came out of the pharmacy because they didn't have the mouthwash the team prescribed so we had to go to a second one and the lady there was very nice and said she would order it in for tomorrow and we also picked up the saline flushes and the dressing packs the nurse wanted and I was going to ask if the clinic can send prescriptions straight there next time so we don't have to drive around so much and then just as we pulled out of the car park stiff as a board with the eyes rolled back and arms and legs jerking in the car seat and not answering please call me", "red", True),
    ("Sophie's mum here she started the second cycle on Monday and this morning at 7 she seemed a bit quieter than usual but ate half her toast and watched cartoons and I gave the paracetamol at the time the nurse told us for the headache and we did the flush and checked the dressing which looked clean and dry and the backpack has been fine with no alarms since yesterday and her brother has been kept away because he had a cold last week although he seems better and my husband is at work until six so it's just me at home and I wasn't sure whether to ring or message first so sorry for the long message but the thermometer under the arm says 39.4 and shivering and teeth chattering under two blankets", "red", False),
    ("this is Noah's mom we're at home right now and Noah has been on the couch all afternoon watching his tablet and I wanted to update you that the home nurse came yesterday and changed the bag and the dressing and she said everything looked good and his appetite has been so so but he's drinking the juice and the ensure and we've been keeping a diary of the fluids like you asked and the pharmacy delivery is coming Thursday and I still need to ask about whether his sister can have her friends over this weekend or if we should wait but the main thing is on the toilet bright red pee with little clots in it twice in a row", "red", False),
    ("Hi its Leo's grandma I'm looking after Leo today while his mum is at work and he was playing with his cousin in the garden this morning and they were running around with the football and I told them to be careful and then we had lunch and he had some pasta and a yoghurt and I did the temperature like his mum showed me and it was normal and we read some books and I put the kettle on and went to the kitchen for maybe five minutes and when I came back the cousin was crying and saying sorry and the whole central line is out of the chest lying on the rug with the dressing still stuck to it and blood on the shirt", "red", False),
    ("Amira's dad here Amira is at home with me right now she has been a bit tired since the weekend and we've been doing the mouth care and the flushes and giving her the anti sickness medicine before meals and she's been watching films in bed and her grandmother came over with soup which she didn't really want and I was wondering if we can get a letter for her school about the homework because the teacher keeps emailing and also whether the backpack can get wet in the bath if we cover it with the plastic bag and sorry I'm rambling I'm a bit scared because lips going a greyish blue colour and breathing really fast and hard with the ribs sucking in", "red", True),
    ("Hi. Just a quick update on Ella. She slept ok last night. She had cereal for breakfast. We did the mouthwash after. Her dressing looks clean. The backpack is charged. Her brother is at school. My mum is coming at 4. We have clinic on Friday. Ella is watching Frozen again. The pump has been alarming occlusion for 15 minutes right now and I can't clear it. I checked the clamps. She is sitting on my lap. Also can she have ice cream? The pharmacy called about the delivery. I need to reschedule the dentist. Her school sent a card. Thank you for all your help. Have a nice day. Bye.", "red", False),
    ("Good evening. It's Tom's mum. Tom had a good day at home. He built lego all morning. We had a short walk. Lunch was soup and bread. He drank plenty. He took his tablets on time. We changed his socks and pjs. His sister read him a story. Then he went quiet. He is burning up right now and the thermometer says 39 degrees and he is shaking. He says he is cold. His cheeks are red. Tomorrow we have bloods. Do I bring the diary? Also the parking permit ran out. Can you send a new one? The school sent a card. The dog misses him. Thanks so much. Speak soon.", "red", False),
    ("Hello team. This is Lily's dad. Lily is home with me today. We did the morning flush. She ate some toast. She had a bath with the bag covered. We played board games. She won twice. Her mum is on a night shift. I made pasta for lunch. For the last hour she keeps calling me by her teacher's name and she does not know where she is. She keeps asking the same question. Her speech sounds a bit slurred. I have her on the sofa. Is the Friday clinic still on? Do we need to fast before? The dressing is fine. Her mum says hi. We got the parking letter. Thanks.", "red", False),
    ("Hi nurses. Update from Ben's mum. Ben slept till 9. He had a small breakfast. We changed the dressing yesterday. No alarms overnight. His dad took the dog out. We watched a film. He had apple juice. His grandma phoned. We did some drawing. Right now he is doubled over with really bad stomach pain and screaming when I touch his tummy. He threw up once too. He won't stand up. He is on the bathroom floor. Also when is the next bag change? Our pharmacy delivery is late. The tablets are running low. His teacher sent a card. We got the parking pass. Thanks for everything.", "red", False),
    ("Hey. It's Mia's mum again. Mia is doing her puzzle. She had a shower this morning. The dressing stayed dry. She ate crackers and cheese. Her cousin dropped by. We played cards. I gave her paracetamol at 10. She had a nap. We ordered the chicken pie. Her lips and eyelids are swelling up right now and she has hives all over her neck. She says her throat feels funny. She started scratching after the pie. I have the phone in my hand. Is the clinic open Saturday? Her school sent homework. Her gran sent a card. We need more flushes. The delivery is Monday. Thanks a lot.", "red", False),
    ("你好我是小宇妈妈现在小宇在家里躺着我先跟你们说一下这几天的情况上周五出院回家以后一直按照护士说的每天冲管换敷料药袋也是按时换的胃口一般早上喝了点粥中午吃了半碗面条下午看了会儿动画片我们家老人也过来帮忙了姐姐感冒了我们已经让她住到奶奶家去了另外想问一下下周复查要不要空腹还有那个医保报销的单子要找谁盖章我老公说要去医院问但是他上班走不开我这边也不太清楚流程所以想问问你们还有就是小区门口的药店说漱口水要医生开单子才能买这个能不能在网上开还是一定要去门诊开另外家里的加湿器可不可以用网上有人说会有细菌我们就一直没敢开屋里特别干嘴唇都起皮了还有洗澡的时候背包放在哪里比较好我们一直是放在马桶盖上面不知道行不行不好意思问了这么多顺便说一下体温计夹了两次都是三十九度二浑身发抖盖了两床被子还是喊冷", "red", False),
    ("医生您好我是朵朵爸爸今天下午三点多朵朵在家睡午觉我在厨房做饭她妈妈出去买菜了我们这周一直按要求在家里消毒家里的猫也送到亲戚家去了这几天精神还可以能吃能喝就是有点嘴巴疼漱口水一直在用我想问问那个漱口水用完了能不能在外面药店买还有下次换药的时间是不是周四因为我周四要上班可能要她妈妈一个人带过去另外学校老师问能不能线上上课这个需要医院开什么证明吗还有我们小区最近在装修楼上一直在钻墙灰比较大窗户都不敢开不知道会不会有影响要不要买个空气净化器还有她外婆想从老家过来帮忙住一段时间老人需要做什么检查吗外婆身体挺好的就是有点咳嗽已经好几天了我们也不敢让她过来然后进去看的时候背包里的泵屏幕全黑了按哪个键都没反应换了电池也不亮", "red", False),
    ("护士你好我是浩浩奶奶浩浩今天早上跟我在家他爸妈都去上班了早上起来吃了一个鸡蛋半碗粥然后我们一起搭积木看了一会儿书中午说不太想吃饭我就给他喝了点牛奶平时中午会睡一个小时左右我就让他睡了我自己在客厅叠衣服顺便给他妈妈打了个电话说了一下情况他妈妈让我有事就在这里问你们我年纪大了不太会用手机打字都是用语音说的不好意思啰嗦了我们老家那边的医生说要多喝骨头汤补一补我也不知道能不能喝还有家里的花要不要搬出去他妈妈说要搬我觉得摆在阳台上应该没事吧另外那个冲管的针筒用完了要去哪里拿是去药房还是去护士站我上次去问人家让我去另外一个楼我没找到还有楼下的超市买的水果能不能吃要不要用盐水泡一下我主要是想说睡了快四个钟头了怎么叫都叫不醒拍脸也只是哼一声眼睛睁不开", "red", False),
    ("你好我是乐乐妈妈乐乐现在在家这几天情况总体还行吃饭比之前好一点了昨天护士上门换了敷料说看着挺干净的药也按时换了我们每天都有记录喝水和尿量哥哥这几天放假在家我们让他戴口罩也尽量不让他们一起玩我想问一下能不能吃外卖还有水果要不要都削皮另外医院的停车费能不能报销我老公问了好几次都没问清楚还有下周的复查要提前几点到我们住得比较远要开一个半小时的车如果早上八点要到的话六点多就得出门了不知道能不能约晚一点另外那个病友群里有人说可以申请基金会的补助我们也想了解一下要准备什么材料去哪里交还有就是家里的狗已经送走了但是沙发上还有狗毛要不要全部换掉不好意思问题比较多最后说一下上厕所大便里全是鲜红的血马桶里也红了一大片", "red", False),
    ("您好我是小雨的爸爸今天早上九点多给小雨洗澡的时候发现的我先说一下这两天的情况前天出院以后回家一直挺好的每天按时冲管吃药晚上睡得也还可以就是有时候会说头有点晕我们量了血压也正常她妈妈做了鸡汤喝了一小碗我们家住六楼没电梯出门不方便所以想问一下复查能不能改到下午另外家里消毒用什么比较好网上说法太多了我们也不知道该信哪个有的说用酒精有的说用八四还有的说用紫外线灯我们买了一个紫外线灯但是不知道开多久合适还有学校那边老师说可以在家上网课但是要医院出一个证明这个找哪个科室开另外我们想问一下这个药的费用医保能报多少我们交了押金但是没拿到发票还有就是我们想给家里换个新床垫不知道有没有要求还有就是胸口置管的地方又红又肿一圈发硬按一下会流出黄色的脓喊很疼", "red", False),
    ("你好。我是果果妈妈，想跟你们说一下果果这两天的情况。果果今天一直在家里，没有出门。早上吃了半个馒头，还有一点小米粥。喝了一杯牛奶，没有吐。上午我按护士教的方法换了敷料，看着挺干净的。背包一直正常，昨天晚上也没有报警。她爸爸早上七点就去上班了，晚上才能回来。外婆说下午过来帮忙做饭。我们一起看了一会儿动画片，她还跟着唱歌。她现在突然抽搐了手脚一直在抖眼睛往上翻叫她也不答应。我把她放在床上侧躺着，旁边的东西都拿开了。她姐姐在旁边看着，吓哭了。下周复查要不要空腹，我一直没搞清楚。药房说周五送药，不知道会不会延迟。学校老师问作业的事，我还没回。病友群里有人说可以申请补助，想问问要找谁。家里的消毒液快用完了，医院能不能买。停车证什么时候能办好。谢谢你们。辛苦了。", "red", True),
    ("医生好。我是阳阳爸爸，今天想更新一下阳阳的情况。阳阳最近挺乖的，也不怎么闹了。昨天晚上睡得不错，一觉到天亮。早上吃了一碗鸡蛋羹，还喝了点水。上午在客厅玩积木，玩了快两个小时。我们按时冲管了，没有遇到阻力。敷料看着干净，边上也没有翘起来。奶奶中午做了面条，放了点青菜。他吃了小半碗，说不太饿。刚才他站起来去厕所的时候突然晕倒了现在脸色惨白浑身冷汗手脚冰凉。我把他扶到沙发上了，让他躺平。他说心跳得很快头很晕。他妈妈在回来的路上，大概半小时到。复查时间还是周三上午吗。停车证快过期了，不知道去哪里续。麻烦帮忙问一下。我们想问问下次能不能约下午。医院食堂的饭能不能带给他吃。他班主任说等他回学校要给他开欢迎会。谢谢。", "red", False),
    ("你好。我是天天妈妈，跟你们汇报一下今天的情况。天天今天精神还行，比昨天好一点。早饭吃了粥，还吃了半个鸡蛋。上午看了会儿绘本，自己翻得很认真。我们换了床上的尿布垫，床单也洗了。药袋是昨天护士上门换的，当时一切正常。他爸爸出差了，要下周才回来。家里就我们俩，外婆生病了来不了。中午吃了点米饭和西兰花。下午睡了一觉，睡了一个多小时。醒来他哭闹了一会儿，在床上滚来滚去。现在发现管子和背包那头的接口断开了药水一直往外漏衣服湿了一大片。我已经先用夹子夹住了，不知道对不对。他现在在我怀里，还在哭。下周的复查要带什么材料。医保卡能直接用吗。外婆问能不能过来住几天帮忙。家里的空气净化器要不要一直开着。发票要去哪个窗口打印。谢谢啦。麻烦了。", "red", False),
    ("护士您好。我是欣欣奶奶，欣欣爸妈上班了，今天是我带。欣欣今天在我这，一直挺乖的。早上喝了豆浆，喝了大半杯。吃了一个小包子，是菜馅的。上午玩了拼图，拼了一个小猫，拼完还让我拍照发给她妈妈看。我按时给她吃了药，是她妈妈写在纸上的。中午她说不想吃饭，说嘴巴有点疼。我就给她煮了点粥，放了一点点盐。她喝了几口就不喝了。下午她有点累，在沙发上躺着。她刚才吐了两次吐出来的全是咖啡色还有血丝现在又想吐。她说肚子也不舒服，一直捂着。她妈妈还在上班，电话没打通。我不知道要不要先去医院。明天是不是要复查。家里的药快吃完了。她爸爸问复查能不能改到周六。小区门口的药店能不能买漱口水。上次的发票还没拿到。谢谢你们。", "red", False),
    ("你好。我是小北爸爸，想跟你们说说小北的事。小北今天在家，没去外婆家。早上精神还可以，自己起床刷牙。吃了一点面包，抹了果酱。喝了半杯水，说不太渴。上午看了动画片，看的是他最喜欢的那部，看完还自己画了一张画。我们量了体温，是正常的。下午他姐姐放学回来了，洗了手换了衣服。两个人一起玩了会儿乐高。晚饭吃得不多，就吃了几口米饭。他现在呼吸特别快特别费劲喘不上气说话都说不完整嘴唇有点发青。我让他坐起来了，窗户也打开了。他妈妈在找车钥匙，准备出门。下周复查我们能改时间吗。药房的电话一直打不通。他姐姐学校说最近有人得流感。家里的消毒液用哪种比较好。医保报销的单子要去哪里盖章。谢谢。麻烦了。", "red", True),
]


@pytest.mark.parametrize("text,expect,emergency", AGAINST_ROUND_33)
def test_reports_the_session_21_review_wrote_are_escalated_as_urgent_as_they_are(text, expect, emergency):
    """Escalated (at once, or on the parent's "yes"), as red as they are, with the emergency
    instructions where the sign is life-threatening."""
    found = detector().assess(text)
    assert found.status in (REPORT, ASK)
    assert found.severity == "red" or expect == "amber"
    assert found.emergency or not emergency


@pytest.mark.parametrize("text", [
    "we are in hospital and she has a fever", "we're on the ward and he is fitting", "she's in the first cycle and has a fever",
    "he is in week one and has a fever of 38.5", "she is fitting monday night", "my son is fitting and what if it doesn't stop",
    "his lips are blue what if he stops breathing", "she has a fever of 39 and if it goes higher should we come in",
    "She had a seizure last month, it is happening again", "上个月抽搐过，又来了", "孩子脸上的肿没有消退", "那天以后孩子就一直抽搐",
    "He had a seizure in cycle one — it is happening again", "孩子这个月时常抽搐",
    "his lips are blue and does blina cause this", "she has a fever of 38.9 so we had to cancel her fancy dress party",
    "我儿子抽搐会不会是双抗引起的", "孩子发烧会不会是药物反应", "she hasn't stopped fitting", "he has not stopped vomiting",
    "no one can wake him", "孩子不停地抽搐", "他不停地抽", "he didn't stop fitting for 5 minutes",
    "孩子在抽搐要是一直不停怎么办", "娃发烧39度万一烧到40度咋办", "他管子漏了要是药都漏完了怎么办"])
def test_reports_session_24_found_silent_are_escalated(text):
    """Each was silent (status None) before session 24: a place or phase word read as the past
    ("in hospital", "in the first cycle") over a verb in the present, an "if", "does blina cause"
    or "fancy dress" after the sign read as governing it, 会不会是 read as "could it happen", a
    negated stopping read as a negated sign ("has not stopped", 不停地), a
    recurrence in the next part that never reached the sign, and first versions of that session's
    own rules (a negated 消退, 那天, 个月时, an em dash as a comma)."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", [
    "what do I do if he has a seizure", "could a picc line fall out if he moves a lot in his sleep",
    "do we need a new pump if it was dropped", "she had a seizure last month, it has not happened again",
    "he laughed so hard at the puppet show he got hiccups and couldn't stop", "can blina cause a rash",
    "双抗会不会引起发烧", "blue lips from her zombie face paint", "the vomiting has stopped", "孩子没有抽搐", "he has not had a fever",
    "如果孩子抽搐怎么办", "孩子发烧三十九度的话要去医院吗"])
def test_questions_and_things_over_beside_those_rules_are_not_escalated(text):
    assert detector().assess(text).status != REPORT, text


@pytest.mark.parametrize("text", [
    "we were told to call if anything happened, my son is fitting", "you said to message if the line leaks, it is leaking",
    "医生说如果发烧就打电话，现在发烧39度", "医生交代如果发烧就打电话，孩子发烧39度", "电话打不通孩子在抽搐",
    "病房电话打不通泵一直报警停不下来", "什么办法都不管用管子漏了", "no joke my daughter can't breathe properly",
    "no joke his nosebleed won't stop"])
def test_reports_session_25_found_silent_are_escalated(text):
    """Each was silent before session 25 (probes putting leads and question tails around present
    reports): a conditional in an earlier part — the rule the family was given — read as
    governing a report told after it, and a negation whose reach crossed a new subject ("电话打不通
    孩子在抽搐": 打不通 is "cannot get through"; "no joke")."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", [
    "the nurse told us to message if my son is fitting", "the pump is beeping and won't stop — what does it mean",
    "is it normal that the pump is beeping and won't stop, how long does this usually last",
    "鼻血止不住，是双抗引起的吗", "我觉得浑身发抖打寒战，是双抗引起的吗", "今天没吐，管子漏得到处都是"])
def test_signs_told_beside_a_rule_or_a_question_session_25_are_at_least_asked_about(text):
    """Also silent before session 25: a report inside the rule the family was given, a general
    question after a sign told in the present, and "is it caused by" asked in the next part."""
    assert detector().assess(text).status in (REPORT, ASK), text


@pytest.mark.parametrize("text", [
    "if he has a seizure, his lips turn blue, do I call an ambulance?", "他没发烧", "管子没漏", "孩子吃不下也不发烧",
    "my son has no fever", "what does it mean when the pump is beeping", "Is vomiting common with blinatumomab?",
    "what causes pancreatitis?", "晚上要不要把泵关掉"])
def test_questions_and_negations_beside_the_session_25_rules_are_not_escalated(text):
    assert detector().assess(text).status is None, text


@pytest.mark.parametrize("text", [
    "She was admitted last cycle with a fever she's fitting right now", "Last cycle he had a seizure he is floppy and grey",
    "Last cycle he had a seizure there's blood in his poo", "上个疗程他抽过一次他嘴唇发紫", "If it gets worse we will go in he is floppy and grey",
    "如果严重了我们就去医院，她发烧38度9", "万一再发生怎么办 她叫不醒", "打了双抗以后抽搐超过5分钟", "抽搐经过急救停了，现在在睡",
    "孩子身上的点点压不压都不褪色", "宝宝叫不叫都不应"])
def test_sentences_run_together_or_after_a_finished_condition_are_reports(text):
    """A new subject's sentence in the present, dictated without stops, is read apart from the
    times and endings before it; a condition whose consequence was said ("we will go in", 就去医院,
    怎么办) does not govern the next part. The last four were silenced by first versions of
    session 25's own rules and found by a second reader."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", [
    "用药三天了，没发现孩子发烧，正常吗", "昨晚没见宝宝抽搐，睡得挺好", "打了退烧药以后就不见发烧了", "已经一周不见出血",
    "haven't seen my son fitting at all", "没有其他出血", "医生说如果发烧就打电话", "上周他发烧了他抽了一次", "Last week he had a fever",
    "he had a fever last week he is fine now", "如果刚吃完药就吐了，要不要补吃？", "If her face swells up do I use the EpiPen?",
    "the on-call number or 999?"])
def test_things_over_absent_or_asked_beside_the_session_25_rules_are_not_escalated(text):
    """A negation after a verb of seeing reaches past the child ("没发现孩子发烧"); a sign inside the
    rule the family was given is a conditional; "number" is not "numb"."""
    assert detector().assess(text).status is None, text


@pytest.mark.parametrize("text", [
    "we were told to call if anything happened, he's having a seizure right now what do I do?",
    "医生交代如果发烧就打电话，孩子现在发烧39度了怎么办", "没想到他又抽搐了", "从没见女儿抽搐 现在怎么办",
    "I've never seen my son fitting like this", "haven't seen my daughter bleeding like this before", "机器响了两个小时了",
    "抽搐超过5分钟了，还没停", "没有，管子漏了", "she is fitting they admitted her", "he was admitted with a fever and now 39.5", "上个疗程他抽过一次管子漏得到处都是"])
def test_reports_a_second_reader_found_silenced_or_downgraded_by_session_25_first_versions(text):
    """Found by a second reader of session 25's first versions (reports after a rule with a
    question, a seeing verb blocking a negation's end too widely, 响了…小时 of the pump's box), and
    a combo's negation that reached over a comma."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", [
    "医生说38度就打电话刚量了38.9", "医生说38度就打电话管子漏了", "一直说冷 38.9度要去医院吗", "如果再抽就打120，他又抽了要打吗",
    "要是发烧就去医院，刚量了38.9要去吗", "如果加重了就去医院，他喘不上气了要去吗",
    "if anything changes we'll bring him in, he just had a fit what do I do?",
    "if it gets worse we will go in her right arm keeps twitching", "到医院了还没见到医生 孩子在抽搐", "没见到护士 孩子叫不醒",
    "she was 38.2 an hour ago or so, now she's 39.1", "一个说38.8一个说39.1", "38.6 should i call", "39.4 who do i call",
    "My daughter is poorly. Temperature above 39, do we go to A&E?", "鼻血超过20分钟还没停要去吗",
    "she is fine today apart from the line leaking", "孩子现在他在发烧39度以前也有过", "我女儿今天她在幼儿园晕倒了上次也这样",
    "一开始没觉得孩子在喘，现在越来越厉害了", "she's staring at the wall and not answering"])
def test_reports_a_third_reader_found_silenced_or_downgraded_are_reports(text):
    """Found by a third reader of session 25's rules: a report dictated after the rule with no
    stop, a 说 that was nobody's instruction, a question that also tells what just happened, a
    "not seen" that was not of the child, "or" between times, a reading before the question."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", [
    "he's 38.6, do we ring at 38 or at 38.5?", "孩子39度2 要去医院吗 还是等到39度5", "他现在38度9，要打电话吗 还是39度才打",
    "i've not seen my boy this drowsy", "i didn't notice my son was bleeding until now", "is 39.4 too high?", "does 38.6 count",
    "发烧超过39度了怎么办", "鼻血超过20分钟止不住要去吗", "她跟抽风一样手脚乱动", "医生交代38度就打电话 39度2"])
def test_reports_a_fifth_reader_found_quieter_than_before_session_25_are_reports(text):
    """A fifth reader compared the whole session with its start: a choice beside the child or now,
    "not seen my boy this drowsy", a bare reading in a question, 超过…度了, a simile that was a
    sign, and a reading after 打电话 read as a phone number."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", ["we were told to call if he has a fever", "我不想让孩子发烧 有什么办法", "伤口看不到出血了",
                                  "bed 38度", "room 38 degrees", "这app跟抽风似的一直闪退", "皮肤上找不到出血点", "is 38 a fever?",
                                  "do i phone for 38.0?",
                                  # Sniffling: the second opinion, retrained in session 30, asks about it.
                                  "孩子正在抽鼻涕"])
def test_rules_wishes_and_things_over_the_fifth_and_sixth_readers_found_paged_are_not(text):
    assert detector().assess(text).status != REPORT, text


@pytest.mark.parametrize("text", ["电话不通一直在抽搐", "联系不到医生叫不醒他", "挂不到号管子漏了", "不是他在抽搐吗",
                                  "he is 39.1 now they admitted him with a fever last time"])
def test_reports_a_sixth_reader_found_silenced_are_reports(text):
    """"Can't get through" (不通, 联系不到) negates nothing; "isn't he fitting?" asks about a sign
    that is there; "they admitted him" does not begin a sentence that takes the now away."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", ["没量到孩子发烧", "没发现孩子发烧", "haven't seen my son fitting at all"])
def test_not_measuring_or_not_seeing_the_sign_in_the_child_negates_it(text):
    assert detector().assess(text).status is None, text


@pytest.mark.parametrize("text", [
    "去年娃住院的时候她发烧39度，现在没事了", "上次住院的时候他们说她抽搐是因为发烧", "last cycle she was admitted she has had a seizure and they kept us in a week",
    "万一发烧怎么办，他抽搐怎么办", "如果发烧了我们就去医院吗，他抽搐怎么办", "如果发烧了就去医院，那抽搐了怎么办",
    "she is fine now - he was admitted on friday with a fever", "网上说38.5度以上就来医院"])
def test_stories_and_hypotheticals_a_second_reader_found_escalated_are_not(text):
    assert detector().assess(text).status is None, text


@pytest.mark.parametrize("text", ["the nurse said to ring if he gets a temperature, does 38 count",
                                  "医生说如果发烧就打电话，体温38度要打吗", "抽搐超过5分钟要打120吗", "流鼻血超过半小时怎么办"])
def test_a_reading_asked_about_after_the_rule_is_asked_about(text):
    assert detector().assess(text).status == ASK, text


@pytest.mark.parametrize("text,expected", [
    ("发烧超过38度要打电话吗", ASK), ("医生交代发烧超过38度就打电话，那37度8算不算", None), ("do we call for a fever of 38 or more?", ASK),
    ("体温39度以上要去医院吗", ASK), ("孩子发烧超过38度了", REPORT), ("her temp is above 39", REPORT), ("烧过39度", REPORT),
    ("his temp has been over 38 since lunch", REPORT), ("体温39度以上", REPORT), ("发烧超过39度，吃了美林不退", REPORT),
    ("My son is on blina. Temp above 39.", REPORT), ("抽搐超过5分钟，已经打了120", REPORT)])
def test_a_temperature_given_as_a_bound_is_asked_about_unless_said_of_the_child(text, expected):
    """"超过38度" in a question of nobody is a rule's bound, not a reading (it paged the team, and
    the 过 of 超过 was read as "has happened"); told as news, of the child, or now, it is a report."""
    assert detector().assess(text).status == expected, text


@pytest.mark.parametrize("text", ["idk if this counts as a fever 38.1", "不确定是不是在抽", "不知道是不是抽搐"])
def test_a_sign_told_with_not_knowing_is_at_least_asked_about(text):
    """"idk if…" is no conditional and 不确定 negates nothing: both were silent."""
    assert detector().assess(text).status in (REPORT, ASK), text


@pytest.mark.parametrize("text", ["之前没觉得孩子发烧，现在摸着很烫", "起初没发现孩子发烧", "当时没觉得他抽搐 现在想想应该是",
                                  "医生说38度就打电话 38.9了"])
def test_a_sign_after_an_earlier_doubt_or_a_quoted_rule_is_a_report(text):
    """Not having seen it at first negates nothing, and a bare reading after a quoted rule is read
    (session 25 left "38.9了" after a space unread)."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", ["5岁女儿这两天吃东西吐", "他吃东西吐 是双抗的原因吗", "the redness at the port went away but today there's a small pink ring round the needle again"])
def test_signs_only_the_second_opinion_used_to_ask_about_are_in_the_lexicon(text):
    """Retrained on session 26's sets, the second opinion stopped asking about these: a sign the
    family is to report must not rest on a classifier. The lexicon finds it (the second opinion
    may still make a same-day sign a question, never silence)."""
    found = detector().assess(text)
    assert found.status in (REPORT, ASK) and found.categories and "unwell" not in found.categories, text


@pytest.mark.parametrize("text", [
    "孩子抱着布娃娃抽搐了", "孩子浑身瘫软像个布娃娃", "给娃娃看病娃娃烧到39度5", "孩子头晕得站不稳，希望是虚惊一场",
    "她说胡话，这次不是虚惊一场", "他头晕得站不稳，泵现在是绿灯", "她大便发黑。机器现在绿灯", "你们不觉得孩子抽搐了吗？你们快看看",
    "老公不认为孩子发烧，刚才仔细看确实是", "she had a seizure in the summer heat", "she fainted in the summer heat",
    "it is the first hot day in the summer and my daughter has a drooping face", "he had a sneezing fit then a proper fit",
    "he had a sneezing fit, then he fitted"])
def test_reports_a_second_reader_found_silenced_by_session_26_first_versions(text):
    """Cue words tried for set 40–44 false alarms (dolls as play, 虚惊一场 and a green light as
    over, seasons as past, 不觉得 as a negation, a sneezing fit as no sign) silenced these."""
    assert detector().assess(text).status == REPORT, text


@pytest.mark.parametrize("text", ["he is playing marbles", "she lost her marbles ha", "his clothes are crumpled in a heap",
                                  "he just flops on the bed after school", "牛奶倒在地上了", "楼下那棵树突然倒了"])
def test_everyday_sentences_a_second_reader_found_paging_session_26_terms_do_not(text):
    assert detector().assess(text).status != REPORT, text


@pytest.mark.parametrize("text,expected", [
    ("他没吃东西 一直吐", REPORT), ("病房电话一直没人接 牙龈出血止不住 纸巾换了好几张了", REPORT),
    ("上一疗程肚子一直没事 今天吐了三次", REPORT), ("今天没有 发烧", None), ("他不 发烧了", None), ("孩子今天没 吐", None)])
def test_a_chinese_negation_ends_at_a_space_between_words(text, expected):
    """WeChat messages part sentences with spaces: 没 in one part negated the sign in the next.
    (A negated sign may still be asked about by the second opinion; it is never reported.)"""
    status = Detector(detector().lexicon, second=None).assess(text).status
    assert status == expected, text


@pytest.mark.parametrize("text", ["我闺女正在抽 怎么办啊", "他在抽 快来人", "nursery just rang, he had some kind of fit at lunch",
                                  "今天早上晕了两次，都是站起来的时候"])
def test_reports_of_set_45_in_few_words_are_emergencies(text):
    """A seizure told as 在抽 before a space (it was silent: 在抽 alone also means smoking or a draw)."""
    found = detector().assess(text)
    assert found.status in (REPORT, ASK) and found.emergency, text


@pytest.mark.parametrize("text", ["正在抽烟", "孩子正在抽鼻涕 怎么办", "he had some sort of fit of rage"])
def test_other_meanings_of_the_set_45_words_are_not_emergencies(text):
    assert not detector().assess(text).emergency, text


@pytest.mark.parametrize("text,expected", [
    ("佢冇啦啦抽筋", REPORT), ("他成晚冇停咁抽筋", REPORT), ("孩子有冇可能抽筋 点算", REPORT), ("吃了老豆腐 现在发烧39度", REPORT),
    ("孩子没有明显 发烧 精神挺好", None), ("孩子今天没再 抽搐", None), ("今晚吃毛血旺 一盆血旺好香", None), ("水壶哨音响了", None),
    ("he was fitted for a new wheelchair today", None), ("his nose is pouring with snot", None),
    ("the new shoes are a proper fit", None)])
def test_what_a_second_reader_found_at_the_end_of_session_26(text, expected):
    """Cantonese 冇啦啦 (suddenly), 冇停 (nonstop), 有冇 (whether) negate nothing; 老豆 is in 老豆腐;
    a negation's adverb before a space keeps its reach; new terms that paged everyday sentences."""
    assert detector().assess(text).status == expected, text


@pytest.mark.parametrize("text,expected", [
    ("There's chickenpox going round her class, but she hasn't been in school for six weeks", ASK),
    ("班里有水痘，孩子两个月没去学校了", ASK), ("chickenpox in his class, he was there on friday", REPORT),
    ("班里有水痘 孩子昨天还去上学了", REPORT), ("she hasn't been in school since monday and now she has a fever of 38.6", REPORT)])
def test_an_infection_going_round_that_the_child_was_kept_away_from_is_asked_about(text, expected):
    """Contact is what makes an infection going round a sign: without it the parent is asked
    (and put through on a yes) rather than the team paged; any other sign still pages."""
    assert detector().assess(text).status == expected, text


@pytest.mark.parametrize("text,expected", [
    ("ANC low, 38", (REPORT, ASK)), ("Plts fine. Tmp 38.7", (REPORT,)), ("输了血小板后38.8", (REPORT,)),
    ("血小板没事，38.8了", (REPORT,)), ("血小板低 孩子39度", (REPORT,)), ("ANC is zero, 38.9", (REPORT,)),
    ("刚输完血小板，现在38.6", (REPORT,)), ("打完白细胞针，38.5", (REPORT,)), ("She's just hit 38 cutoff, calling now", (REPORT,)),
    ("He's never been this sleepy, not even last winter - I can't wake him properly", (REPORT,)),
    ("His line site is red and sore, no fever since yesterday though", (REPORT,)),
    ("他管子周围发红流脓，之前的鼻血没在出过", (REPORT,)),
    ("隔壁床的孩子昨天抽了，今天我儿子也在抽", (REPORT,)), ("我儿子在抽", (REPORT,)),
    ("platelets went up to 96 today", (None,)), ("血小板升到96以后就没再出过血", (None,)), ("孩子在抽血", (None, ASK)),
    ("孩子正在抽鼻涕 怎么办", (None,))])
def test_what_the_session_28_second_reader_found(text, expected):
    """A count's name silences a number only when the number is its value ("platelets went up to
    96"), never a reading after a count ("ANC low, 38"); a season, "none since" or 没在出过 is no
    past or over for everything around it; a child 在抽 is a seizure, 抽血 and 抽鼻涕 are not."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("when my son have fever just now, he shaking whole body and eyes go up, what I do", (REPORT,)),
    ("when she have the shaking today, temperature go up to 39.4", (REPORT,)), ("我以为佢扮瞓，点知叫极都唔醒", (REPORT,)),
    ("儿子在床上抽水杯都打翻了", (REPORT,)), ("孩子在抽时间有两分钟了还没停", (REPORT,)), ("Lola's lips have gone blue and she's breathing really fast", (REPORT,)),
    ("女儿在抽脑脊液，医生让她趴着别动", (None, ASK)), ("His nose not stop running, clear snot all day", (None, ASK)), ("馒头蒸得软软的没劲道，孩子不爱吃", (None, ASK)),
    ("I'm so scared my whole body is shaking, they just took her into theatre", (None, ASK))])
def test_what_the_second_reader_of_sets_50_and_51_found(text, expected):
    """"when he have" (a non-native "when he has") and the Cantonese 扮瞓 (pretending) silenced
    reports, ignoring 抽水 / 抽时间 swallowed a seizure, "Lola" is a name as well as a grandmother;
    a child 在抽 a procedure (脑脊液, 骨髓, 痰) is no seizure, nor a runny nose that will "not stop"."""
    assert detector().assess(text).status in expected, text


def test_the_writer_who_says_a_sign_is_their_own_is_not_reporting_the_child():
    """"that's me not him" after the signs: the parent's own stiff neck, not the child's."""
    text = "Stiff neck and a pounding headache from sleeping in the hospital chair, that's me not him"
    assert detector().assess(text).status != REPORT
    assert detector().assess("Stiff neck and a pounding headache since this morning, that's him not me").status == REPORT


@pytest.mark.parametrize("text,expected", [
    ("他有抽动症状", (REPORT,)), ("刚才手脚抽打了好一会儿，现在睡着了", (REPORT,)), ("his eyes went up for a few seconds", (REPORT,)),
    ("blood not stop from the line", (REPORT, ASK)), ("My kid on the ward has spiked to 39.1 and nobody has come yet", (REPORT,)),
    ("our son on the ward has a temp of 38.9", (REPORT,)), ("my whole body is shaking, I haven't slept in two days", (None, ASK)),
    ("孩子在抽纸盒里抽纸，一张一张抽出来", (None, ASK)), ("这个菜咸得齁齁的，他一口都不吃", (None, ASK)),
    ("他说不知道，肩膀往上耸了一下", (None, ASK)), ("he had a staring contest, he managed 40 seconds without blinking!", (None, ASK))])
def test_what_the_second_reader_of_sets_52_and_53_found(text, expected):
    """Ignoring 抽动症 / 抽打 swallowed seizures; "eyes went up", "whole body shaking" and "blood not
    stop" are reports parents write (the parent's own body is ignored instead); a child "on the
    ward has" a sign now; a shrug, a salty dish (齁) and a staring contest are none."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,status,severity", [
    ("ok so I'm the patient. stomach has been cramping really badly and I've had the runs 6 times", REPORT, "red"),
    ("我是患者本人，肚子绞着疼了三个多小时", REPORT, "red"),
    ("I'm the patient and my mum has a fever", ASK, "red")])
def test_a_teenager_who_says_they_are_the_patient_reports_their_own_signs(text, status, severity):
    """Their "I" is the child (it was read as the parent's own and asked about, at amber); a
    family member they name is still somebody else."""
    found = detector().assess(text)
    assert (found.status, found.severity) == (status, severity), found


def test_accents_do_not_split_a_word_and_a_verbs_cannot_negates_nothing_after_it():
    """"muy pálida" was read as "p" + "lida"; "喝不进去整个人软塌塌" had 不 negating the floppiness."""
    assert detector().assess("Mi hija tiene diarrea y está muy pálida").severity == "red"
    found = detector().assess("吐了四次了水也喝不进去整个人软塌塌的")
    assert found.status == REPORT and "circulation" in found.categories
    assert detector().assess("他喝不下去 也不发烧").status is None


@pytest.mark.parametrize("text,expected", [
    ("My ex won't respond to me about who's doing the clinic run", (None, ASK)),
    ("My calf is cramping really badly after the long drive to hospital", (None, ASK)),
    ("The cartoon villain has one side twitching, he thinks it's hilarious", (None, ASK)),
    ("My abuela says I look muy pálida after these night shifts", (None, ASK)),
    ("这张照片里他脸色很pale是因为开了滤镜，本人气色挺好", (None, ASK)), ("他笑得抖唔到气，成日咁癫", (None, ASK)),
    ("他看的恐怖片里说天花板上有人，他晚上不敢关灯", (None, ASK)),
    ("turns out it is a seizure - he's doing it again now", (REPORT,)),
    ("I am the one who noticed it: his line dressing is soaked and the tubing is leaking", (REPORT,)),
    ("There's a purple blotchy pattern on his legs and he feels cold to touch", (REPORT,)),
    ("我刷牙刷到一半，听见他在房间里抽搐，现在还没停", (REPORT,)), ("看电影里打仗的时候突然晕过去了", (REPORT,)),
    ("im the one with the backpack and the pump just stopped, screen blank nothing happening", (REPORT,))])
def test_what_the_second_reader_of_sets_54_to_56_found(text, expected):
    """First cues of this round were too wide: "won't respond to me" of an ex, a calf's cramp, a
    cartoon's twitch, a grandmother's Spanish about the parent, a photo filter, laughing, a horror
    film; and "turns out it is", "I am the one who", "pattern on his", 我刷牙, 电影里 as cues
    silenced or downgraded real reports."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("Parking cost today: 39", (None, ASK)), ("床号，38", (None, ASK)), ("价格：39", (None, ASK)),
    ("The new supermarket is further out than the mark on the map.", (None, ASK)),
    ("她说她画的那条线比我画的那条线长。", (None, ASK)), ("被子往外滑了，我给她盖好了。", (None, ASK)),
    ("脸红得像涂了腮红，摸着很烫，量了38.8。", (REPORT,)), ("导管末端的帽子不见了。", (REPORT, ASK)),
    ("姐姐在学校染上了流感，回家一直跟她玩。", (REPORT, ASK))])
def test_what_the_second_reader_of_sets_57_to_59_found(text, expected):
    """A bare number after any few words and a comma read as a fever made prices and bed numbers
    pages; "further out than", 往外滑了 and 比…画的那条线长 needed the line named; 腮红 as make-up
    silenced a measured 38.8; the Chinese missing cap and a sister's flu were missed."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("I fainted in the shower this morning, probably no sleep. The kids are fine", ASK), ("我发烧了", ASK),
    ("I keep getting headaches at work, could it be my screen", ASK),  # session 40's review: it paged
    ("100.8 what do i do", ASK), ("she is 101.3 now", REPORT), ("it costs 101.5 dollars", (None, ASK)),
    ("If his wee goes dark should I worry? Actually it's been really dark all day", ASK),
    ("had 38.5 last tues, fine since", (None, ASK))])
def test_what_sets_60_to_62_taught(text, expected):
    """The writer's own sign with no child named is asked about, not paged; a one-decimal
    Fahrenheit reading counts (a price does not); "actually" after a what-if takes it back; an
    abbreviated weekday is a past time."""
    status = detector().assess(text).status
    assert status in (expected if isinstance(expected, tuple) else (expected,)), (text, status)


@pytest.mark.parametrize("text,expected", [
    ("外面下雪了，他喊冷不想出门", (None, ASK)), ("这孩子从小就不认人，谁抱都行", (None, ASK)),
    ("电子体温计一直beep，是没电了吗", (None, ASK)), ("校医说体温37.8 孩子一直喊冷 精神也很差", (REPORT, ASK)),
    ("孩子不认人了", (REPORT,)), ("刚量了38.8，等于多少华氏度", (REPORT,))])
def test_what_the_second_reader_of_sets_60_to_62_found(text, expected):
    """喊冷 of the weather, 不认人 of a baby's temperament and a thermometer's beep were reports;
    a conversion question (等于多少) downgraded a measured 38.8."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("she's in the first cycle and has a fever", (REPORT,)),
    ("she was back to her usual self after the nap then she started vomiting blood", (REPORT,)),
    ("老公刚打电话说闺女喊胸口闷吸不上气得坐起来才能喘这是咋回事", (REPORT,)),
    ("pump alarm keeps coming back after i checked the tube", (REPORT,)),
    ("他玩游戏输了气得直跺脚，还翻白眼", (None, ASK))])
def test_what_sets_63_and_64_taught(text, expected):
    """First cues of the round silenced reports across the whole suite: "in the first cycle" as a
    past time, "usual self" as over, and 气得 as anger inside 吸不上气得坐起来; removed."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("他躺在床上眼睛翻起来看天花板，跟我做鬼脸", (None, ASK)), ("他在抽抽纸，一张一张往外拉", (None, ASK)),
    ("佢揸唔实个波，输咗比赛", (None, ASK)), ("气死我了，打电话没人接，孩子现在抽搐", (REPORT,)),
    ("热得人难受，孩子烧到39度了", (REPORT,)), ("我们这边今天热得人喘不过气，能开空调吗", (None, ASK)),
    ("这娃咋个眼睛翻起翻起的，手还在抽抽", (REPORT,))])
def test_what_the_second_reader_of_sets_63_and_64_found(text, expected):
    """眼睛翻起 of a face pulled in play, 在抽抽 of tissues and 揸唔实 of a ball were emergencies or
    reports; 气死我了 and 热得人 as look-alikes downgraded real reports in the same sentence."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("the seizures were years ago, she had another one just now", (REPORT,)),
    ("nosebleed over half an hour, pressing it but it cannot stop", (REPORT,)),
    ("he woke up saying things that made no sense", (REPORT,)),
    ("there's a dent under her ribs every time she breathes in", (REPORT,)),
    ("37度8 一直喊肚子疼", (REPORT,)),
    ("这次烧得比上一轮高 39度5", (REPORT,)),
    ("第一个疗程第5天 孩子发烧了", (REPORT,)),  # the first cycle may be now: no past time
    ("上一轮结束了，这一轮第三天就烧到39度", (REPORT,)),
    ("his seizure was years ago, long before the leukaemia", (None,)),
    ("What does a fit look like in a baby?", (None, ASK)),
    ("We went to A&E for his breathing last month, it turned out to be a cold", (None,)),
    ("He hasn't had anything like a seizure", (None, ASK)),
    ("my phone battery died, the pump is fine", (None,)),
    ("两个月前因为抽搐住过院，之后一直没事", (None, ASK)),
    ("手机又抽风了", (None,)),
    ("谢谢护士推荐的泵包", (None,)),
    ("The boy in the next bay has a fever", (None, ASK))])
def test_what_sets_65_to_67_taught(text, expected):
    """"Ago" is now in "ten minutes ago", not in "the seizure was years ago"; "another one" brings a
    sign back; a sign that cannot be stopped is going on; "a toddler" in a general question is any
    child; "three weeks ago" (三周前) sets the time; a cycle does not (the first may be now)."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,severity,emergency", [
    ("his sick has brown grainy bits in it", "red", False),
    ("拉了四次水样便，又吐了", "red", False),
    ("there's a dent under her ribs every time she breathes in", "red", True)])
def test_signs_of_sets_65_to_67_have_their_severity(text, severity, emergency):
    """Coffee-ground vomit is bleeding; watery diarrhoea with vomiting is two amber signs, so red
    (UKONS); recession under the ribs is an emergency."""
    found = detector().assess(text)
    assert (found.severity, found.emergency) == (severity, emergency), text


@pytest.mark.parametrize("text,expected", [
    ("脸灰灰的 叫他也不怎么理", (REPORT,)),
    ("他呼吸怪怪的", (REPORT,)),
    ("Her rash last week cleared with the cream and she's back to her cheeky self", (None,)),
    ("she was back to her usual self after the nap then she started vomiting blood", (REPORT,)),
    ("Should she get a fever at night, do we come in?", (None, ASK)),
    ("should she get a cold flannel, temp is 38.7", (REPORT,)),
    ("怎么判断孩子是不是脱水了", (None, ASK)),
    ("别的小孩用药后手抖了，常见吗", (None, ASK)),
    ("Our wifi collapsed again, can't get on the video call", (None,)),
    ("请问在哪里取药", (None,)),
    ("昨晚泵报警了，护士来处理了，今天一整天都正常", (None, ASK)),
    ("不知道怎么判断，娃嘴唇发紫了", (REPORT,)),
    ("怎么判断是不是药物反应，宝宝说话含糊了", (REPORT,)),
    ("He collapsed laughing then wouldn't wake up", (REPORT,)),
    ("在沙堆里玩，灰尘弄得他脸发灰，洗个澡就好了", (None, ASK)),
    ("娃儿喊都喊不醒，浑身软得像一摊稀泥巴", (REPORT,))])  # mud as a simile (泥巴 as dirt was withdrawn)
def test_what_sets_68_and_69_taught(text, expected):
    """"Back to her … self" is no sign come back; "should she get …" before the sign is "if"
    (not "should she get a flannel, temp is 38.7"); lay words for a grey face and odd breathing.
    怎么判断 ("how to tell") as an "if" was withdrawn: "不知道怎么判断，娃嘴唇发紫了" lost its alarm."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text", ["his hands have been shaky since this morning and now he has a headache",
                                  "手抖了一上午，现在又说头疼"])
def test_a_tremor_with_a_headache_is_red(text):
    """facts.md: a new mild tremor or a lasting headache is same-day, red with another neuro sign."""
    assert detector().assess(text).severity == "red", text


@pytest.mark.parametrize("text,expected", [
    ("my lips are swelling and my throat feels tight, just had my blina bag changed", (REPORT,)),
    ("38.1 and my head is pounding, I'm the one on blina", (REPORT,)),
    ("头好疼 还有点发烧 我在打双抗", (REPORT,)),
    ("吐了三次 吐出来的有点发绿", (REPORT,)),
    ("天天背着这个泵 真的破防了", (None,)),
    ("我的吸奶器泵坏了，一直漏气", (None,)),
    ("昨天鼻子出血几分钟 之后没再流过", (None,)),
    ("My older girl fell off her bike and her nose bled, she's absolutely fine", (None, ASK)),
    ("我在打双抗的孩子旁边陪床，我自己发烧了", (None, ASK)),  # the parent by the patient's bed
    ("我背着泵包去买菜，我头晕", (None, ASK)),
    ("看到他插着管子我就心慌", (None,)),
    ("今天给他榨了菠菜汁，他很喜欢喝", (None,)),
    ("the pump alarm hasn't stopped beeping even after we pressed the button", (REPORT,)),
    ("泵的报警声一直没停，怎么按都没用", (REPORT,)),
    ("he caught his line on the gate and it's come out", (REPORT,)),
    ("he had green stuff coming from his nose", (None,))])
def test_what_sets_70_and_71_taught(text, expected):
    """A teenager on treatment ("with my blina", 我在打双抗) tells of their own body, "my throat"
    included; green vomit is red; 破防 is slang; a breast pump is another device."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("my son is pulling for air, HELP", (REPORT,)),
    ("主要是他现在喘得厉害，嘴唇有点发紫", (REPORT,)),  # 主要是 ("mainly") holds 要是 ("if")
    ("要是他喘得厉害怎么办", (None, ASK)),
    ("Grandad says she feels hot but the thermometer says 36.7", (None, ASK)),
    ("奶奶说他身上烫，我量了才36.8", (None, ASK)),
    ("he has a fever, 36.5 under the arm after calpol", (REPORT,)),  # a fever told, not felt
    ("he is shivering and has chills, 36.8", (REPORT,)),
    ("He was 36.9 this morning but now he's burning up", (REPORT,)),  # the touch is the later news
    ("上午36.8，现在摸着很烫", (REPORT,)),
    ("the team was pulling for air by the end of the match", (None, ASK))])
def test_what_sets_72_and_73_taught(text, expected):
    """A warmth felt by hand that a normal reading contradicts is asked about, not paged; chills
    and a fever told stay reports."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("Her temp hasnt hit 38 at all, its sitting round 36.9", (None, ASK)),
    ("量了好几遍，37.2，没到38", (None, ASK)),
    ("his temp hasn't hit 38 yet, it is 39.1 now", (REPORT,)),
    ("temp 37.9 at 6pm, at 9pm still not below 38.4", (REPORT,)),
    ("My daughter has a fever of 38.9 and she looks exactly how she did when she was diagnosed", (REPORT,)),
    ("his nose bled and wouldn't stop, it is still going now", (REPORT,)),
    ("晚上几乎不尿床了", (None,)),  # no longer wets the bed: not "hardly passes urine"
    ("他现在晚上几乎不尿裤子了，进步很大", (None, ASK))])
def test_what_sets_74_and_75_taught(text, expected):
    """A bound not reached ("hasn't hit 38", 没到38) is no reading; "below"/"under" stay readings
    ("still not below 38.4"); "at diagnosis" as a past time was withdrawn: parents compare today's
    signs with it."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected", [
    ("笑得喘不过气", (None,)),
    ("换药前她吓得浑身发抖，不过很勇敢", (None,)),
    ("my son is choking with laughter at the cartoon", (None,)),
    ("she gets breathless with giggles when her brother tickles her, is that normal?", (None, ASK)),
    ("她装晕倒在沙发上，已经骗了我好几次了", (None, ASK)),
    ("刚才笑着笑着突然喘不过气，嘴唇发紫", (REPORT,)),
    ("he was choking with laughter and then went blue and floppy", (REPORT,)),
    ("孩子吓得发抖，现在浑身发烫39度", (REPORT,)),
    ("她突然晕倒了，不是装的", (REPORT,))])
def test_what_the_session_31_reader_taught(text, expected):
    """Laughing till breathless, shaking with fright and pretending to faint are no signs; a sign
    told beside them still is."""
    assert detector().assess(text).status in expected, text


@pytest.mark.parametrize("text,expected,emergency", [
    ("I called his name three times and there's no response at all, he's just lying there", (REPORT,), True),
    ("pinched her arm to wake her and got no reaction whatsoever", (REPORT, ASK), True),
    ("rubbed his chest hard and still no response from him, what do I do", (REPORT,), True),
    ("Tapped his shoulder a few times, no reaction, and he's floppy", (REPORT,), True),  # across a comma
    ("摇了摇他，还是没什么反应，怎么办", (REPORT,), True),
    ("捏他他也不哭，一点反应都没有", (REPORT,), True),  # 不哭 negates nothing in the next part
    ("泵上显示电量低 家里的备用电池用完了", (REPORT,), False),
    ("换了新电池泵还是响", (REPORT, ASK), False),
    ("儿子精神头不好，老想睡", (REPORT,), False),
    ("He's thrashing around on the trampoline with his cousins, line is taped down", (None,), False),
    ("女儿看动画片的时候问她话没回应，正常吧", (None,), False),
    ("我跟他说话他没反应，原来是戴着耳机在听故事", (None,), False),
    ("他打游戏太入迷了，跟他说话都没反应", (None, ASK), False),
    ("跟他说话没反应，在跟我赌气呢", (None, ASK), False),
    ("他做梦了，手自己一跳一跳的，醒了就好了，现在在吃早饭", (None,), False),
    ("他今天精神很好，一点也没有精神不好的样子", (None,), False),
    ("The nurse checked his name and gave the platelets, no reaction so far", (None,), False),
    ("Emailed the team with his name and hospital number, no response yet", (None,), False),
    ("Called the nurse line, no response, so I shook him awake and he is fine now", (None,), False),
    ("摇他睡觉，摇了半天也没什么反应，还是精神得很", (None,), False),
    ("The thermometer is dead and we have no spare batteries, how else can I check his temp?", (None,), False),
    ("体温计没电了，家里没有备用电池", (None,), False)])
def test_what_the_session_32_reader_taught(text, expected, emergency):
    """A child who does not react when touched or called by name is an emergency, also across a
    comma; one lost in a game or cartoons, sulking or wearing headphones is not paged, nor a
    dream's twitch, a trampoline's thrashing, a reply not yet come, a name on a form, a child
    rocked to sleep or a thermometer without batteries (two readers' messages: earlier drafts of
    the lexicon paged them)."""
    found = detector().assess(text)
    assert found.status in expected and found.emergency == emergency, (text, found)


def test_only_a_combo_marked_so_reaches_across_a_comma():
    """`across_a_comma` lets the two sides of one combo stand in neighbouring parts ("shook him a
    few times, no reaction"); every other combo stays within one part, as before."""
    reaching = Combo("neuro", "en", ("shook him",), ("no reaction",), "red", True, across_a_comma=True)
    staying = dataclasses.replace(reaching, across_a_comma=False)
    text = "shook him a few times, no reaction"
    assert EnglishCombos([reaching], []).find(text, list(WORD.finditer(text)))
    assert not EnglishCombos([staying], []).find(text, list(WORD.finditer(text)))
    reaching_zh = Combo("neuro", "zh", ("摇了摇他",), ("没什么反应",), "red", True, across_a_comma=True)
    assert ChineseCombos([reaching_zh], []).find("摇了摇他，还是没什么反应")
    assert not ChineseCombos([dataclasses.replace(reaching_zh, across_a_comma=False)], []).find("摇了摇他，还是没什么反应")
    assert not ChineseCombos([reaching_zh], []).find("摇了摇他，然后，还是没什么反应")  # two commas


def test_vomiting_with_hardly_any_urine_is_red():
    assert detector().assess("吐了差不多六次，现在几乎不尿了").severity == "red"


@pytest.mark.parametrize("text,status", [
    # A reviewer's reports that the session's first version silenced or asked about: "下去了" of a
    # count or pressure is no sign that is over; "stopped eating again" is a recurrence; a red flag
    # told with tonight / now / 今天 in its own part is paged however long the story before it.
    ("鼻血一直在流，血小板都下去了", REPORT),
    ("孩子很没精神，脸色苍白，血压都下去了", REPORT),
    ("he has stopped eating and drinking again and is very sleepy and floppy", REPORT),
    ("she stopped feeding again and is very sleepy", REPORT),
    ("Sorry to bother you on a Sunday, I know you're busy, but she has a fever tonight", REPORT),
    ("We are at home now after two weeks on the ward for the first cycle and she has a fever", REPORT),
    ("In the first cycle we had no problems at all, but tonight he has a fever and is shivering", REPORT),
    ("第一个疗程结束以后我们回家休息了两个礼拜，今天开始第二个疗程，现在孩子发烧了", REPORT),
    ("the pump is still beeping after I changed the batteries", REPORT),
    # …and what it paged: a sign that stopped "even though", a time after "kept", a fix told after
    # the comma.
    ("her nosebleed stopped even though I did not pinch her nose", None),
    ("she kept vomiting after we got home yesterday but she has stopped now", None),
    ("the pump was still beeping after I changed the batteries, but the nurse fixed it and it is fine now", None),
])
def test_what_the_session_33_review_taught(text, status):
    assert detector().assess(text).status == status


def test_a_headache_with_feeling_sick_stays_red():
    found = detector().assess("he has a really bad headache and feels like vomiting")
    assert found.status == REPORT and found.severity == "red"


@pytest.mark.parametrize("text,status", [
    # A temperature told with nobody named, in a message asking whether to keep somebody apart
    # from the child: most often that somebody's, so the parent is asked whose it is.
    ("I'm the one with the temperature, 38.3, should I keep away from my son?", ASK),
    ("老二发烧38度5 老大在打贝林 俩孩子要不要分开睡", ASK),
    # The child named with the sign, said now, or named as the one on treatment: a report (a
    # reviewer's; the first version of the rule asked about them).
    ("My son is shivering and 38.7 right now. Should his sister stay away from him in case it's an infection?", REPORT),
    ("Should they share a room tonight? Ella (on the pump) just measured 38.9", REPORT),
    ("孩子发烧39度，需要隔离吗？", REPORT),
    ("孩子现在38.6度，医生说不需要隔离，怎么办？", REPORT),
    ("They share a room with the baby and he is 39.2 tonight?", REPORT),
    # Kept apart in a statement, not asked about: the child's own reading is a report.
    ("We've kept his brother away from him all week, but tonight Sam himself is 38.6", REPORT),
    ("这周一直让哥哥跟他分开住的，结果今晚他自己烧到38度6了", REPORT),
])
def test_a_sign_in_a_question_about_keeping_someone_apart_is_asked_about(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # A reviewer's: another device after new batteries, a newborn not known yet, a hypothetical
    # "from now on", and a pump still alarming after new batteries.
    ("New batteries in the thermometer, still beeps twice when it's done, is that normal?", ASK),
    ("泵没问题，是楼下的车还是响个不停，孩子睡不着", None),
    ("泵很好，就是闹钟还是响了两次", None),
    ("他还不认识弟弟，弟弟刚出生两天", None),
    ("如果从现在开始发烧，要怎么处理？", None),
    ("Pump alarm for an hour, we put new battery, still alarm", REPORT),
    ("孩子现在不认识哥哥了", REPORT),
    # A second reviewer's reports that the rules still softened: the parent ill too and then the
    # child; a visit and then a new fever; a brother named only after the sign; the line oozing.
    ("I am poorly, been up all night with her, 38.9 and rigors", REPORT),
    ("38.7 on tues they sent us home after bloods fine, temp was normal wed, shes boiling hot tonight", REPORT),
    ("发烧38度7 寒战 要不要跟哥哥分开睡", REPORT),
    ("我这两天病着 没力气 管子那边渗血了", REPORT),
])
def test_what_the_session_34_review_taught(text, status):
    assert detector().assess(text).status == status


def test_an_emergency_is_never_asked_about_for_keeping_someone_apart():
    found = detector().assess("he is not breathing properly and his lips are blue, should his sister stay away from him?")
    assert found.status == REPORT and found.emergency


@pytest.mark.parametrize("text,status", [
    # A fever the hospital has already seen, with the child fine now: an update, asked about.
    ("Quick update: the 38.3 from last night, the ward checked her over and sent us home, she's 36.8 this morning", ASK),
    ("昨天下午38.2 带去病房看过了 医生说没事让回家 现在36.7", ASK),
    # Back again, still there, or with another sign now: a report.
    ("They sent us home from A&E yesterday after his 38.4 but tonight he's 38.9 again", REPORT),
    ("We were seen last night for a temperature and sent home, but he's still 38.5 this morning", REPORT),
    ("早上刚从急诊回来，医生说没事，现在又烧到39度了", REPORT),
    ("they checked him over at 2am for the 38.4 and sent us home, now he's shivering and floppy", REPORT),
    # A visit before the fever, or a fever told as fresh: a report (a reviewer's).
    ("A&E sent us home yesterday. She spiked 38.8 an hour ago, I gave calpol and now it is 37.4", REPORT),
    ("They sent us home yesterday, she is 38.9 now. My own temperature is 36.8", REPORT),
    ("孩子刚才寒战，体温38.9，去了急诊打了抗生素，现在37.2", REPORT),
    ("I took her in to bed with me because she felt hot, 38.7, after paracetamol she's 37.3", REPORT),
])
def test_a_fever_the_hospital_has_seen_told_as_an_update_is_asked_about(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # The writer says they are the one who is ill: asked whose sign it is, not paged.
    ("I've come down with a horrible flu, 38.7 and aching all over. Who can change her bag if I'm this ill?", ASK),
    ("是我发烧不是孩子，38度3，孩子好好的在玩", ASK),
    # The child named as the subject after the writer's own illness: a report.
    ("I'm coming down with a cold myself but it's my son I'm worried about, he's 38.6 now", REPORT),
    ("我自己感冒了，现在她也开始咳嗽，呼吸特别快", REPORT),
    ("I took her temperature myself, 38.5", REPORT),
])
def test_a_sign_the_writer_says_is_their_own_is_asked_about(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    ("個仔今朝開始講嘢口齒唔清，好似飲醉酒咁", REPORT),   # Traditional, Cantonese: slurred speech
    ("佢今朝開始講嘢唔清楚，手都喺度震", REPORT),
    ("如果晚上發燒的話，要先打哪個電話？", None),          # a conditional, in Traditional
    ("她上週發燒過，現在已經退燒了，這週都正常", None),      # over
])
def test_traditional_chinese_is_read_as_simplified(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # How to tell whether a sign is there, asked before naming it: a question (it paged the team
    # as an emergency), asked about when a child of one's own is named, a report when said now.
    ("怎么判断孩子是不是呼吸困难", None),
    ("怎么看出孩子抽搐了？", None),
    ("怎样才能看出宝宝呼吸困难", ASK),
    ("怎么判断孩子现在是不是呼吸困难", REPORT),
    ("孩子抽搐了，怎么判断是不是癫痫", REPORT),     # the sign told first, then the question
])
def test_asking_how_to_tell_whether_a_sign_is_there_is_not_a_report(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # 也 starts a second thing: "not playing and not drinking" is a sign, not a negated one.
    ("不玩也不喝水，就呆呆坐着", ASK),
    ("他不说话也不肯喝水", REPORT),
    ("没发烧也吐了两次", REPORT),
    ("今天没发烧也没吐，精神挺好的", None),
    ("不咳嗽也不流鼻涕了", None),
])
def test_a_negation_reaches_only_to_the_next_also(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # A pump whose battery is running down with no spare left: the infusion is about to stop.
    ("电池在闪，家里没有备用电池了", REPORT),
    ("泵提示电量低，最后一节备用电池上周就用掉了，还能撑多久", REPORT),   # last week is the spare's time
    ("low battery beeping and that was the last spare we had", ASK),
    ("Where can we buy spare batteries for the pump?", None),
    ("泵包的肩带断了，在哪里能买到新的", None),                             # the bag's strap, not the pump
    # Texting shorthand for right now; a grey colour of the child, not of the sky.
    ("lips swelling up rn", REPORT),
    ("He's a greyish colour this evening and won't play at all, 37.4", REPORT),
    ("the sky is greyish, is she allowed out in the cold with the pump?", None),
])
def test_what_session_35_taught(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # What a reviewer of session 35's first version found (each was worse than before it).
    ("he passed out in the cold", REPORT),                       # "out in the cold" ignored only when going out
    ("泵的背带断了，掉地上以后一直在报警", REPORT),                  # the strap ignored, never the pump
    ("怎么判断孩子是不是发烧了摸着好烫一直在哭", REPORT),            # how-to-tell reaches only the sign it asks about
    ("如何分辨小孩是在抽搐还是冷得发抖", None),                      # …and both sides of an either-or
    ("she had a seizure in the episode last night and she's still not waking properly", REPORT),
    ("it's been a real hospital drama tonight, he's fitting again and won't stop", REPORT),
    ("his old teddy looks greyish after the wash", None),         # greyish only of the child, face or skin
    ("RN said the nosebleed on monday was from low platelets", None),  # a registered nurse, not "right now"
    ("my son has learned what breathing difficulty means from the nurse, is there a leaflet", ASK),
    ("泵电量低 备用电池没用完 还有两节", None),                       # a * in a combo side never spans a negation
])
def test_what_the_session_35_review_taught(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # What a second reviewer of session 35's new Chinese words found (each paged an ordinary message).
    ("我实在抽不开身，能让他爸爸带他去复查吗", None),        # no bare 在抽: 实在/现在/好在 抽…
    ("医院把孩子的名字写错了", None),                        # the child's own name written wrong only
    ("喜欢瘫在妈妈怀里看动画片", None),
    ("我们一直用了半年的港版奶粉", None),                    # the child's port, not Hong Kong
    ("楼下的车一直在报警", None),
    ("his favourite clothing line is out with a new dinosaur range", None),
    ("his speech is nonsense since he woke up", REPORT),      # nonsense stays an English speech problem
    ("泵包带子磨破了他的管子", REPORT),                        # a worn strap may have worn through the line
])
def test_what_the_second_session_35_review_taught(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,status", [
    # A sign of an earlier cycle than the one the family is in is history; cycle 1 alone may be now.
    ("In cycle 1 he had 39.1 on the first night, this cycle nothing at all so far", None),
    ("第一疗程第一天高烧39.5，现在第二疗程了很平稳", None),
    ("In cycle 1 she spiked 39.2, and now in cycle 2 she is 38.6 tonight", REPORT),
    ("day 3 of cycle 1, he is 38.7 and shivery, this is our first time so I don't know what's normal", REPORT),
    ("第一个疗程烧到39度，这个疗程今天又烧到38.7了", REPORT),
])
def test_a_sign_of_an_earlier_cycle_is_history(text, status):
    assert detector().assess(text).status == status


@pytest.mark.parametrize("text,reported", [
    # What a reviewer of session 36's rules found: the first versions silenced these reports…
    ("Temp 38.9. He's been fine all week, only just started tonight", True),   # fine for the days before
    ("孩子发烧39.2，前几天都很正常", True),
    ("他在抽搐 这几天都没事", True),
    ("rash spreading across his tummy he had similar a few years ago", True),  # years ago of another sentence
    ("孩子睡觉的时候手脚一抽一抽的正常吗 现在还在抽", True),                    # the question does not stand alone
    # …and paged these.
    ("the 24 hr bag is 250 ml, is that right", False),                          # hr is hours
    ("emailed HR about 200 hours unpaid leave", False),
    ("metronome at 180 bpm for her piano practice", False),
    ("吓得我心跳180", False),                                                    # the writer's own heart
    ("His heart rate was 170 last night but 120 now and he's fine", False),     # settled since
    ("box breathing pauses for 4 seconds, the psychologist says it helps her sleep", False),
    ("i wouldn't wake him for meds would you?", False),
    ("he wouldn't respond to my texts all day, teenagers eh", False),
    ("the cursor on my phone is moving on its own", False),
])
def test_what_the_session_36_review_taught(text, reported):
    assert (detector().assess(text).status == REPORT) is reported


@pytest.mark.parametrize("text,reported", [
    # What a second reviewer of session 36 found: 画了 is still a drawing's, whatever is drawn…
    ("他在纸上画了些血滴 说是恐龙受伤了", False),
    ("他给自己胳膊上画了很多出血点，说是斑点狗", False),
    ("下午她拿蜡笔画画，突然连个圆都画不了了", True),                   # …but not "can no longer draw"
    # …and the weather's cold is no child's: "天冷得发抖" was inside "今天冷得发抖".
    ("孩子今天冷得发抖，盖了三层被子还在抖", True),
    ("今天天气冷得发抖，出门要穿多厚", False),
])
def test_what_the_second_session_36_review_taught(text, reported):
    assert (detector().assess(text).status == REPORT) is reported


@pytest.mark.parametrize("text,reported", [
    # What two reviewers of session 37's rules found. A keep-apart question keeps the child's own
    # sign a report; "husbands"/"partners" is often "husband is"…
    ("my little girl is 39.3 and shivering, should her big brother sleep apart from her?", True),
    ("Update: my youngest son is now fitting, his older brother found him, should I keep them apart?", True),
    ("partners driving us in now, she's fitting and won't stop", True),
    ("My husbands just messaged from the ward, she's having a seizure right now", True),
    ("Husbands nose has been bleeding on and off tonight", False),
    # …a feeling then 得 hides no life-threatening sign, nor 得 typed for 的…
    ("孩子看到爸爸回来激动得抽起来了", True),
    ("打针前紧张得嘴唇都紫了", True),
    ("今天发现孩子笑得时候嘴角往一边歪", True),
    ("孩子一点力气都没有，没力气到站都站不稳", True),
    ("他看到礼物激动得说不出话", False),
    # …homework and dose sums are no sign; a child who suddenly cannot count is…
    ("药片数着数着都数乱了，帮我看看剂量", False),
    ("Maths homework: he got stuck on simple sums and cried, I could not help either", False),
    ("She suddenly can't count backwards from 10 today, she could yesterday", True),
    # …household things named in a report do not hide the pump's or the line's sign…
    ("it's leaking onto the air bed from where it connects", True),
    ("the infusion is leaking all over his sleeping bag in the tent", True),
    ("在加油站加油泵突然一直报警", True),
    # …a neurological sign of this morning that is over now is still told to the team…
    ("早上叫了半天才醒，现在好了", True),
    ("半小时前他叫错我名字，现在好了", True),
    ("an hour ago he was really confused, seems ok now", True),
    # …and "and now" turns to a new sign, not "ok now, the dressing was peeling".
    ("the rash cleared up and now his line is leaking", True),
    ("ok now the dressing was peeling this morning", False),
    ("changed the batteries and now the pump has stopped beeping", False),
    ("the bag lies flat now, it was round this morning", True),
    # …another parent relaying this child's sign is no other family's news; the child's own fit in
    # the book corner is no story.
    ("another mum on the ward said he's been fitting for 2 minutes, I'm running back now", True),
    ("隔壁床的家长说孩子嘴唇紫了，我一看真的紫了", True),
    ("跟病友说话的时候孩子突然抽起来了，现在还在抽", True),
    ("another dad on the ward said his daughter had a fit on day two of blina, does that happen a lot?", False),
    ("隔壁床的家长说他儿子昨晚嘴唇都紫了，吓得我一晚没睡", False),
    ("reading in the book corner he had a fit, teacher says he's still jerking", True),
    ("his teammate kicked him in the head and now he's confused and being sick", True),
])
def test_what_the_session_37_reviews_taught(text, reported):
    assert (detector().assess(text).status == REPORT) is reported


@pytest.mark.parametrize("text,reported", [
    # A relative clause between commas is passed over when finding whose sign it is…
    ("My mum, who helps us a lot with Charlie, fainted at the bus stop today", False),
    ("My mum, who lives with us, fainted today.", False),
    ("Charlie, who is 4, fainted today.", True),
    # …another family's news is read in words, whatever punctuation is inside them…
    ("Another mum in the parents' room said her son's line got infected and he had to have it taken out. "
     "It's really shaken me. How common is that?", False),
    # …a sign given as an example in a question is no report, unless the child or now is in it…
    ("Would it be sudden, like a seizure, or more gradual, like being confused or not finding words?", False),
    ("she went stiff, like a seizure, what do I do?", True),
    # …the writer who nearly fainted is the writer ("差点" between 我 and the sign)…
    ("看到这个月的账单我差点晕倒 还好孩子这几天挺乖的", False),
    ("孩子刚才差点晕倒", True),
    # …a tube hanging out of the chest is a line coming out…
    ("the tube from his chest is hanging out longer and the dressing came off", True),
    # …a negation of several words reaches a sign found as two words ("swelling" + "face")…
    ("I can't see any swelling on her face or lips.", False),
    ("her face is swollen, I cannot see any rash though", True),
    # …a reading right after the ground's own temperature words is the ground's…
    ("今天外面跟烧烤一样，地面温度估计四十度，我们一整天没出门", False),
    ("孩子烧到39度，今天吃了烧烤", True),
    # …and coffee-ground vomit is blood, however far the words are apart.
    ("she's been sick and there's stuff in it that looks like coffee granules", True),
])
def test_what_sets_92_and_93_taught(text, reported):
    assert (detector().assess(text).status == REPORT) is reported



@pytest.mark.parametrize("text,status,emergency", [
    # A relative clause between commas is passed over only when the sign's part relays nothing…
    ("My wife, who is with Ella on the ward, says she's fitting", REPORT, True),
    ("Grandad, who is babysitting tonight, says Charlie has a temp of 38.8", REPORT, False),
    ("Dad got home at 11, which woke Charlie, vomited blood twice since", REPORT, False),
    # …our own child named after another family's news is ours…
    ("Another mum in the parents' room said her daughter's wee went red and my daughter's wee is bright red now", REPORT, False),
    # …an example describes the child's sign unless the question is about signs in general…
    ("For example a nosebleed that won't stop, like now, what do I do?", REPORT, True),
    ("手一直抖，比如抽筋那种，怎么办？", REPORT, True),
    # …a reading after the place's own temperature word is the place's, not otherwise…
    ("晚上吃了烧烤，回来一量39度", REPORT, False),
    ("地面温度有50度，孩子今天38度5", REPORT, False),
    ("在车里温度计量的38.6", REPORT, False),
    # …a toy or a medicine named near a real sign hides nothing…
    ("Dolly has a temperature of 38.9", REPORT, False),
    ("He's holding his teddy bear, his lips are blue and he's gasping", REPORT, True),
    ("He's got a fever and pain relief isn't touching his tummy ache", REPORT, False),
    # …and passing out again and again is an emergency.
    ("she keeps passing out", REPORT, True),
    # The second review: cues that hid real reports, withdrawn or narrowed.
    ("he is fitting on the ward nurse has not come back", REPORT, True),
    ("temp 39.2 at midnight nurse has not been back", REPORT, False),
    ("his lips are blue the way they were the night we were admitted", REPORT, True),
    ("She has a new rash on her chest and neck. She settled by 10 and is asleep.", REPORT, False),
    ("hes not breathing weird gasps every few seconds", REPORT, True),
    ("caught his picc on the handle running out the door, it's pulled out a few cm", REPORT, False),
    ("孩子在车里温度又到了39.2", REPORT, False),
    ("he's asleep in his room temp 38.9 should I wake him", REPORT, False),
])
def test_what_the_session_39_review_taught(text, status, emergency):
    found = detector().assess(text)
    assert (found.status, found.emergency) == (status, emergency), text


@pytest.mark.parametrize("text,status,emergency", [
    # A screen that goes blank is the screen's, and "should … ever" opens a condition (session 41)…
    ("my phone died and the screen went blank, sorry", None, False),
    ("the tv went blank halfway through his film", None, False),
    ("Should his lips ever look bluish, is that straight to 999?", None, False),
    ("pump screen went blank no lights nothing", REPORT, False),   # the pump's own sign stays
    # …but only a screen that is the subject, and not a condition that points at now (the review
    # of the first version found these dropped or downgraded).
    ("he was on the tablet then stopped breathing", REPORT, True),
    ("watching tv then went blank", REPORT, True),
    ("her sats on the monitor just dropped to 86", REPORT, True),
    ("should her lips ever look this blue", REPORT, True),
    ("should his line ever look this red and swollen", REPORT, False),
    ("should she ever breathe this fast", ASK, False),
])
def test_screens_and_should_ever_as_session_41s_review_left_them(text, status, emergency):
    found = Detector(detector().lexicon, second=None).assess(text)
    assert (found.status, found.emergency) == (status, emergency)


@pytest.mark.parametrize("text,paged", [
    # A fever the day unit has already seen, told as an update with normal readings since, is
    # asked about, not paged (session 42, blind set 99)…
    ("38.4 last night, they saw her on the day unit, cultures negative, sent home. 36.8 and 37.1 today", False),
    ("昨晚38.3，去日间病房查了一圈没事就回家了，今天都是36.8左右", False),
    # …but not when it is back, or when the visit came before the fever.
    ("38.4 last night, they saw her on the day unit and sent us home, tonight she's 38.9 again", True),
    ("they saw her on the day unit this morning and sent us home, now she is 38.7", True),
    # A school sends a child home too: that is no sign the hospital has seen the fever.
    ("Temp 38.6 at school, they sent him home, he's 37.2 now", True),
    # Nor is a look by somebody the message does not name as the hospital (session 42's review).
    ("昨天38.3，社区诊所看了说没事，今天37.1", True),
    # A sign said to fade in one place and to spread in another is still told now.
    ("脸上的红疹褪了，但是身上的越来越多", True),
    # Another family's child's reading, told by their mother in the part before it, is not
    # paged; a relayed reading of this family's child still is.
    ("隔壁床的妈妈说她儿子管子感染了，烧到39度8进了监护室，吓死我了", False),
    ("奶奶说孩子烧到39度5", True),
    ("grandma rang, she said, 39.2 and shivering", True),
])
def test_seen_and_other_families_readings_as_session_42_left_them(text, paged):
    assert (detector().assess(text).status == REPORT) == paged, text


@pytest.mark.parametrize("text,paged", [
    # A device's own trouble between it and "went blank" leaves the blank screen the device's…
    ("the computer suddenly crashed and went blank", False),
    ("sorry, the tablet froze and went blank halfway through typing", False),
    ("my phone keeps crashing and went blank", False),
    # …and a child named between, or no trouble of the device's, leaves the sign the child's.
    ("the tablet froze and my son went blank, staring, not answering me", True),
    ("watching tv then went blank", True),
])
def test_a_device_that_crashed_and_went_blank(text, paged):
    found = Detector(detector().lexicon, second=None).assess(text)
    assert (found.status == REPORT) == paged, text
