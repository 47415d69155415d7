"""Answer from the published article, read from the store at run time (no retraining); when
two or three articles are about as likely, ask which one the family means."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import log_unanswered, send_fallback, topic_buttons
from actions.turn import clarified_turn, clinic_for, reply_language, stores
from bot.answers import PlaceholderError, meta, render_answer
from bot.decision import DENY_REPORT, answer_decision
from bot.i18n import translate

log = logging.getLogger(__name__)


def send_answer(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str,
                clinic: dict) -> List[Dict[Text, Any]]:
    """The article for this message, a "did you mean" choice, or the honest fallback."""
    decision = answer_decision(tracker.latest_message)
    offered = [t for t in decision.candidates if stores().content.published(t)]
    if decision.kind == "clarify" and offered:
        return send_topic_choice(dispatcher, tracker, offered, lang)
    article = stores().content.published(decision.topic) if decision.topic else None
    if article is None:
        return send_fallback(dispatcher, tracker, lang, clinic)
    try:
        text = render_answer(article, lang, clinic)
    except PlaceholderError:
        log.exception("article %s does not render for clinic %s", decision.topic, clinic["id"])
        return send_fallback(dispatcher, tracker, lang, clinic)
    dispatcher.utter_message(text=text)
    dispatcher.utter_message(json_message={"meta": meta("answer", lang, decision.topic, article)})
    return []


def send_topic_choice(dispatcher: CollectingDispatcher, tracker: Tracker, offered: List[str],
                      lang: str) -> List[Dict[Text, Any]]:
    """"Did you mean …?" (docs/chat-api.md, `clarify: topic`): a tap instead of a wrong answer.
    The question is logged, so that nurses can teach the assistant its wording."""
    log_unanswered(tracker, lang, clinic_for(tracker))
    dispatcher.utter_message(text=translate(lang, "I'm not sure which topic you mean. Is it one of these?"),
                             buttons=topic_buttons(offered, lang))
    dispatcher.utter_message(json_message={"meta": meta("clarify", lang, clarify="topic", candidates=offered)})
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
