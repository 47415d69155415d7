"""What is stored about one family's conversation, for the family: see it, take it, forget it.

A conversation lives in Rasa's tracker store (every message and reply), the nurses' inbox of
unanswered questions, the analytics (one row per turn) and, when a warning sign was reported,
an escalation record. Forgetting deletes the first two, unlinks the analytics (the counts stay,
the conversation id goes) and marks the escalations "family asked to delete": they are clinical
records the care team needs (what was reported, the advice given, when), kept as the clinic's
records policy says, and the care team sees the mark.

Conversations nobody has written in for a clinic's `retention_days` (default 90) are erased the
same way by the worker (`purge_expired`); their escalation records stay, unmarked.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Optional

from sqlite_utils import Database

from bot import clock
from bot.analytics.chat_log import unlink
from bot.clinics import DEFAULT_RETENTION_DAYS
from bot.escalation.store import EscalationStore
from bot.escalation.transcript import transcript
from bot.unanswered import UnansweredLog


# Asked in the chat: "what do you know about me" / "forget me" (actions/privacy.py). The
# deletion itself is done by the gateway on the button `/confirm_forget`, after the turn:
# a Rasa action cannot delete the conversation it is part of (Rasa would store it again).
ASK_STORED_INTENT, FORGET_INTENT = "ask_stored_data", "forget_me"
CONFIRM_FORGET, KEEP_CONVERSATION = "/confirm_forget", "/keep_conversation"


def conversation_id(clinic: str, sender: str) -> str:
    """The id Rasa and every table use: the gateway prefixes the widget's sender with its clinic."""
    return f"{clinic}:{sender}"


def export(db: Database, tracker_db: Path, conversation: str) -> Optional[dict]:
    """Everything stored for this conversation, or None when nothing is."""
    turns = transcript(tracker_db, conversation, limit=10_000)
    escalations = [{key: e[key] for key in ("id", "created_at", "message", "acknowledged_at", "resolved_at",
                                                "family_deleted_at")}
                   for e in EscalationStore(db).of_conversation(conversation)]
    return {"turns": turns, "escalations": escalations} if turns or escalations else None


def forget(db: Database, tracker_db: Path, conversation: str) -> bool:
    """Delete what can be deleted, mark what must be kept; False when nothing was stored."""
    if export(db, tracker_db, conversation) is None:
        return False
    erase(db, tracker_db, conversation)
    EscalationStore(db).mark_family_deleted(conversation)
    return True


def erase(db: Database, tracker_db: Path, conversation: str) -> None:
    """The messages (Rasa's SQL tracker store), the inbox entries, the analytics link."""
    if tracker_db.exists():
        with sqlite3.connect(tracker_db, timeout=10) as conn:
            conn.execute("delete from events where sender_id = ?", [conversation])
    UnansweredLog(db).forget(conversation)
    unlink(db, conversation)


def purge_expired(db: Database, tracker_db: Path, clinic: dict) -> int:
    """Erase this clinic's conversations with nothing new for `retention_days`; how many."""
    days = float(clinic.get("retention_days") or DEFAULT_RETENTION_DAYS)
    cutoff = clock.now() - dt.timedelta(days=days)
    prefix = conversation_id(clinic["id"], "")
    stale: list[str] = []
    if tracker_db.exists():
        with sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True, timeout=10) as conn:
            stale = [row[0] for row in conn.execute(
                "select sender_id from events where substr(sender_id, 1, ?) = ? group by sender_id "
                "having max(timestamp) < ?", [len(prefix), prefix, cutoff.timestamp()])]
    for conversation in stale:
        erase(db, tracker_db, conversation)
    return len(stale)
