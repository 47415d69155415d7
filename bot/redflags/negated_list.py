"""A sign named as an item of a negated list: "she hasn't had any shaking, headaches or
confusion", "no fever, rash or vomiting".

A negation's reach otherwise ends at a comma ("no fever, vomiting all night" says she is
vomiting). Only short items joined by commas and an "or"/"nor" carry it on: "no fever, he is
vomiting or retching" does not.
"""
from __future__ import annotations

import re

WINDOW_WORDS = 14
# The items between the negation and the sign: runs of at most three words, each ended by a
# comma, "or" or "nor", the last right before the sign ("any shaking , headaches or | confusion").
ITEMS = re.compile(r" (?:(?:[a-z']+ ){0,3}(?:, |or |nor ))+")
OR = re.compile(r" (?:or|nor) ")


def in_negated_list(tokens: list[str], at: int, last: int, negations: list[str]) -> bool:
    """Whether tokens[at:last + 1], a sign, is an item of a list that a negation opens.
    `negations` are the English negation cues, each with a space on both sides."""
    before = " " + " ".join(tokens[max(0, at - WINDOW_WORDS):at]) + " "
    ends = [before.rfind(cue) + len(cue) for cue in negations if cue in before]
    if not ends:
        return False
    items = " " + before[max(ends):].strip() + " "
    if not ITEMS.fullmatch(items):
        return False
    return bool(OR.search(items + " ".join(tokens[at:last + 3]) + " "))  # an "or" before, in or after it
