"""The rule-based red-flag detector: does this message REPORT a warning sign happening now?

It runs on every message, whatever the classifier thinks, and is driven by the lexicon that
nurses edit (content/redflags.yml). A sign counts unless it is negated just before ("no
fever", "没有发烧") or its clause only asks about it ("what if he gets a fever", "会不会抽搐")
and carries no report cue ("he has", "现在"). Over-triage is acceptable; a missed red flag
is not, so when in doubt a sign counts. A conditional ("if", "如果") always makes the clause
a question; other question cues ("how do i", "会不会") yield to a report cue ("he has", "现在").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from bot.redflags.lexicon import Lexicon, Term, load_lexicon
from bot.redflags.temperature import Reading, find_temperatures
from bot.settings import ROOT

LEXICON_FILE = ROOT / "content" / "redflags.yml"
DEFAULT_FEVER_THRESHOLD_C = 38.0
LOW_TEMPERATURE_C = 36.0
BORDERLINE_C = 37.5            # below the threshold: a red flag only with another sign
MAX_GAP_WORDS = 3              # words allowed between the words of an English term
NEGATION_WINDOW_WORDS = 4
NEGATION_WINDOW_CHARS = 5     # Chinese: "没有人出水痘"; the scope ends at a comma
COMMA = re.compile(r"[,，、]")
FUZZY_MIN_LENGTH = 5           # shorter words must be spelt right ("fit" is not "fat")

# "不过" breaks a clause only after a comma: inside "喘不过气" it is part of the sign.
CLAUSE_BREAK = re.compile(r"[.!?;。！？；\n]+|\bbut\b|但是|可是|(?<=[,，])\s*不过")
CJK = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"[a-z]+|,")  # commas kept as tokens: a negation's scope ends at one
CONTRACTIONS = [(re.compile(p), r) for p, r in (
    (r"\bcan'?t\b|\bcan not\b", "cannot"), (r"\bwon'?t\b", "will not"), (r"\bisn'?t\b", "is not"),
    (r"\baren'?t\b", "are not"), (r"\bdoesn'?t\b", "does not"), (r"\bdon'?t\b", "do not"),
    (r"\bdidn'?t\b", "did not"), (r"\bhasn'?t\b", "has not"), (r"\bhaven'?t\b", "have not"),
    (r"\bwasn'?t\b", "was not"), (r"\bcouldn'?t\b", "could not"), (r"\bshouldn'?t\b", "should not"),
    (r"\bhe'?s\b", "he is"), (r"\bshe'?s\b", "she is"), (r"\bit'?s\b", "it is"), (r"\bi'?m\b", "i am"),
)]


@dataclass(frozen=True)
class Sign:
    category: str
    severity: str
    emergency: bool
    evidence: str        # the lexicon term or the temperature as written


@dataclass(frozen=True)
class Assessment:
    """What the message reports. `severity` None means: nothing to escalate."""
    severity: Optional[str]
    emergency: bool
    categories: list[str]
    evidence: list[str]
    temperature_c: Optional[float]

    def as_dict(self) -> dict:
        return asdict(self)


def normalise(text: str) -> str:
    """Full-width to ASCII, lower case, contractions expanded (lexicon terms are written so)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    for pattern, replacement in CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def one_edit_apart(a: str, b: str) -> bool:
    """One letter missing, extra, or two neighbours swapped (not substituted: fever ≠ never)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class WordMatcher:
    """Does a message word match a lexicon word (exact, `prefix*`, plural, or one typo away)?"""

    def __init__(self, word: str):
        self.prefix = word.endswith("*")
        self.word = word.rstrip("*")
        self.fuzzy = len(self.word) >= FUZZY_MIN_LENGTH

    def matches(self, token: str, typo: bool = True) -> bool:
        """`typo=False` for real words: "having" is not a misspelt "heaving"."""
        w = self.word
        fuzzy = self.fuzzy and typo
        if self.prefix:
            if token.startswith(w):
                return True
            return fuzzy and any(one_edit_apart(token[:n], w) for n in (len(w) - 1, len(w), len(w) + 1))
        if token == w or token in (w + "s", w + "es"):
            return True
        return fuzzy and one_edit_apart(token, w)


def _deletes(word: str) -> set[str]:
    """The word and every string one letter shorter: two words one edit apart share one."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


