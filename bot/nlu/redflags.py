"""The red-flag detector as a Rasa NLU component: it runs on every message, last.

When the message reports a red or amber sign, the intent becomes `report_symptom` with full
confidence, whatever DIET or the fallback classifier said: a red flag is never missed because
a classifier was unsure. When it names a sign but not whose or when, the intent is the same
and `red_flags.status` is "ask": the assistant asks (bot/decision.py). The assessment is added
to the parse result as `red_flags`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.decision import REPORT_INTENT
from bot.nlu.component import RuleComponent
from bot.redflags.detector import DEFAULT_FEVER_THRESHOLD_C, LEXICON_FILE, Detector, detector
from bot.redflags.lexicon_store import shared_detector


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagDetector(RuleComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon": str(LEXICON_FILE)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        path = Path(config["lexicon"])
        # The shipped lexicon is read from the database like everywhere else (every Rasa server
        # then uses the one lexicon stored last); another file named in the config is read as is.
        self._file = None if path.resolve() == LEXICON_FILE.resolve() else path

    def _detector(self) -> Detector:
        return shared_detector() if self._file is None else detector(self._file)

    def process(self, messages: List[Message]) -> List[Message]:
        found = self._detector()
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button payload names its intent itself
            threshold = (message.get("metadata") or {}).get("fever_threshold_c") or DEFAULT_FEVER_THRESHOLD_C
            assessment = found.assess(text, float(threshold))
            message.set("red_flags", assessment.as_dict(), add_to_output=True)
            if assessment.status:
                report = {"name": REPORT_INTENT, "confidence": 1.0}
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != REPORT_INTENT]
                message.set(INTENT, report, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [report, *ranking], add_to_output=True)
        return messages
