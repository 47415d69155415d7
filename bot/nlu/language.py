"""Per-message language: the reply follows the language of the latest message.

The widget's `lang` (channel metadata) is only a hint, used when the text has no letters to go
by ("ok" aside, think "38.5", "👍", "？"). The result is a `language` entity, which fills the
`language` slot; with neither signal nor hint the slot keeps the conversation's language.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.component import RuleComponent

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
# Words and measurements that say nothing about the writer's language: "ok", "38.5C", "5 ml".
NEUTRAL = re.compile(
    r"\b(?:ok(?:ay|k)?|k{1,2}|hm+|ah+|oh+|ha(?:ha)+|he(?:he)+|lol|xd)\b"
    r"|\d+(?:[.,]\d+)?\s*(?:°\s*)?(?:c|f|ml|mg|kg|cm|mm|hrs?|h|am|pm)?\b", re.IGNORECASE)
LANGUAGES = ("en", "zh")


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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(RuleComponent, EntityExtractorMixin):
    """Adds a `language` entity (en/zh) and `language_detected` (en/zh/mixed/null)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"metadata_key": "lang"}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            hint = (message.get("metadata") or {}).get(self.config["metadata_key"])
            message.set("language_detected", detect(text), add_to_output=True)
            lang = reply_language(text, hint)
            if lang:
                entity = {"entity": "language", "value": lang, "start": 0, "end": len(text),
                          "confidence": 1.0}
                message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name([entity]),
                            add_to_output=True)
        return messages
