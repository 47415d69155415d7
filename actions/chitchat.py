"""Greeting, thanks, goodbye, "are you a person?" and language switches."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.turn import clinic_for, reply_language
from bot.answers import meta
from bot.i18n import translate

ASKS_FOR_CHINESE = re.compile(r"中文|汉语|漢語|普通话|国语|华语|chinese|mandarin|putonghua", re.I)
ASKS_FOR_ENGLISH = re.compile(r"英文|英语|english", re.I)


def requested_language(text: str, current: str) -> str:
    """The language a switch request names; with none named, the other one."""
    if ASKS_FOR_CHINESE.search(text) and not ASKS_FOR_ENGLISH.search(text):
        return "zh"
    if ASKS_FOR_ENGLISH.search(text) and not ASKS_FOR_CHINESE.search(text):
        return "en"
    return "zh" if current == "en" else "en"


def chitchat_reply(intent: str, lang: str, clinic: dict) -> str:
    if intent == "greet":
        return translate(lang, "Hello! I can answer questions about the blinatumomab infusion, "
                               "the pump and side effects.") + "\n\n" + translate(
            lang, "I give general information only and do not replace your child's care team.")
    if intent == "thank":
        return translate(lang, "You're welcome. Ask me anything else at any time.")
    if intent == "goodbye":
        return translate(lang, "Take care. If you are worried, call the care team on {phone}, "
                               "day or night.", phone=clinic["phone_24h"])
    if intent == "bot_challenge":
        return translate(lang, "I am an automated assistant, not a person. For a nurse or "
                               "doctor, call the care team on {phone}.", phone=clinic["phone_24h"])
    return translate(lang, "OK, I will reply in English.")


class ActionChitchat(Action):
    def name(self) -> Text:
        return "action_chitchat"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        lang, events = reply_language(tracker), []
        if intent == "switch_language":
            lang = requested_language(tracker.latest_message.get("text") or "", lang)
            events.append(SlotSet("language", lang))
        dispatcher.utter_message(text=chitchat_reply(intent, lang, clinic_for(tracker)))
        dispatcher.utter_message(json_message={"meta": meta("chitchat", lang)})
        return events
