"""Traditional Chinese read as Simplified, so that one lexicon and one set of rules serve both.

Families write in either script (Hong Kong, Taiwan, families abroad: "個仔今朝開始講嘢口齒唔清"),
while the lexicon, the cues and the context rules are written in Simplified characters. OpenCC's
"t2s" conversion (characters and the phrases whose characters differ) is applied to a message
before it is read and to the lexicon when it is loaded, so that both meet in the same script.
Cantonese words (嘢, 咗, 瞓) are not Traditional characters and stay as they are.
"""
from __future__ import annotations

import functools
import re

import opencc

CJK_RANGE = (0x3400, 0xA000)


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


@functools.cache
def _traditional() -> re.Pattern:
    """The characters t2s changes, as one character class: most messages hold none, and finding
    that out costs a regex scan, not a conversion (which would slow every Chinese message by a
    fifth)."""
    every = "".join(map(chr, range(*CJK_RANGE)))
    # t2s maps character for character (13 ms once, against 62 ms one by one); strict: never misread.
    changed = sorted({written for written, simple in zip(every, _converter().convert(every), strict=True) if written != simple})
    return re.compile(f"[{''.join(changed)}]")


def to_simplified(text: str) -> str:
    """`text` with Traditional characters written as Simplified (a text with none as it is)."""
    return _converter().convert(text) if _traditional().search(text) else text
