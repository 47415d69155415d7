"""The red-flag detector on an independent, hand-written set of caregiver messages
(content/safety/redflag_cases.yml: every category, both languages, positive, negated and
hypothetical), plus the rules that combine signs."""
from __future__ import annotations

import pytest
import yaml

from bot.redflags.detector import Detector, detector, one_edit_apart
from bot.redflags.lexicon import LexiconError, parse_lexicon
from bot.settings import ROOT

REDFLAG_CASES = ROOT / "content" / "safety" / "redflag_cases.yml"  # also the retrain gate's suite
CASES = yaml.safe_load(REDFLAG_CASES.read_text(encoding="utf-8"))["cases"]
CATEGORIES = {"fever", "breathing", "neuro", "circulation", "bleeding", "abdominal", "allergic", "pump_failure",
              "line_infection", "vomiting", "urine", "skin", "neuro_mild", "line_dressing", "exposure"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['lang']}-{c['expect']}-{c['text'][:40]}")
def test_case(case):
    found = detector().assess(case["text"])
    if case["expect"] == "none":
        assert found.severity is None, found
        return
    if case["expect"] == "red":
        assert found.severity == "red", found      # under-triage of a red flag is never acceptable
    else:
        assert found.severity in ("amber", "red"), found  # over-triage of amber is acceptable
    assert set(case.get("categories") or []) <= set(found.categories), found
    if case.get("emergency"):
        assert found.emergency, found


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


def test_lexicon_edits_apply_without_a_restart(tmp_path):
    path = tmp_path / "redflags.yml"
    doc = {"categories": {"exposure": {"severity": "amber", "terms": {"en": ["chickenpox"], "zh": ["水痘"]}}}}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert detector(path).assess("his friend has mumps").severity is None
    doc["categories"]["exposure"]["terms"]["en"].append("mumps")
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    import os
    os.utime(path, (1, 1))  # a different mtime even within the same second
    assert detector(path).assess("his friend has mumps").severity == "amber"
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
    ("已经退烧了", None, []),
    ("抽血的时候哭了", None, []),                                      # a blood draw is not a seizure
])
def test_real_words_are_not_typos_of_warning_signs(text, severity, categories):
    found = detector().assess(text)
    assert found.severity == severity and found.categories == categories, found
