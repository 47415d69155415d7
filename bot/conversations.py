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
from bot.clinics import retention_days
from bot.escalation.store import EscalationStore
from bot.escalation.transcript import transcript
from bot.unanswered import UnansweredLog

# The buttons of "forget me" (actions/privacy.py). The gateway answers them itself, after the
# turn: a Rasa action cannot delete the conversation it is part of (Rasa would store it again).
CONFIRM_FORGET, KEEP_CONVERSATION = "/confirm_forget", "/keep_conversation"
EXPORTED_ESCALATION_FIELDS = ("id", "created_at", "message", "acknowledged_at", "resolved_at", "family_deleted_at")


def conversation_id(clinic: str, sender: str) -> str:
    """The id Rasa and every table use: the gateway prefixes the widget's sender with its clinic."""
    return f"{clinic}:{sender}"


class ConversationRecords:
    """Every store that holds a conversation; one per process (the gateway, the worker)."""

    def __init__(self, db: Database, tracker_db: Path, escalations: EscalationStore):
        self.db, self.tracker_db, self.escalations = db, tracker_db, escalations
        self.unanswered = UnansweredLog(db)

    def export(self, conversation: str) -> Optional[dict]:
        """Everything stored for this conversation, or None when nothing is."""
        turns = transcript(self.tracker_db, conversation, limit=10_000)
        escalations = [{key: e[key] for key in EXPORTED_ESCALATION_FIELDS}
                       for e in self.escalations.of_conversation(conversation)]
        return {"turns": turns, "escalations": escalations} if turns or escalations else None

    def forget(self, conversation: str) -> bool:
        """Delete what can be deleted, mark what must be kept; False when nothing was stored."""
        erased = self.erase(conversation)
        if not (erased or self.escalations.of_conversation(conversation)):
            return False
        self.escalations.mark_family_deleted(conversation)
        return True

    def erase(self, conversation: str) -> int:
        """The messages (Rasa's SQL tracker store), the inbox entries, the analytics link; how
        many stored events were deleted."""
        deleted = 0
        if self.tracker_db.exists():
            with sqlite3.connect(self.tracker_db, timeout=10) as conn:
                deleted = conn.execute("delete from events where sender_id = ?", [conversation]).rowcount
        self.unanswered.forget(conversation)
        unlink(self.db, conversation)
        return deleted

    def purge_expired(self, clinic: dict) -> int:
        """Erase this clinic's conversations with nothing new for `retention_days`; how many."""
        cutoff = clock.now() - dt.timedelta(days=retention_days(clinic))
        prefix = conversation_id(clinic["id"], "")
        stale: list[str] = []
        if self.tracker_db.exists():
            with sqlite3.connect(f"file:{self.tracker_db}?mode=ro", uri=True, timeout=10) as conn:
                stale = [row[0] for row in conn.execute(
                    "select sender_id from events where substr(sender_id, 1, ?) = ? group by sender_id "
                    "having max(timestamp) < ?", [len(prefix), prefix, cutoff.timestamp()])]
        for conversation in stale:
            self.erase(conversation)
        return len(stale)
