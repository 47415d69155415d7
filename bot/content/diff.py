"""A diff nurses can read: the words (in Chinese, the characters) inserted and deleted in a text.

Reviewers approve what families will read, so the diff works on that text, not on the YAML
that stores it. English is compared word by word; Chinese has no spaces between words, so each
CJK character is a token of its own. The HTML escapes every piece of article text itself, so
that a `<script>` typed into an answer is shown, never run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape

# Han, CJK punctuation, kana, bopomofo and full-width forms: one token per character.
CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
WORD = rf"[^\W{CJK}]+(?:['’.,:][^\W{CJK}]+)*"  # "don't", "38.5", "1,000" and "2:30" stay whole
TOKEN = re.compile(rf"[{CJK}]|{WORD}|\s+|.", re.S)
SAME, INSERTED, DELETED = "same", "ins", "del"


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME, INSERTED or DELETED
    text: str


def tokens(text: str) -> list[str]:
    """Words, single CJK characters, runs of white space and single marks, in order."""
    return TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[Piece]:
    """`old` turned into `new` as pieces kept, deleted and inserted (tokens, not lines)."""
    before, after = tokens(old), tokens(new)
    # autojunk off: in Chinese every common character would otherwise count as junk.
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    pieces = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(SAME, "".join(before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece(DELETED, "".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(INSERTED, "".join(after[j1:j2])))
    return absorb_slivers(pieces)


def absorb_slivers(pieces: list[Piece]) -> list[Piece]:
    """A space or a single character kept between two changes becomes part of both, so that a
    reworded phrase reads as one deletion and one insertion rather than as confetti."""
    result = []
    for index, piece in enumerate(pieces):
        inside = 0 < index < len(pieces) - 1
        if piece.kind == SAME and inside and len(piece.text.strip()) <= 1:
            result += [Piece(DELETED, piece.text), Piece(INSERTED, piece.text)]
        else:
            result.append(piece)
    return result


def joined(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring pieces of one kind as one piece (one <ins> rather than five)."""
    result: list[Piece] = []
    for piece in pieces:
        if result and result[-1].kind == piece.kind:
            result[-1] = Piece(piece.kind, result[-1].text + piece.text)
        elif piece.text:
            result.append(piece)
    return result


def side(pieces: list[Piece], which: str) -> Markup:
    """One column of a side-by-side diff: "old" shows what is deleted, "new" what is inserted.
    Each piece is escaped here, so the result can be put in a page as it is."""
    shown = DELETED if which == "old" else INSERTED
    html = Markup("")
    for piece in joined([p for p in pieces if p.kind in (SAME, shown)]):
        if piece.kind == SAME:
            html += escape(piece.text)
        else:
            html += Markup('<{0} class="{1}">{2}</{0}>').format(piece.kind, "add" if piece.kind == INSERTED else "del",
                                                              piece.text)
    return html


def added_and_removed(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """Items of a list (example questions, sources) that are new, and those that are gone;
    a reworded item is both: for the model it is a different example."""
    before, after = {item.strip() for item in old}, {item.strip() for item in new}
    return ([item for item in new if item.strip() not in before],
            [item for item in old if item.strip() not in after])
