"""A conversation's messages, read from Rasa's tracker store, for the nurse handling an escalation.

Rasa keeps every event of a conversation in the SQL tracker store (`events` table); only what the
family wrote and what the assistant replied is shown.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path


def transcript(tracker_db: Path, conversation: str, limit: int = 200) -> list[dict]:
    """[{"from": "family" | "assistant", "text": ..., "at": ISO time}], oldest first."""
    if not tracker_db.exists():
        return []
    with sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True) as conn:
        rows = conn.execute("select type_name, timestamp, data from events where sender_id = ? "
                            "and type_name in ('user', 'bot') order by id desc limit ?",
                            [conversation, limit]).fetchall()
    lines = []
    for kind, timestamp, data in reversed(rows):
        text = json.loads(data).get("text")
        if text:
            at = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).isoformat(timespec="seconds")
            lines.append({"from": "family" if kind == "user" else "assistant", "text": text, "at": at})
    return lines
