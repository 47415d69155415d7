"""Answer from the published article, read from the store at run time (no retraining)."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

from jinja2 import TemplateError
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import send_fallback
from actions.turn import article_id, clinic_for, faq_selection, reply_language, stores, topic_from_payload
from bot.answers import meta, render_answer

log = logging.getLogger(__name__)
# Below this ResponseSelector confidence (4x chance among ~40 articles) the match is a guess:
# say so instead. DIET has already decided the message is an in-scope question.
MIN_ARTICLE_CONFIDENCE = 0.1
FEVER_ARTICLE = "fever"


def selected_article(tracker: Tracker) -> Tuple[Optional[str], float]:
    """The article id the ResponseSelector chose for this message, and its confidence."""
    response = faq_selection(tracker).get("response") or {}
    return article_id(response.get("intent_response_key")), float(response.get("confidence") or 0.0)


def temperature_topic(tracker: Tracker) -> Optional[str]:
    """A measured temperature that is not a red flag gets the fever article (re-check advice)."""
    assessment = tracker.latest_message.get("red_flags") or {}
    return FEVER_ARTICLE if assessment.get("temperature_c") is not None and not assessment.get("severity") else None


def send_answer(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str,
                clinic: dict) -> List[Dict[Text, Any]]:
    """The article for this message, or the honest fallback when none fits well enough."""
    topic = topic_from_payload(tracker) or temperature_topic(tracker)
    if topic is None:
        topic, confidence = selected_article(tracker)
        if confidence < MIN_ARTICLE_CONFIDENCE:
            topic = None
    article = stores().content.published(topic) if topic else None
    if article is None:
        return send_fallback(dispatcher, tracker, lang, clinic)
    try:
        text = render_answer(article, lang, clinic)
    except TemplateError:
        log.exception("article %s does not render for clinic %s", topic, clinic["id"])
        return send_fallback(dispatcher, tracker, lang, clinic)
    dispatcher.utter_message(text=text)
    dispatcher.utter_message(json_message={"meta": meta("answer", lang, topic, article)})
    return []


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return send_answer(dispatcher, tracker, reply_language(tracker), clinic_for(tracker))
