""""What do you know about me?" and "forget me" in the chat (bot/conversations.py is the data).

The summary says what is stored, for how long and who reads it, and offers deletion; "forget me"
asks first, with two buttons. The gateway does the deleting when `/confirm_forget` comes back.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.turn import clinic_for, reply_language
from bot.answers import meta
from bot.clinics import retention_days
from bot.conversations import CONFIRM_FORGET, KEEP_CONVERSATION
from bot.decision import FORGET_INTENT
from bot.i18n import sentences, translate


def stored_summary(lang: str, clinic: dict) -> str:
    text = translate(lang, "I keep what you write here and my replies for {days} days after your last message. "
                           "The care team can read them, and reads them when you report a warning sign. "
                           "You can download or delete them from the menu (⋯) at any time.",
                     days=retention_days(clinic))
    if clinic.get("privacy_url"):
        text = sentences(lang, text, translate(lang, "The clinic's privacy notice: {url}", url=clinic["privacy_url"]))
    return text


def ask_before_forgetting(lang: str) -> str:
    return translate(lang, "Delete this conversation from my records? Any warning sign you reported stays "
                           "with the care team as a clinical record.")


class ActionPrivacy(Action):
    def name(self) -> Text:
        return "action_privacy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        lang, clinic = reply_language(tracker), clinic_for(tracker)
        if (tracker.latest_message.get("intent") or {}).get("name") == FORGET_INTENT:
            dispatcher.utter_message(text=ask_before_forgetting(lang), buttons=[
                {"title": translate(lang, "Yes, delete it"), "payload": CONFIRM_FORGET},
                {"title": translate(lang, "No, keep it"), "payload": KEEP_CONVERSATION}])
        else:
            dispatcher.utter_message(text=stored_summary(lang, clinic), buttons=[
                {"title": translate(lang, "Delete my conversation"), "payload": "/" + FORGET_INTENT}])
        dispatcher.utter_message(json_message={"meta": meta("chitchat", lang)})
        return []
