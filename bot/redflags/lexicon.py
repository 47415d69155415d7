"""The red-flag lexicon (content/redflags.yml): categories, severities, terms, cues.

It is data that nurses edit, so loading validates it and says exactly what is wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.settings import LANGUAGES

SEVERITIES = ("amber", "red")
CUE_KINDS = ("negation", "conditional", "over", "past", "recurrence", "other_person", "relay", "child", "report", "now",
             "possibility", "generic", "ignore", "not_typos")


class LexiconError(ValueError):
    """The lexicon file does not follow the format."""


@dataclass(frozen=True)
class Term:
    category: str
    text: str           # as written in the lexicon
    lang: str
    severity: str       # the severity this term reports
    emergency: bool     # life-threatening: the emergency number comes first


@dataclass
class Lexicon:
    terms: list[Term]
    cues: dict[str, dict[str, list[str]]]          # kind -> lang -> phrases (and `ignore`)
    advice: dict[str, dict[str, str]]              # category -> lang -> text
    severity: dict[str, str] = field(default_factory=dict)  # category -> base severity


def _texts(value: object, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where}: expected a list of texts")
    return [v.strip().lower() for v in value]


def parse_lexicon(doc: dict) -> Lexicon:
    if not isinstance(doc, dict) or not isinstance(doc.get("categories"), dict):
        raise LexiconError("the lexicon needs a `categories` mapping")
    cues = {kind: {lang: _texts((doc.get(kind) or {}).get(lang), f"{kind}.{lang}") for lang in LANGUAGES}
            for kind in CUE_KINDS}
    terms, advice, severity = [], {}, {}
    for category, spec in doc["categories"].items():
        if not isinstance(spec, dict) or spec.get("severity") not in SEVERITIES:
            raise LexiconError(f"{category}: severity must be one of {SEVERITIES}")
        severity[category] = spec["severity"]
        advice[category] = {lang: str((spec.get("advice") or {}).get(lang) or "").strip() for lang in LANGUAGES}
        for key, level, emergency in (("terms", spec["severity"], False), ("red_terms", "red", False),
                                      ("emergency_terms", "red", True)):
            for lang in LANGUAGES:
                for text in _texts((spec.get(key) or {}).get(lang), f"{category}.{key}.{lang}"):
                    terms.append(Term(category, text, lang, level, emergency))
        if not any(t.category == category for t in terms):
            raise LexiconError(f"{category}: no terms")
    return Lexicon(terms, cues, advice, severity)


def load_lexicon(path: Path) -> Lexicon:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path.name}: not valid YAML ({exc})") from None
    return parse_lexicon(doc)
