"""Answer from the published article, read from the store at run time (no retraining)."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import send_fallback
from actions.turn import clarified_turn, clinic_for, reply_language, stores
from bot.answers import PlaceholderError, meta, render_answer
from bot.decision import DENY_REPORT, article_for

log = logging.getLogger(__name__)


def send_answer(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str,
                clinic: dict) -> List[Dict[Text, Any]]:
    """The article for this message, or the honest fallback when none fits well enough."""
    topic = article_for(tracker.latest_message)
    article = stores().content.published(topic) if topic else None
    if article is None:
        return send_fallback(dispatcher, tracker, lang, clinic)
    try:
        text = render_answer(article, lang, clinic)
    except PlaceholderError:
        log.exception("article %s does not render for clinic %s", topic, clinic["id"])
        return send_fallback(dispatcher, tracker, lang, clinic)
    dispatcher.utter_message(text=text)
    dispatcher.utter_message(json_message={"meta": meta("answer", lang, topic, article)})
    return []


class ActionAnswer(Action):
    """A question from its article; after "no, I am asking", the question that was asked about."""

    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if (tracker.latest_message.get("intent") or {}).get("name") == DENY_REPORT:
            tracker = clarified_turn(tracker) or tracker
        return send_answer(dispatcher, tracker, reply_language(tracker), clinic_for(tracker))
