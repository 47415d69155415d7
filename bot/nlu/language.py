"""Per-message language: the reply follows the language of the latest message.

The widget's `lang` (channel metadata) is only a hint, used when the text has no letters to go
by ("ok" aside, think "38.5", "👍", "？"). The result is a `language` entity, which fills the
`language` slot; with neither signal nor hint the slot keeps the conversation's language.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language import detect, reply_language
from bot.nlu.component import RuleComponent

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