class FirstWordIndex:
    """Which lexicon words could a message word match? A symmetric-delete index, so that each
    message word costs a few dictionary look-ups instead of a comparison with every term."""

    def __init__(self, matchers: list[WordMatcher], real_words: frozenset):
        self.real_words = real_words
        self.words: dict[str, list[WordMatcher]] = {}
        self.prefixes: dict[str, list[WordMatcher]] = {}
        for m in matchers:
            keys = _deletes(m.word) if m.fuzzy else {m.word}
            for key in keys:
                (self.prefixes if m.prefix else self.words).setdefault(key, []).append(m)

    def candidates(self, token: str) -> set[WordMatcher]:
        found: set[WordMatcher] = set()
        for key in _deletes(token) | {token[:-2]}:
            found.update(self.words.get(key, ()))
        for n in range(1, len(token) + 2):
            head = token[:n]
            for key in (_deletes(head) if n >= FUZZY_MIN_LENGTH - 1 else {head}):
                found.update(self.prefixes.get(key, ()))
        typo = token not in self.real_words
        return {m for m in found if m.matches(token, typo)}


class EnglishTerm:
    def __init__(self, term: Term, words: list[WordMatcher], real_words: frozenset):
        self.term = term
        self.words = words
        self.real_words = real_words

    def find(self, tokens: list[str], starts: list[int]) -> Optional[int]:
        """Index of the first word of the first match, words in order with small gaps."""
        return next((start for start in starts if self._rest_match(tokens, start + 1)), None)

    def _rest_match(self, tokens: list[str], position: int) -> bool:
        for matcher in self.words[1:]:
            window = range(position, min(len(tokens), position + MAX_GAP_WORDS + 1))
            found = next((i for i in window if matcher.matches(tokens[i], tokens[i] not in self.real_words)), None)
            if found is None:
                return False
            position = found + 1
        return True


def _chinese_pattern(text: str) -> re.Pattern:
    return re.compile(".{0,3}".join(re.escape(part) for part in text.split("*")))


