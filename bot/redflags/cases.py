"""The red-flag suite's cases: hand-written caregiver messages and what each should get.

Cases live in content/safety/ (redflag_cases.yml, the first suite, and cases/*.yml, written by
category × context × style without looking at the lexicon). A case marked `split: holdout` is
never used to tune the lexicon or to train the second opinion: its figures are reported apart.
`split: open` marks a tuning case the detector still gets wrong (a false alarm that needs world
knowledge to avoid): reported apart too, not trained on, not asserted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.settings import ROOT

SAFETY_DIR = ROOT / "content" / "safety"
TUNE, HOLDOUT, OPEN = "tune", "holdout", "open"


@dataclass(frozen=True)
class Case:
    text: str
    lang: str
    expect: str                       # red | amber | none
    categories: tuple[str, ...] = ()
    emergency: bool = False
    context: str = "report"
    style: str = "plain"
    split: str = TUNE


# libyaml's safe loader where PyYAML has it: the suite's 17,000 cases load in 2 s instead of 12 (it is
# read by the tests, the retrain gate and the second opinion's training), with the same result.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def case_files(folder: Path = SAFETY_DIR) -> list[Path]:
    """The suite's files, in order: the first suite, then cases/*.yml."""
    return [p for p in (folder / "redflag_cases.yml", *sorted((folder / "cases").glob("*.yml"))) if p.exists()]


def load_cases(folder: Path = SAFETY_DIR) -> list[Case]:
    cases = []
    for path in case_files(folder):
        for raw in yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)["cases"]:
            if raw.get("split", TUNE) not in (TUNE, HOLDOUT, OPEN):
                raise ValueError(f"{path.name}: unknown split {raw['split']!r}")
            cases.append(Case(text=raw["text"], lang=raw["lang"], expect=raw["expect"],
                              categories=tuple(raw.get("categories") or ()), emergency=bool(raw.get("emergency")),
                              context=raw.get("context") or _old_context(raw), style=raw.get("style", "plain"),
                              split=raw.get("split", TUNE)))
    return cases


def _old_context(raw: dict) -> str:
    """The first suite has notes instead of contexts."""
    if raw["expect"] != "none":
        return "report"
    note = raw.get("note", "")
    return {"negation": "negated", "hypothetical": "conditional"}.get(note, "generic_question")
