"""The real-wording evaluation set (bench/realworld/) stays an evaluation set.

Its questions come from public sources and judge how the assistant does on wording nobody here
wrote; one of them copied into the training data would make the figures a lie.
"""
from __future__ import annotations

import re
import unicodedata

import pytest

from bench.realworld import BLIND, HOLDOUT, TUNE, every_case, load_cases, load_out_of_scope_cases
from bot.redflags.cases import SAFETY_DIR, load_cases as load_redflag_cases
from bot.settings import LANGUAGES, load_settings
from bot.training.data import training_examples

ARTICLES = {p.stem for p in (load_settings().content_dir / "articles").glob("*.yml")}


def key(text: str) -> str:
    """Case, punctuation, width and spacing do not make a sentence new."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(" " if unicodedata.category(c).startswith(("P", "S")) else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return load_cases()


def test_no_sentence_of_the_set_is_training_data():
    cases = every_case()
    trained = {key(t) for by_lang in training_examples(load_settings()).values()
               for texts in by_lang.values() for t in texts}
    trained |= {key(c.text) for c in load_redflag_cases(SAFETY_DIR)}
    leaked = [c["id"] for c in cases if key(c["say"]) in trained]
    assert not leaked, f"evaluation questions found in the training data: {leaked}"


def test_the_set_is_large_labelled_and_sourced(cases):
    assert len(cases) >= 300
    for lang in LANGUAGES:
        mine = [c for c in cases if c["lang"] == lang]
        assert len([c for c in mine if c["expect"] == "answer"]) >= 100, lang
        assert len([c for c in mine if c["expect"] == "fallback"]) >= 20, lang
        assert len({c["source"] for c in mine}) >= 15, lang
    for case in cases:
        assert case["expect"] in ("answer", "fallback"), case["id"]
        assert case.get("source"), case["id"]
        assert set(case.get("topics", [])) <= ARTICLES, case["id"]
        assert case["expect"] == "fallback" or case["topics"], case["id"]
    assert len({c["id"] for c in cases}) == len(cases)
    assert len({key(c["say"]) for c in cases}) == len(cases), "a question is in the set twice"


def test_a_fixed_part_is_held_out(cases):
    hashed = [c for c in cases if c["split"] != BLIND]
    held = [c for c in hashed if c["split"] == HOLDOUT]
    assert 0.3 <= len(held) / len(hashed) <= 0.5


def test_a_blind_file_is_held_out_whole(tmp_path):
    (tmp_path / "blind.yml").write_text(
        "split: blind\ncases:\n" + "".join(
            f'- {{id: b-{i}, lang: en, say: "q{i}", expect: fallback, source: s}}\n' for i in range(20)))
    assert {c["split"] for c in load_cases(tmp_path)} == {BLIND}


def test_the_blind_files_stay_blind(cases):
    """Nobody here has read them: a lost `split: blind` line would make them tunable."""
    blind_ids = {c["id"] for c in cases if c["id"].startswith("rw-b38-")}
    assert len(blind_ids) >= 150
    assert {c["split"] for c in cases if c["id"] in blind_ids} == {BLIND}


def test_the_out_of_scope_sets_say_their_split():
    """bench/out_of_scope/: the blind file (session 41's) was never used to tune; the others were
    read (session 40's blind file was shown once in a review, and is tuning now)."""
    cases = load_out_of_scope_cases()
    assert {c["split"] for c in cases if c["id"].startswith("oos-b41-")} == {BLIND}
    assert {c["split"] for c in cases if not c["id"].startswith("oos-b41-")} == {TUNE}
    for lang in LANGUAGES:
        assert len([c for c in cases if c["lang"] == lang and c["split"] == BLIND]) >= 50, lang
    assert all(c["expect"] == "fallback" and c.get("source") for c in cases)
    everything = every_case()
    assert len({key(c["say"]) for c in everything}) == len(everything)


def test_a_file_level_split_other_than_blind_is_refused(tmp_path):
    (tmp_path / "typo.yml").write_text(
        'split: tune\ncases:\n- {id: t-1, lang: en, say: "q", expect: fallback, source: s}\n')
    with pytest.raises(ValueError, match="blind"):
        load_cases(tmp_path)
