"""A reported red flag: instructions and numbers first, then the care team is alerted.

Order matters: the family gets what to do now before anything else; the escalation is stored
before any notification; the family is told the team was alerted only if a notification was
confirmed delivered within a short wait, and otherwise to call because it could not be.

A sign the detector is unsure about (whose? now?) gets "Is this happening to your child now?"
with yes/no buttons instead. In that same reply, without waiting for the answer, a
life-threatening sign gets the emergency instructions and call buttons, a message that only
sounds like an emergency when to call the emergency number, and another red flag its first aid
and the 24-hour number to tap. "Yes" escalates the message that was asked about.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import send_answer
from actions.turn import clarified_turn, clinic_for, reply_language, stores
from bot.answers import meta
from bot.clinics import tel_link
from bot.decision import CONFIRM_REPORT, DENY_REPORT
from bot.escalation.notify import alert_settings, enqueue_alerts, enqueue_new_alert
from bot.i18n import translate
from bot.redflags.detector import ASK, REPORT, UNWELL
from bot.redflags.lexicon import Lexicon
from bot.redflags.lexicon_store import shared_detector
from bot.redflags.second_opinion import SOUNDS_URGENT

CONFIRM_POLL_SECONDS = 0.1
log = logging.getLogger(__name__)


def instructions(assessment: dict, lang: str, clinic: dict, lexicon: Lexicon) -> str:
    """What to do now, most urgent first, in plain words; first aid that never contradicts
    itself when several signs are reported (`Lexicon.first_aid`)."""
    lines = []
    if assessment["emergency"]:
        lines.append(translate(lang, "This can be an emergency. Call {emergency} now.",
                               emergency=clinic["emergency_number"]))
    if assessment["severity"] == "red":
        lines.append(translate(lang, "Call the care team now, day or night: {phone}. Do not wait to see "
                                     "if it gets better.", phone=clinic["phone_24h"]))
        if not assessment["emergency"] and lexicon.emergency_categories & set(assessment["categories"]):
            lines.append(if_it_gets_worse(lang, clinic))
    else:
        lines.append(translate(lang, "Call the care team today: {phone_day} ({hours}). Outside these "
                                     "hours, call {phone}.", phone_day=clinic["phone_day"],
                               hours=clinic["day_hours"][lang], phone=clinic["phone_24h"]))
    lines += lexicon.first_aid_advice(assessment["categories"], lang)
    return "\n\n".join(lines)


def if_it_gets_worse(lang: str, clinic: dict) -> str:
    """A red sign of a kind that can turn life-threatening, told in words that did not say it
    has: the family still learns, without being asked, when to call the emergency number."""
    return translate(lang, "If your child has a fit, cannot be woken, struggles to breathe, turns blue or grey, "
                           "or bleeds without stopping, call {emergency} straight away.",
                     emergency=clinic["emergency_number"])


def team_button(lang: str, clinic: dict) -> Dict[str, str]:
    return {"title": translate(lang, "Call the care team (24 hours)"), "payload": tel_link(clinic["phone_24h"])}


def call_buttons(assessment: dict, lang: str, clinic: dict) -> List[Dict[str, str]]:
    """Tap-to-call buttons: the emergency number first when life is at risk, always offered
    for red flags; the day clinic too for amber ones."""
    team = team_button(lang, clinic)
    emergency = {"title": translate(lang, "Call {number}", number=clinic["emergency_number"]),
                 "payload": tel_link(clinic["emergency_number"])}
    if assessment["emergency"]:
        return [emergency, team]
    if assessment["severity"] == "red":
        return [team, emergency]
    return [team, {"title": translate(lang, "Call the day clinic"), "payload": tel_link(clinic["phone_day"])}]


async def wait_for_delivery(row_ids: List[int], seconds: float) -> bool:
    """Did the outbox worker confirm any of these notifications within `seconds`?"""
    if not row_ids:
        return False  # the clinic has no alert targets: nobody can have been told
    outbox = stores().outbox
    deadline = time.monotonic() + seconds
    while True:
        if outbox.delivered(row_ids):
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(CONFIRM_POLL_SECONDS)


async def record_and_notify(tracker: Tracker, assessment: dict, lang: str, clinic: dict) -> Tuple[Optional[int], bool]:
    """Store the escalation, queue the alerts, wait briefly for a confirmed delivery.

    Whatever fails here, the family still gets the instructions: an error only means the reply
    says the alert could not be confirmed.
    """
    alerts = alert_settings(clinic)
    try:
        reported = stores().escalations.report(
            clinic["id"], tracker.sender_id, lang, assessment, tracker.latest_message.get("text") or "",
            alerts["repeat_window_minutes"], (tracker.latest_message.get("metadata") or {}).get("source"))
        escalation = reported.escalation
        if reported.page and escalation["reports"] == 1:
            row_ids = enqueue_new_alert(stores().outbox, stores().escalations, escalation, clinic)
        elif reported.page:  # a repeat report that raised the severity
            row_ids = enqueue_alerts(stores().outbox, escalation, clinic, "update")
        else:  # a repeat report: the open escalation is updated, the team is not paged again
            row_ids = [row["id"] for row in stores().outbox.for_escalation(escalation["id"])]
    except Exception:  # noqa: BLE001 - never let a storage error swallow the instructions
        log.exception("could not record escalation for %s", tracker.sender_id)
        return None, False
    return escalation["id"], await wait_for_delivery(row_ids, alerts["confirm_seconds"])


def ask_if_happening_now(dispatcher: CollectingDispatcher, assessment: dict, lang: str,
                         clinic: dict) -> List[Dict[Text, Any]]:
    """The clarify turn (docs/chat-api.md): never a silent guess about a warning sign."""
    parts: List[str] = []
    buttons: List[Dict[str, str]] = []
    lexicon = shared_detector().lexicon
    # The urgency model heard an emergency that no sign named says ("fit 2 min ago, stopped
    # now"): when to call the emergency number, without saying that it is one.
    heard_only = SOUNDS_URGENT in assessment["evidence"]
    if assessment["emergency"] and not heard_only:
        parts.append(instructions(assessment, lang, clinic, lexicon))
        buttons = call_buttons(assessment, lang, clinic)
    else:
        if heard_only:
            parts.append(if_it_gets_worse(lang, clinic))
            buttons = call_buttons(assessment, lang, clinic)
        if assessment["severity"] == "red" and set(assessment["categories"]) - {UNWELL.category}:
            # A named red flag: its safe first steps hold whether it is happening or asked about
            # ("the pump won't stop beeping": check the tubing, do not reprogram), and the 24-hour
            # number is one tap away. Not for "unwell" alone (the second opinion's guess that a
            # plain question sounds like a report).
            parts += lexicon.first_aid_advice(assessment["categories"], lang)
            buttons = buttons or [team_button(lang, clinic)]
    parts.append(translate(lang, "Is this happening to your child now?"))
    if not assessment["emergency"] or heard_only:
        parts.append(translate(lang, "If you are worried, you can call the care team at any time: {phone}.",
                               phone=clinic["phone_24h"]))
    buttons += [{"title": translate(lang, "Yes, it is happening now"), "payload": "/" + CONFIRM_REPORT},
                {"title": translate(lang, "No, I am asking a question"), "payload": "/" + DENY_REPORT}]
    dispatcher.utter_message(text="\n\n".join(parts), buttons=buttons)
    dispatcher.utter_message(json_message={"meta": meta(
        "clarify", lang, severity=assessment["severity"], clarify="report")})
    return []


class ActionEscalate(Action):
    def name(self) -> Text:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        confirmed_now = (tracker.latest_message.get("intent") or {}).get("name") == CONFIRM_REPORT
        if confirmed_now:  # "yes, it is happening now": escalate the message that was asked about
            tracker = clarified_turn(tracker) or tracker
        assessment = dict(tracker.latest_message.get("red_flags") or {})
        lang, clinic = reply_language(tracker), clinic_for(tracker)
        if confirmed_now and assessment.get("status") == ASK:
            assessment["status"] = REPORT
        if assessment.get("status") == ASK:
            return ask_if_happening_now(dispatcher, assessment, lang, clinic)
        if assessment.get("status") != REPORT:
            # DIET heard a report but the rules found no warning sign: answer the question.
            return send_answer(dispatcher, tracker, lang, clinic)
        escalation_id, confirmed = await record_and_notify(tracker, assessment, lang, clinic)
        text = instructions(assessment, lang, clinic, shared_detector().lexicon)
        text += "\n\n" + (translate(lang, "I have also sent an alert to the care team.") if confirmed else
                          translate(lang, "I could not confirm that the care team received an alert. "
                                          "Please call them now."))
        if "fever" in assessment["categories"] and assessment.get("temperature_c") is None:
            text += "\n\n" + translate(lang, "If you have measured the temperature, tell me the number.")
        dispatcher.utter_message(text=text, buttons=call_buttons(assessment, lang, clinic))
        dispatcher.utter_message(json_message={"meta": meta(
            "escalation", lang, severity=assessment["severity"], escalation_id=escalation_id, alerted=confirmed)})
        return []
