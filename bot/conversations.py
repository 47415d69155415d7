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
from typing import Optional

from bot import clock
from bot.analytics.chat_log import unlink
from bot.clinics import retention_days
from bot.escalation.store import EscalationStore
from bot.rasa_tracker import EVENTS_TABLE, Transcripts
from bot.storage import Database
from bot.unanswered import UnansweredLog

# The buttons of "forget me" (actions/privacy.py). The gateway answers them itself, after the
# turn: a Rasa action cannot delete the conversation it is part of (Rasa would store it again).
CONFIRM_FORGET, KEEP_CONVERSATION = "/confirm_forget", "/keep_conversation"
EXPORTED_ESCALATION_FIELDS = ("id", "created_at", "message", "acknowledged_at", "resolved_at", "family_deleted_at")


def conversation_id(clinic: str, sender: str) -> str:
    """The id Rasa and every table use: the gateway prefixes the widget's sender with its clinic."""
    return f"{clinic}:{sender}"


class ConversationRecords:
    """Every store that holds a conversation. Rasa keeps the messages in its `events` table, in
    the same database as ours; Rasa has no way to delete a conversation, so erasing one deletes
    its rows there."""

    def __init__(self, db: Database, escalations: EscalationStore, unanswered: UnansweredLog,
                 transcripts: Transcripts):
        self.db, self.escalations, self.unanswered, self.transcripts = db, escalations, unanswered, transcripts

    async def export(self, conversation: str) -> Optional[dict]:
        """Everything stored for this conversation, or None when nothing is."""
        turns = await self.transcripts.lines(conversation, limit=None)
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
        """The messages (Rasa's tracker store), the inbox entries, the analytics link; how many
        stored events were deleted."""
        deleted = 0
        if self.db.has_table(EVENTS_TABLE):
            deleted = self.db.execute("delete from events where sender_id = :sender", {"sender": conversation})
        self.unanswered.forget(conversation)
        unlink(self.db, conversation)
        return deleted

    def purge_expired(self, clinic: dict) -> int:
        """Erase this clinic's conversations with nothing new for `retention_days`; how many."""
        cutoff = clock.now() - dt.timedelta(days=retention_days(clinic))
        prefix = conversation_id(clinic["id"], "")
        stale: list[str] = []
        if self.db.has_table(EVENTS_TABLE):
            stale = [row["sender_id"] for row in self.db.query(
                "select sender_id from events where substr(sender_id, 1, :length) = :prefix "
                "group by sender_id having max(timestamp) < :cutoff",
                {"length": len(prefix), "prefix": prefix, "cutoff": cutoff.timestamp()})]
        for conversation in stale:
            self.erase(conversation)
        return len(stale)
