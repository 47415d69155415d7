"""No confident answer: say so, point to likely articles and the care team, log the question."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.turn import clinic_for, reply_language, stores
from bot.answers import meta
from bot.decision import article_id, faq_selection
from bot.i18n import translate

MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.05


def suggested_topics(tracker: Tracker) -> List[str]:
    """The ResponseSelector's next-best articles, most likely first."""
    topics = [article_id(c.get("intent_response_key")) for c in faq_selection(tracker.latest_message).get("ranking") or []
              if c.get("confidence", 0) >= MIN_SUGGESTION_CONFIDENCE]
    return [t for t in topics if t][:MAX_SUGGESTIONS]


def suggestion_buttons(tracker: Tracker, lang: str) -> List[Dict[str, str]]:
    """Full-text matches in the caregiver's language first, then the model's next guesses."""
    found = stores().content.search.search(tracker.latest_message.get("text") or "", lang, MAX_SUGGESTIONS)
    buttons = []
    for topic in list(dict.fromkeys(found + suggested_topics(tracker)))[:MAX_SUGGESTIONS]:
        article = stores().content.published(topic)
        if article:
            buttons.append({"title": article[lang]["title"],
                            "payload": '/faq{"topic": "%s"}' % topic})
    return buttons


def send_fallback(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str,
                  clinic: dict) -> List[Dict[Text, Any]]:
    """Shared by the fallback action and by the answer action when no article fits."""
    text = tracker.latest_message.get("text") or ""
    if not text.startswith("/"):
        intent = tracker.latest_message.get("intent") or {}
        stores().unanswered.add(text, lang, clinic["id"], tracker.sender_id,
                                intent.get("name"), intent.get("confidence"))
    buttons = suggestion_buttons(tracker, lang)
    reply = translate(lang, "Sorry, I don't have a reliable answer to that. I can only answer "
                            "general questions about the blinatumomab infusion, the pump and "
                            "side effects.")
    if buttons:
        reply += "\n\n" + translate(lang, "Maybe one of these topics helps:")
    reply += "\n\n" + translate(
        lang, "If you are worried about your child, call the care team any time on {phone}. "
              "In an emergency, call {emergency}.",
        phone=clinic["phone_24h"], emergency=clinic["emergency_number"])
    dispatcher.utter_message(text=reply, buttons=buttons)
    dispatcher.utter_message(json_message={"meta": meta("fallback", lang)})
    return []


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return send_fallback(dispatcher, tracker, reply_language(tracker), clinic_for(tracker))