class Detector:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        # Words spelt right are never read as typos of another: the lexicon's own words and the
        # lexicon's list of real words that sit one letter from a term ("having"/"heaving").
        real_words = frozenset(lexicon.cues["not_typos"]["en"]) | {
            w for t in lexicon.terms if t.lang == "en" for w in t.text.split() if not w.endswith("*")}
        matchers: dict[str, WordMatcher] = {}
        self.english = [EnglishTerm(t, [matchers.setdefault(w, WordMatcher(w)) for w in t.text.split()], real_words)
                        for t in lexicon.terms if t.lang == "en"]
        self.first_words = FirstWordIndex([e.words[0] for e in self.english], real_words)
        self.by_first_word: dict[WordMatcher, list[EnglishTerm]] = {}
        for english in self.english:
            self.by_first_word.setdefault(english.words[0], []).append(english)
        self.chinese = [(t, _chinese_pattern(t.text)) for t in lexicon.terms if t.lang == "zh"]
        self.cues = {kind: {"en": [f" {c} " for c in by_lang["en"]], "zh": by_lang["zh"]}
                     for kind, by_lang in lexicon.cues.items()}

    @classmethod
    def from_file(cls, path: Path = LEXICON_FILE) -> "Detector":
        return cls(load_lexicon(path))

    def assess(self, text: str, fever_threshold_c: float = DEFAULT_FEVER_THRESHOLD_C) -> Assessment:
        signs: list[Sign] = []
        borderline: Optional[Reading] = None
        readings = find_temperatures(text)
        for start, end in _clause_spans(text):
            clause = self._without_ignored(normalise(text[start:end]))
            asks_only = self._asks_only(clause)
            signs += self._term_signs(clause, asks_only)
            for reading in (r for r in readings if start <= r.start < end):
                if asks_only:
                    continue
                if reading.celsius >= fever_threshold_c or reading.celsius < LOW_TEMPERATURE_C:
                    signs.append(Sign("fever", "red", False, text[reading.start:reading.end]))
                elif reading.celsius >= BORDERLINE_C:
                    borderline = reading
        if borderline and signs:
            signs.append(Sign("fever", "red", False, text[borderline.start:borderline.end]))
        return _combine(signs, max((r.celsius for r in readings), default=None))

    def _without_ignored(self, clause: str) -> str:
        """Drop phrases that name a sign without reporting it ("fever medicine", "验血")."""
        for phrase in self.lexicon.cues["ignore"]["en"] + self.lexicon.cues["ignore"]["zh"]:
            clause = clause.replace(phrase, " ")
        return clause

    def _asks_only(self, clause: str) -> bool:
        padded = f" {' '.join(WORD.findall(clause))} "
        def has(kind: str) -> bool:
            return any(c in padded for c in self.cues[kind]["en"]) or any(c in clause for c in self.cues[kind]["zh"])
        return has("conditional") or (has("hypothetical") and not has("report"))

    def _term_signs(self, clause: str, asks_only: bool) -> list[Sign]:
        if asks_only:
            return []
        signs = []
        tokens = WORD.findall(clause)
        starts: dict[WordMatcher, list[int]] = {}
        for position, token in enumerate(tokens):
            for matcher in self.first_words.candidates(token) if token != "," else ():
                starts.setdefault(matcher, []).append(position)
        for matcher, positions in starts.items():
            for english in self.by_first_word[matcher]:
                at = english.find(tokens, positions)
                if at is not None and not self._negated_en(tokens, at):
                    signs.append(_sign(english.term))
        if not CJK.search(clause):
            return signs
        for term, pattern in self.chinese:
            match = pattern.search(clause)
            if match and not self._negated_zh(clause, match.start(), match.group(), term.text):
                signs.append(_sign(term))
        return signs

    def _negated_en(self, tokens: list[str], at: int) -> bool:
        # The scope of "no"/"not" ends at a comma or an "and": in "the alarm will not stop
        # and his dressing is soaked" the dressing is not negated.
        window = re.split(r",|\band\b", " ".join(tokens[max(0, at - NEGATION_WINDOW_WORDS):at]))[-1]
        before = f" {window.strip()} "
        return any(cue in before for cue in self.cues["negation"]["en"])

    def _negated_zh(self, clause: str, at: int, matched: str, term_text: str) -> bool:
        before = COMMA.split(clause[max(0, at - NEGATION_WINDOW_CHARS):at])[-1]
        if "是不是" in clause[max(0, at - NEGATION_WINDOW_CHARS - 1):at]:
            return False  # "是不是发烧了" asks; the hypothetical cues decide
        negations = self.cues["negation"]["zh"]
        # A negation inside a wildcard gap also negates: "嘴唇*肿" in "嘴唇都没有肿".
        return any(cue in before or (cue in matched and cue not in term_text) for cue in negations)


_cache: dict[Path, tuple[float, Detector]] = {}


def detector(path: Path = LEXICON_FILE) -> Detector:
    """The detector for the lexicon file as it is now: nurses' edits apply without a restart."""
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        cached = _cache[path] = (mtime, Detector.from_file(path))
    return cached[1]


def _sign(term: Term) -> Sign:
    return Sign(term.category, term.severity, term.emergency, term.text)


def _clause_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for brk in CLAUSE_BREAK.finditer(text.lower()):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _combine(signs: list[Sign], temperature: Optional[float]) -> Assessment:
    """Highest severity wins; two or more amber categories together count as red (UKONS)."""
    categories = list(dict.fromkeys(s.category for s in signs))
    amber = {s.category for s in signs if s.severity == "amber"}
    if any(s.severity == "red" for s in signs) or len(amber) >= 2:
        severity: Optional[str] = "red"
    else:
        severity = "amber" if amber else None
    # Swelling of the face, lips or tongue WITH breathing trouble is anaphylaxis.
    emergency = any(s.emergency for s in signs) or {"allergic", "breathing"} <= set(categories)
    return Assessment(severity, emergency, categories,
                      list(dict.fromkeys(s.evidence for s in signs)), temperature)
