"""No confident answer: say so, point to likely articles and the care team, log the question."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.turn import clinic_for, reply_language, stores
from bot.answers import meta
from bot.decision import COSTS_INTENT, article_id, faq_selection
from bot.i18n import sentences, translate

MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.05


def suggested_topics(tracker: Tracker) -> List[str]:
    """The model's next-best articles, most likely first (the article ranker's when present)."""
    parse = tracker.latest_message
    ranking = ((parse.get("articles") or {}).get("ranking")
               or [{"id": article_id(c.get("intent_response_key")), "confidence": c.get("confidence", 0)}
                   for c in faq_selection(parse).get("ranking") or []])
    return [r["id"] for r in ranking if r["id"] and r["confidence"] >= MIN_SUGGESTION_CONFIDENCE][:MAX_SUGGESTIONS]


def topic_buttons(topics: Sequence[str], lang: str) -> List[Dict[str, str]]:
    """One button per published article, titled in the family's language; a tap asks for it."""
    articles = [(topic, stores().content.published(topic)) for topic in topics]
    return [{"title": article[lang]["title"], "payload": '/faq{"topic": "%s"}' % topic}
            for topic, article in articles if article]


def suggestion_buttons(tracker: Tracker, lang: str) -> List[Dict[str, str]]:
    """Full-text matches in the caregiver's language first, then the model's next guesses."""
    found = stores().content.search.search(tracker.latest_message.get("text") or "", lang, MAX_SUGGESTIONS)
    return topic_buttons(list(dict.fromkeys(found + suggested_topics(tracker)))[:MAX_SUGGESTIONS], lang)


def log_unanswered(tracker: Tracker, lang: str, clinic: dict) -> None:
    """A question without a confident answer goes to the nurses' inbox (not button taps)."""
    text = tracker.latest_message.get("text") or ""
    if not text.startswith("/"):
        intent = tracker.latest_message.get("intent") or {}
        stores().unanswered.add(text, lang, clinic["id"], tracker.sender_id,
                                intent.get("name"), intent.get("confidence"))


def send_fallback(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str,
                  clinic: dict) -> List[Dict[Text, Any]]:
    """Shared by the fallback action and by the answer action when no article fits."""
    log_unanswered(tracker, lang, clinic)
    if (tracker.latest_message.get("intent") or {}).get("name") == COSTS_INTENT:
        return send_costs_fallback(dispatcher, lang, clinic)
    buttons = suggestion_buttons(tracker, lang)
    reply = translate(lang, "Sorry, I don't have a reliable answer to that. I can only answer "
                            "general questions about the blinatumomab infusion, the pump and "
                            "side effects.")
    if buttons:  # the topics right under "maybe one of these", the numbers after them
        reply += "\n\n" + translate(lang, "Maybe one of these topics helps:")
    dispatcher.utter_message(text=reply, buttons=buttons)
    dispatcher.utter_message(text=translate(
        lang, "If you are worried about your child, call the care team any time on {phone}. "
              "In an emergency, call {emergency}.",
        phone=clinic["phone_24h"], emergency=clinic["emergency_number"]))
    dispatcher.utter_message(json_message={"meta": meta("fallback", lang)})
    return []


def send_costs_fallback(dispatcher: CollectingDispatcher, lang: str, clinic: dict) -> List[Dict[Text, Any]]:
    """Costs, insurance, reimbursement: not for this assistant, but it can give what the clinic
    tells families (its `costs_help`) and say who can help."""
    paragraphs = [translate(lang, "I can't answer questions about costs, insurance or reimbursement.")]
    clinic_text = (clinic.get("costs_help") or {}).get(lang)
    if clinic_text:
        paragraphs[0] = sentences(lang, paragraphs[0], translate(lang, "This is what {clinic} tells families:",
                                                                 clinic=clinic["name"][lang]))
        paragraphs.append(clinic_text)
    contact = (clinic.get("costs_contact") or {}).get(lang)
    if contact:
        paragraphs.append(translate(lang, "Please ask {contact}: they can help with them.", contact=contact))
    else:
        paragraphs.append(translate(lang, "Please ask the care team during the day on {phone}: they know who can help.",
                                    phone=clinic["phone_day"]))
    dispatcher.utter_message(text="\n\n".join(paragraphs))
    dispatcher.utter_message(json_message={"meta": meta("fallback", lang)})
    return []


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return send_fallback(dispatcher, tracker, reply_language(tracker), clinic_for(tracker))
