"""Who and when: is a clause that names a warning sign a report about this child, now?

Parents wrap reports in questions all the time ("he's had a seizure, is this from blina?",
"孩子发烧39度，正常吗"), so question words alone never make a clause a question. What decides is
whether the sign is said *of the child* (he, my son, 孩子, 宝宝) or *now* (this morning, 刚才,
a temperature reading, "发烧了"), and whether something takes it away: a conditional ("if",
"如果"), a sign that is over ("gone now", "退烧了"), another person ("my husband has"), or a
possibility ("can blina cause", "会不会"). A sign with none of these clues is neither a report
nor a question: the assistant asks "is this happening to your child now?" rather than guess.

The cue phrases are data that nurses edit (content/redflags.yml); this module is the decision.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

__all__ = ["Context", "CueSet", "classify"]

# Cue kinds this module reads from the lexicon.
CONTEXT_CUES = ("conditional", "over", "past", "recurrence", "other_person", "child", "report", "now",
                "possibility", "generic")
LATIN_WORDS = re.compile(r"[a-z]+|[!?]")


class Context(enum.Enum):
    REPORT = "report"        # about this child, now: escalate
    QUESTION = "question"    # conditional or generic: answer the question
    NOT_NOW = "not_now"      # over, or somebody else's sign: nothing to escalate
    UNSURE = "unsure"        # a sign with no clue either way: ask the parent


@dataclass(frozen=True)
class CueSet:
    """Cue phrases per kind: English ones padded with spaces (whole words), Chinese as written."""

    english: dict[str, tuple[str, ...]]
    chinese: dict[str, tuple[str, ...]]

    @classmethod
    def from_lexicon(cls, cues: dict[str, dict[str, list[str]]]) -> "CueSet":
        return cls({kind: tuple(f" {c} " for c in cues[kind]["en"]) for kind in CONTEXT_CUES},
                   {kind: tuple(cues[kind]["zh"]) for kind in CONTEXT_CUES})


@dataclass(frozen=True)
class Clause:
    """One clause in the forms the cue look-ups need."""

    words: str       # " he is having a seizure ? " : Latin words and ?/! between single spaces
    chinese: str     # the clause as written (normalised), for Chinese cues

    @classmethod
    def of(cls, text: str) -> "Clause":
        return cls(f" {' '.join(LATIN_WORDS.findall(text))} ", text)

    def has(self, cues: CueSet, kind: str) -> bool:
        return any(c in self.words for c in cues.english[kind]) or any(c in self.chinese for c in cues.chinese[kind])

    def without(self, cues: CueSet, kind: str) -> "Clause":
        words, chinese = self.words, self.chinese
        for c in cues.english[kind]:
            words = words.replace(c, " ")
        for c in cues.chinese[kind]:
            chinese = chinese.replace(c, " ")
        return Clause(words, chinese)


def classify(clause_text: str, cues: CueSet, *, before: str = "", perfective: bool = False, measured: bool = False,
             child_in_message: bool = False, exposure: bool = False) -> Context:
    """The context of a clause that names a sign.

    `before`: the text of the sentence before this clause, where a conditional still reaches
    ("如果孩子出冷汗、手脚冰凉").
    `perfective`: a Chinese sign is followed by 了 ("发烧了"), which says it has happened.
    `measured`: the sign is a temperature reading, which is a report unless something takes it
    away; in a general question with no child ("is 38.2 a fever?") the parent is asked.
    `child_in_message`: another clause of the message names the child ("Tom is 4. vomiting all night").
    `exposure`: the sign is contact with an infection, which is by nature somebody else's illness.
    """
    clause = Clause.of(clause_text)
    if clause.has(cues, "conditional") or Clause.of(before).has(cues, "conditional"):
        return Context.QUESTION
    again = clause.has(cues, "recurrence")
    if clause.has(cues, "over") and not again:
        return Context.NOT_NOW
    if clause.has(cues, "past") and not (again or clause.has(cues, "now")):
        return Context.NOT_NOW
    if clause.has(cues, "other_person") and not exposure:
        clause = clause.without(cues, "other_person")
        if not clause.has(cues, "child"):
            return Context.NOT_NOW
    if measured:
        generic = clause.has(cues, "generic") or clause.has(cues, "possibility")
        return Context.UNSURE if generic and not (clause.has(cues, "child") or child_in_message) else Context.REPORT
    if perfective or clause.has(cues, "now"):
        return Context.REPORT
    possible = clause.has(cues, "possibility")
    if (clause.has(cues, "child") or clause.has(cues, "report")) and not possible:
        return Context.REPORT
    if possible or clause.has(cues, "generic"):
        return Context.QUESTION
    # A bare sign, or a bare "seizure, what to do?": a question word alone decides nothing.
    return Context.REPORT if child_in_message else Context.UNSURE


def names_child(text: str, cues: CueSet) -> bool:
    """Does this text name the child (he, my son, 孩子)? For clauses that do not repeat it."""
    return Clause.of(text).without(cues, "other_person").has(cues, "child")
