"""What every action needs to know about the current turn: language, clinic, stores.

The database is opened once per action-server process; SQLite in WAL mode lets the gateway and
the nurses' edits write while actions read.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from rasa_sdk import Tracker

from bot.clinics import ClinicRegistry
from bot.content.store import ContentStore
from bot.db import open_db
from bot.escalation.outbox import Outbox
from bot.escalation.store import EscalationStore
from bot.settings import LANGUAGES, load_settings
from bot.unanswered import UnansweredLog


@dataclass(frozen=True)
class Stores:
    content: ContentStore
    clinics: ClinicRegistry
    unanswered: UnansweredLog
    escalations: EscalationStore
    outbox: Outbox


@lru_cache(maxsize=1)
def stores() -> Stores:
    db = open_db(load_settings().db_path)
    return Stores(ContentStore(db), ClinicRegistry(db), UnansweredLog(db), EscalationStore(db), Outbox(db))


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


def faq_selection(tracker: Tracker) -> dict:
    """The ResponseSelector's output for this message: `response` (best) and `ranking`."""
    return (tracker.latest_message.get("response_selector") or {}).get("faq") or {}


def article_id(intent_response_key: Optional[str]) -> Optional[str]:
    """`faq/pump_alarm` → `pump_alarm`."""
    key = intent_response_key or ""
    return key.split("/", 1)[1] if "/" in key else None


def topic_from_payload(tracker: Tracker) -> Optional[str]:
    """The article a button asked for: `/faq{"topic": "pump_alarm"}`."""
    return next(tracker.get_latest_entity_values("topic"), None)
