"""Signs told as a thing and what is wrong with it: "the line has a crack in it", "导管破了".

Parents describe pump, line and body signs in endless word orders; listing whole phrases never
keeps up. A combo pairs a list of things (line, tubing, PICC, 导管) with a list of problems
(cracked, leaking, 漏, 破) and counts any pairing that stands close together in one part of a
sentence, in either order, and is not negated. English words may end in `*` (any ending) and
may be several words ("came out"); Chinese ones are plain text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from bot.redflags.lexicon import Combo

WINDOW_WORDS = 5          # English: at most this many words from one side to the other
WINDOW_CHARS = 5          # Chinese: at most this many characters between the two sides
NEGATION_BEFORE_WORDS = 3
COMMA = re.compile(r"[,，、]")


@dataclass(frozen=True)
class ComboMatch:
    combo: Combo
    evidence: str
    span: tuple[int, int]     # the later side, in the clause: it is blanked when the context is read


class Phrase:
    """One side's word or phrase, matched against message words."""

    def __init__(self, text: str):
        self.words = [(w.rstrip("*"), w.endswith("*")) for w in text.split()]

    def at(self, tokens: list[str], i: int) -> Optional[int]:
        """The index after the phrase if it starts at token i."""
        for offset, (word, prefix) in enumerate(self.words):
            j = i + offset
            if j >= len(tokens) or not (tokens[j].startswith(word) if prefix else tokens[j] in (word, word + "s")):
                return None
        return i + len(self.words)


class Side:
    """The phrases of one side, with a quick test of a word that could start one of them."""

    def __init__(self, texts: tuple[str, ...]):
        self.phrases = [Phrase(t) for t in texts]
        self.exact = {word for p in self.phrases for word, prefix in p.words[:1] if not prefix}
        self.prefixes = tuple(word for p in self.phrases for word, prefix in p.words[:1] if prefix)

    def may_start(self, token: str) -> bool:
        return token in self.exact or token[:-1] in self.exact or token.startswith(self.prefixes)


class EnglishCombos:
    def __init__(self, combos: Iterable[Combo], negations: list[str]):
        self.combos = [(c, Side(c.things), Side(c.problems)) for c in combos]
        self.negations = {n for n in negations if " " not in n}
        # Every first word of every side, so that a message's words are looked at once each.
        self.first_words = {w for _, a, b in self.combos for side in (a, b) for w in side.exact}
        self.prefixes = tuple({p for _, a, b in self.combos for side in (a, b) for p in side.prefixes})

    def find(self, clause: str, found: list[re.Match]) -> list[ComboMatch]:
        tokens = [m.group() for m in found]
        positions = [i for i, t in enumerate(tokens)
                     if t in self.first_words or t[:-1] in self.first_words or t.startswith(self.prefixes)]
        if len(positions) < 2:
            return []
        matches = []
        for combo, things, problems in self.combos:
            a = _spans(tokens, positions, things)
            b = _spans(tokens, positions, problems) if a else []
            pair = next(((x, y) for x in a for y in b if self._close(tokens, x, y)), None)
            if pair:
                first, last = sorted(pair)
                evidence = " ".join(tokens[first[0]:first[1]]) + "+" + " ".join(tokens[last[0]:last[1]])
                matches.append(ComboMatch(combo, evidence, (found[last[0]].start(), found[last[1] - 1].end())))
        return matches

    def _close(self, tokens: list[str], x: tuple[int, int], y: tuple[int, int]) -> bool:
        first, last = sorted((x, y))
        if first[1] > last[0]:
            return False  # the same words read as both sides ("drip")
        between = tokens[first[1]:last[0]]
        if len(between) > WINDOW_WORDS or "," in between:
            return False
        before = tokens[max(0, first[0] - NEGATION_BEFORE_WORDS):first[0]]
        return not any(t in self.negations for t in before + between)


def _spans(tokens: list[str], positions: list[int], side: Side) -> list[tuple[int, int]]:
    spans = []
    for i in positions:
        if not side.may_start(tokens[i]):
            continue
        for phrase in side.phrases:
            end = phrase.at(tokens, i)
            if end is not None:
                spans.append((i, end))
                break
    return spans


class ChineseCombos:
    def __init__(self, combos: Iterable[Combo], negations: list[str]):
        self.combos = list(combos)
        self.negations = negations

    def find(self, clause: str) -> list[ComboMatch]:
        matches = []
        for combo in self.combos:
            a, b = _occurrences(clause, combo.things), _occurrences(clause, combo.problems)
            pair = next(((x, y) for x in a for y in b if self._close(clause, x, y)), None)
            if pair:
                first, last = sorted(pair)
                matches.append(ComboMatch(combo, clause[first[0]:first[1]] + "+" + clause[last[0]:last[1]], last))
        return matches

    def _close(self, clause: str, x: tuple[int, int], y: tuple[int, int]) -> bool:
        first, last = sorted((x, y))
        if first[1] > last[0]:
            return False  # overlapping: one word inside the other
        between = clause[first[1]:last[0]]
        if len(between) > WINDOW_CHARS or COMMA.search(between):
            return False
        return not any(n in between or n in clause[max(0, first[0] - 2):first[0]] for n in self.negations)


def _occurrences(clause: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = []
    for word in words:
        start = clause.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = clause.find(word, start + 1)
    return spans
