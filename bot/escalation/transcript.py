"""A conversation's messages, read from Rasa's tracker store, for the nurse handling an escalation.

Rasa keeps every event of a conversation in its SQL tracker store (the `events` table, in the
same database as ours); only what the family wrote and what the assistant replied is shown.
"""
from __future__ import annotations

import datetime as dt
import json

from bot.storage import Database

RASA_EVENTS = "events"  # made by Rasa's SQLTrackerStore when the Rasa server starts


def transcript(db: Database, conversation: str, limit: int = 200) -> list[dict]:
    """[{"from": "family" | "assistant", "text": ..., "at": ISO time}], oldest first."""
    if not db.has_table(RASA_EVENTS):
        return []
    rows = db.query("select type_name, timestamp, data from events where sender_id = :sender "
                    "and type_name in ('user', 'bot') order by id desc limit :limit",
                    {"sender": conversation, "limit": limit})
    lines = []
    for row in reversed(rows):
        text = json.loads(row["data"]).get("text")
        if text:
            at = dt.datetime.fromtimestamp(row["timestamp"], dt.timezone.utc).isoformat(timespec="seconds")
            lines.append({"from": "family" if row["type_name"] == "user" else "assistant", "text": text, "at": at})
    return lines
