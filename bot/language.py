"""The language a message is written in: the reply follows it (the UI's `lang` is only a hint).

Light on purpose (no Rasa): the NLU component (bot/nlu/language.py) and the gateway, which
answers a rate-limited message itself, both use it.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.settings import LANGUAGES

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
# Words and measurements that say nothing about the writer's language: "ok", "38.5C", "5 ml".
NEUTRAL = re.compile(
    r"\b(?:ok(?:ay|k)?|k{1,2}|hm+|ah+|oh+|ha(?:ha)+|he(?:he)+|lol|xd)\b"
    r"|\d+(?:[.,]\d+)?\s*(?:°\s*)?(?:c|f|ml|mg|kg|cm|mm|hrs?|h|am|pm)?\b", re.IGNORECASE)


def detect(text: str) -> Optional[str]:
    """`zh`, `en`, `mixed`, or None when nothing in the text tells (or it is a button payload)."""
    if text.startswith("/"):
        return None
    text = NEUTRAL.sub(" ", text)
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    if cjk and latin:
        return "mixed"
    return "zh" if cjk else "en" if latin else None


def reply_language(text: str, hint: Optional[str]) -> Optional[str]:
    """Chinese whenever the message has Chinese in it (a code-mixed writer reads Chinese)."""
    detected = detect(text)
    if detected in ("zh", "mixed"):
        return "zh"
    if detected == "en":
        return "en"
    return hint if hint in LANGUAGES else None
