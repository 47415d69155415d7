"""Traditional Chinese read as Simplified, so that one lexicon and one set of rules serve both.

Families write in either script (Hong Kong, Taiwan, families abroad: "個仔今朝開始講嘢口齒唔清"),
while the lexicon, the cues and the context rules are written in Simplified characters. OpenCC's
"t2s" conversion (characters and the phrases whose characters differ) is applied to a message
before it is read and to the lexicon when it is loaded, so that both meet in the same script.
Cantonese words (嘢, 咗, 瞓) are not Traditional characters and stay as they are.
"""
from __future__ import annotations

import functools

import opencc

from bot.language import CJK


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """`text` with Traditional characters written as Simplified (a text with no Chinese as it is)."""
    return _converter().convert(text) if CJK.search(text) else text
