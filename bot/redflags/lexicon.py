"""The red-flag lexicon (content/redflags.yml): categories, severities, terms, cues.

It is data that nurses edit, so loading validates it and says exactly what is wrong.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

from bot.i18n import N_
from bot.redflags.simplified import to_simplified
from bot.settings import LANGUAGES

SEVERITIES = ("amber", "red")
# The red-flag categories of content/redflags.yml (ids are fixed there).
CATEGORY_NAMES = {
    "fever": N_("Fever"), "breathing": N_("Breathing"), "neuro": N_("Neurological signs"),
    "circulation": N_("Circulation, fainting"), "bleeding": N_("Bleeding, bruising"),
    "abdominal": N_("Severe stomach pain"), "allergic": N_("Allergic reaction"),
    "pump_failure": N_("Pump or line failure"), "line_infection": N_("Line infection signs"),
    "vomiting": N_("Vomiting, diarrhoea"), "urine": N_("Little or dark urine"), "skin": N_("Rash"),
    "neuro_mild": N_("Mild neurological signs"), "line_dressing": N_("Line dressing problem"),
    "exposure": N_("Infection exposure"), "mouth": N_("Mouth sores"), "unwell": N_("Unwell, other worry"),
}
# The lexicon's cue kinds: bot/redflags/context.py reads all but negation, ignore and not_typos.
CUE_KINDS = ("negation", "conditional", "over", "past", "recurrence", "other_person", "other_child", "relay", "child", "any_child", "explain", "recognise", "attribution", "cause", "report", "now",
             "possibility", "generic", "look_alike", "pretend", "no_contact", "seen", "keep_apart", "writer_ill", "ignore", "not_typos")


class LexiconError(ValueError):
    """The lexicon file does not follow the format."""


@dataclass(frozen=True)
class Term:
    category: str
    text: str           # as written in the lexicon
    lang: str
    severity: str       # the severity this term reports
    emergency: bool     # life-threatening: the emergency number comes first
    ask_only: bool = False  # a complaint too general to report: the parent is asked, never assumed


@dataclass(frozen=True)
class Combo:
    """A sign told as a thing and what is wrong with it, near each other in either order:
    ("line", "cracked"), ("导管", "漏"). Nurses list the two sides; every pairing counts."""
    category: str
    lang: str
    things: tuple[str, ...]
    problems: tuple[str, ...]
    severity: str
    emergency: bool = False
    # The two sides may stand in neighbouring parts of a sentence, farther apart: "tapped his
    # shoulder a few times, no reaction", "我拍他脸拍了好几下，毫无反应".
    across_a_comma: bool = False


@dataclass
class Lexicon:
    terms: list[Term]
    cues: dict[str, dict[str, list[str]]]          # kind -> lang -> phrases (and `ignore`)
    advice: dict[str, dict[str, str]]              # category -> lang -> text
    severity: dict[str, str] = field(default_factory=dict)  # category -> base severity
    combos: list[Combo] = field(default_factory=list)
    position: dict[str, str] = field(default_factory=dict)  # category -> first-aid position it advises
    positions: tuple[str, ...] = ()                        # positions, the one that wins first

    def first_aid(self, categories: list[str]) -> list[str]:
        """The categories whose advice a family reads, in this order: the one advising the
        position that wins first ("on their side" for a seizure before "sit up" for breathing),
        then the others, leaving out any that advise another position: two signs never give
        contradicting first aid."""
        rank = {name: i for i, name in enumerate(self.positions)}
        placed = sorted((c for c in categories if c in self.position), key=lambda c: rank[self.position[c]])
        chosen = self.position[placed[0]] if placed else None
        return placed[:1] + [c for c in categories if c not in placed[:1] and self.position.get(c, chosen) == chosen]

    @functools.cached_property
    def emergency_categories(self) -> frozenset[str]:
        """The categories with life-threatening forms (a fit, blue lips, bleeding that will not
        stop): a red report in one of them that did not read as an emergency may still be one."""
        return frozenset(t.category for t in self.terms if t.emergency) | {c.category for c in self.combos if c.emergency}

    def first_aid_advice(self, categories: list[str], lang: str) -> list[str]:
        """The advice lines for these signs, in `first_aid` order, in `lang`."""
        return [self.advice[c][lang] for c in self.first_aid(categories) if self.advice.get(c, {}).get(lang)]


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
    terms, advice, severity, combos = [], {}, {}, []
    for category, spec in doc["categories"].items():
        if not isinstance(spec, dict) or spec.get("severity") not in SEVERITIES:
            raise LexiconError(f"{category}: severity must be one of {SEVERITIES}")
        severity[category] = spec["severity"]
        advice[category] = {lang: str((spec.get("advice") or {}).get(lang) or "").strip() for lang in LANGUAGES}
        for key, level, emergency in (("terms", spec["severity"], False), ("red_terms", "red", False),
                                      ("emergency_terms", "red", True), ("ask_terms", spec["severity"], False)):
            for lang in LANGUAGES:
                for text in _texts((spec.get(key) or {}).get(lang), f"{category}.{key}.{lang}"):
                    terms.append(Term(category, text, lang, level, emergency, key == "ask_terms"))
        combos += _combos(category, spec)
        if not any(t.category == category for t in terms):
            raise LexiconError(f"{category}: no terms")
    positions = _positions(doc.get("positions") or {})
    position = {category: _position(category, spec, advice[category], positions)
                for category, spec in doc["categories"].items()}
    return Lexicon(terms, cues, advice, severity, combos,
                   {c: p for c, p in position.items() if p}, tuple(positions))


def _positions(doc: object) -> dict[str, dict[str, list[str]]]:
    """First-aid positions, the most important first, with the words that advise each."""
    if not isinstance(doc, dict):
        raise LexiconError("positions: expected a mapping of position -> {en: [...], zh: [...]}")
    return {name: {lang: _texts((words or {}).get(lang), f"positions.{name}.{lang}") for lang in LANGUAGES}
            for name, words in doc.items()}


def _position(category: str, spec: dict, advice: dict[str, str], positions: dict) -> str | None:
    """The position a category's advice names, which it must declare: the words of another
    position in its advice would contradict the advice of a sign reported with it."""
    declared = spec.get("position")
    if declared is not None and declared not in positions:
        raise LexiconError(f"{category}.position: must be one of {', '.join(positions) or '(no positions listed)'}")
    for lang in LANGUAGES:
        named = [name for name, words in positions.items() if any(w in advice[lang].lower() for w in words[lang])]
        if any(name != declared for name in named):
            raise LexiconError(f"{category}.advice.{lang} advises the position '{named[0]}': declare "
                               f"`position: {named[0]}` (and no other position in its advice)")
    return declared


# A combo's keys in redflags.yml: its fields but those the loader fills in.
COMBO_KEYS = {f.name for f in fields(Combo)} - {"category", "lang"}


def _combos(category: str, spec: dict) -> list[Combo]:
    combos = []
    for i, combo in enumerate(spec.get("combos") or []):
        where = f"{category}.combos[{i}]"
        if not isinstance(combo, dict) or not isinstance(combo.get("things"), dict) \
                or not isinstance(combo.get("problems"), dict):
            raise LexiconError(f"{where}: needs `things` and `problems`, each with en and zh lists")
        unknown = sorted(set(combo) - COMBO_KEYS)
        if unknown:  # a misspelt flag would be ignored without a word
            raise LexiconError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(COMBO_KEYS))})")
        level = combo.get("severity", spec["severity"])
        if level not in SEVERITIES:
            raise LexiconError(f"{where}: severity must be one of {SEVERITIES}")
        for lang in LANGUAGES:
            things = _texts(combo["things"].get(lang), f"{where}.things.{lang}")
            problems = _texts(combo["problems"].get(lang), f"{where}.problems.{lang}")
            if things and problems:
                combos.append(Combo(category, lang, tuple(things), tuple(problems), level,
                                    bool(combo.get("emergency")), bool(combo.get("across_a_comma"))))
    return combos


def load_lexicon(path: Path) -> Lexicon:
    try:
        return lexicon_from_text(path.read_text(encoding="utf-8"))
    except LexiconError as exc:
        raise LexiconError(f"{path.name}: {exc}") from None


@functools.lru_cache(maxsize=2)
def lexicon_from_text(text: str) -> Lexicon:
    """The lexicon in `text` (a redflags.yml), validated: LexiconError says what is wrong.
    (Cached: `content import` validates the file before storing anything, then stores it, and a
    server builds its detector from the same text; the result is read, never changed.)"""
    try:
        doc = yaml.safe_load(to_simplified(text))  # as messages are read (bot/redflags/simplified.py)
    except yaml.YAMLError as exc:
        raise LexiconError(f"not valid YAML ({exc})") from None
    return parse_lexicon(doc)
