"""Signs told as a thing and what is wrong with it: "the line has a crack in it", "导管破了".

Parents describe pump, line and body signs in endless word orders; listing whole phrases never
keeps up. A combo pairs a list of things (line, tubing, PICC, 导管) with a list of problems
(cracked, leaking, 漏, 破) and counts any pairing that stands close together in one part of a
sentence, in either order, and is not negated. English words may end in `*` (any ending) and
may be several words ("came out"); Chinese ones are plain text, where `*` stands for up to three
characters as in the lexicon's terms.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable, Optional

from bot.redflags.lexicon import Combo
from bot.redflags.negated_list import in_negated_list
from bot.redflags.phrases import COMMA, chinese_pattern, negated_in_gap, without_false_negations

WINDOW_WORDS = 5          # English: at most this many words from one side to the other
WINDOW_CHARS = 5          # Chinese: at most this many characters between the two sides
WINDOW_CHARS_ACROSS_A_COMMA = 10  # Chinese, for a combo that may reach into the next part
NEGATION_BEFORE_WORDS = 3
NEGATION_BEFORE_CHARS = 3  # Chinese
MAX_SPANS = 20            # a side said more often than this is looked at this many times


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


class EnglishCombos:
    def __init__(self, combos: Iterable[Combo], negations: list[str]):
        self.combos = list(combos)
        self.negations = {n for n in negations if " " not in n}
        self.spaced_negations = [f" {n} " for n in negations]
        # Each side's phrases under their first word, so that a message's words are looked at
        # once each: (combo index, side 0 = things / 1 = problems, phrase).
        self.by_word: dict[str, list[tuple[int, int, Phrase]]] = {}
        self.by_prefix: dict[str, list[tuple[int, int, Phrase]]] = {}
        for index, combo in enumerate(self.combos):
            for side, texts in enumerate((combo.things, combo.problems)):
                for phrase in map(Phrase, texts):
                    word, prefix = phrase.words[0]
                    (self.by_prefix if prefix else self.by_word).setdefault(word, []).append((index, side, phrase))
        self.prefixes = tuple(self.by_prefix)

    def find(self, clause: str, found: list[re.Match]) -> list[ComboMatch]:
        tokens = [m.group() for m in found]
        starting = [self._starting(token) for token in tokens]
        # Phrases are matched only for the combos that may have both sides in the clause.
        sides = {(index, side) for entries in starting for index, side, _ in entries}
        wanted = {index for index, side in sides if side == 0 and (index, 1) in sides}
        spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for i, entries in enumerate(starting):
            for index, side, phrase in entries:
                if index not in wanted:
                    continue
                end = phrase.at(tokens, i)
                seen = spans.setdefault((index, side), [])
                if end is not None and len(seen) < MAX_SPANS and (not seen or seen[-1][0] != i):
                    seen.append((i, end))
        matches = []
        for index in sorted(wanted):
            combo, a, b = self.combos[index], spans.get((index, 0), ()), spans.get((index, 1), ())
            pair = next(((x, y) for x in a for y in b if self._close(tokens, x, y, combo.across_a_comma)), None)
            if pair:
                first, last = sorted(pair)
                evidence = " ".join(tokens[first[0]:first[1]]) + "+" + " ".join(tokens[last[0]:last[1]])
                matches.append(ComboMatch(combo, evidence, (found[last[0]].start(), found[last[1] - 1].end())))
        return matches

    @functools.lru_cache(maxsize=4096)
    def _starting(self, token: str) -> tuple[tuple[int, int, Phrase], ...]:
        """The phrases that may start at this word (exact, plural, or by a prefix); cached, as
        the same words come back in every message."""
        found = self.by_word.get(token, []) + self.by_word.get(token[:-1], [])
        if token.startswith(self.prefixes):
            found += [entry for p in self.prefixes if token.startswith(p) for entry in self.by_prefix[p]]
        return tuple(found)

    def _close(self, tokens: list[str], thing: tuple[int, int], problem: tuple[int, int],
               across_a_comma: bool = False) -> bool:
        first, last = sorted((thing, problem))
        if first[1] > last[0]:
            return False  # the same words read as both sides ("drip")
        between = tokens[first[1]:last[0]]
        commas = between.count(",")
        if len(between) - commas > WINDOW_WORDS or not _comma_allowed(commas, across_a_comma, thing < problem):
            return False
        # A negation's reach ends at a comma: "no vomiting, line leaking"; "shook him and he did not cry, no reaction".
        before = _own_part(tokens[max(0, first[0] - NEGATION_BEFORE_WORDS):first[0]])
        said_before = f" {' '.join(before)} "  # for negations of several words: "cannot see any"
        if any(t in self.negations for t in _own_part(between)) or any(cue in said_before for cue in self.spaced_negations):
            return False
        return not in_negated_list(tokens, first[0], last[1] - 1, self.spaced_negations)


class ChineseCombos:
    def __init__(self, combos: Iterable[Combo], negations: list[str]):
        self.combos = list(combos)
        self.negations = negations
        # Every combo word under its first character, to find the few that a clause has.
        self.words_by_char: dict[str, list[str]] = {}
        for word in dict.fromkeys(w for c in self.combos for w in c.things + c.problems):
            self.words_by_char.setdefault(word[0], []).append(word)

    def find(self, clause: str) -> list[ComboMatch]:
        matches = []
        present = {w for char in self.words_by_char.keys() & set(clause) for w in self.words_by_char[char] if w.split("*")[0] in clause}
        for combo in self.combos:
            if present.isdisjoint(combo.things) or present.isdisjoint(combo.problems):
                continue  # one side is not in the clause
            a, b = _occurrences(clause, combo.things, self.negations), _occurrences(clause, combo.problems, self.negations)
            pair = next(((x, y) for x in a for y in b if self._close(clause, x, y, combo.across_a_comma)), None)
            if pair:
                first, last = sorted(pair)
                matches.append(ComboMatch(combo, clause[first[0]:first[1]] + "+" + clause[last[0]:last[1]], last))
        return matches

    def _close(self, clause: str, thing: tuple[int, int], problem: tuple[int, int],
               across_a_comma: bool = False) -> bool:
        first, last = sorted((thing, problem))
        if first[1] > last[0]:
            return False  # overlapping: one word inside the other
        between = clause[first[1]:last[0]]
        commas = len(COMMA.findall(between))
        window = WINDOW_CHARS_ACROSS_A_COMMA if across_a_comma else WINDOW_CHARS
        if len(between) > window or not _comma_allowed(commas, across_a_comma, thing < problem):
            return False
        between = without_false_negations(COMMA.split(between)[-1])  # its own part's words: "捏他他也不哭，一点反应都没有"
        # "没有手抖": 没有 before 手; a negation's reach ends at a comma ("今天没吐，管子漏得到处都是" was silent).
        before = without_false_negations(COMMA.split(clause[max(0, first[0] - NEGATION_BEFORE_CHARS):first[0]])[-1])
        return not any(n in between or n in before for n in self.negations)


def _own_part(tokens: list[str]) -> list[str]:
    """The words after the last comma: the part of the sentence the next word belongs to."""
    return tokens[max((i + 1 for i, t in enumerate(tokens) if t == ","), default=0):]


def _comma_allowed(commas: int, across_a_comma: bool, thing_first: bool) -> bool:
    """No comma between the two sides; for a combo marked `across_a_comma`, one, and then the thing
    must come first ("shook him, no reaction"): a problem before the comma is somebody else's
    ("called the nurse line, no response, so I shook him awake")."""
    return commas == 0 or (across_a_comma and commas == 1 and thing_first)


def _occurrences(clause: str, words: tuple[str, ...], negations: list[str]) -> list[tuple[int, int]]:
    # A side with `*` ("备用电池*用掉") takes the words between as its own: "备用电池上周就用掉" is
    # one side, so "上周" there is the spare battery's time, not the sign's, and a shorter side
    # inside it ("最后一节备用电池") is not looked at apart. Not across a comma, nor over a
    # negation ("备用电池没用完" is no problem).
    wide = [m.span() for word in words if "*" in word for m in chinese_pattern(word).finditer(clause)
            if not COMMA.search(m.group()) and not negated_in_gap(m.group(), word, negations)]
    spans = []
    for word in words:
        start = clause.find(word) if "*" not in word else -1
        while start != -1:
            if not any(a <= start and start + len(word) <= b for a, b in wide):
                spans.append((start, start + len(word)))
            start = clause.find(word, start + 1)
    return wide + spans
