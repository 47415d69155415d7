"""What every action needs to know about the current turn: language, clinic, stores.

The database is opened once per action-server process (`bot.stores.Stores`).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from rasa_sdk import Tracker

from bot.redflags.detector import ASK
from bot.settings import LANGUAGES, load_settings
from bot.stores import Stores


@lru_cache(maxsize=1)
def stores() -> Stores:
    """The action server's stores (one database per process)."""
    return Stores(load_settings())


def reply_language(tracker: Tracker) -> str:
    """The conversation's language; a button press (`/faq{...}`, which skips the NLU pipeline and
    so the language detector) follows the language of the interface it was pressed in."""
    hint = (tracker.latest_message.get("metadata") or {}).get("lang")
    if (tracker.latest_message.get("text") or "").startswith("/") and hint in LANGUAGES:
        return hint
    lang = tracker.get_slot("language")
    return lang if lang in LANGUAGES else hint if hint in LANGUAGES else "en"


def clinic_for(tracker: Tracker) -> dict:
    """The clinic the gateway put in the message metadata, or the default clinic."""
    metadata = tracker.latest_message.get("metadata") or {}
    registry = stores().clinics
    return registry.get(metadata.get("clinic") or load_settings().default_clinic) or registry.get("demo")


def clarified_turn(tracker: Tracker) -> Optional[Tracker]:
    """For the parent's yes or no to "is this happening to your child now?": the tracker as it
    was at the message asked about, so that the escalation or the answer is about that message.
    None if the message just before was not asked about (a stray or stale yes)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return None
    asked = users[-2]
    parse = asked.get("parse_data") or {}
    if (parse.get("red_flags") or {}).get("status") != ASK:
        return None
    metadata = {**(asked.get("metadata") or {}), **(tracker.latest_message.get("metadata") or {})}
    message = {**parse, "text": asked.get("text") or "", "metadata": metadata}
    return Tracker(tracker.sender_id, tracker.slots, message, tracker.events, tracker.is_paused(),
                   tracker.followup_action, tracker.active_loop, tracker.latest_action_name)
