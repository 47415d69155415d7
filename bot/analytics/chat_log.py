"""One row per answered chat turn, for the console's analytics.

Only what the figures need is kept: when, which clinic and conversation, the reply's language,
kind and article. Never the family's words (privacy): those stay in Rasa's tracker store.
"""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import weakref
from typing import Optional

from sqlite_utils import Database

from bot import clock

log = logging.getLogger("carebot.analytics")
TABLE = "chat_turns"
FORGOTTEN = "forgotten"  # the conversation id of turns whose family asked to be forgotten
_ready: "weakref.WeakSet[Database]" = weakref.WeakSet()


def ensure_table(db: Database) -> None:
    """Create the table and its index if missing; once per connection, not on every turn."""
    if db in _ready:
        return
    db[TABLE].create({"id": int, "at": str, "day": str, "clinic": str, "conversation": str,
                      "lang": str, "kind": str, "topic": str},
                     pk="id", not_null={"at", "day", "clinic", "conversation"}, if_not_exists=True)
    db[TABLE].create_index(["clinic", "day"], if_not_exists=True)
    _ready.add(db)


def record_turn(db: Database, clinic: str, conversation: str, meta: dict,
                at: Optional[dt.datetime] = None) -> None:
    """Store one turn; `meta` is the reply's meta (kind, topic, lang). Days are UTC days."""
    at = at or clock.now()
    ensure_table(db)
    db[TABLE].insert({"at": at.isoformat(timespec="seconds"), "day": at.date().isoformat(),
                      "clinic": clinic, "conversation": conversation,
                      "lang": str(meta.get("lang") or "en"), "kind": str(meta.get("kind") or "unknown"),
                      "topic": meta.get("topic") or None})


def log_turn(db: Database, clinic: str, conversation: str, meta: dict) -> None:
    """`record_turn` for the chat route: a busy or broken database must never cost a family
    their answer, so a failure is only logged."""
    try:
        record_turn(db, clinic, conversation, meta)
    except sqlite3.Error as exc:
        log.warning("could not log a chat turn for the analytics: %s", exc)


def unlink(db: Database, conversation: str) -> None:
    """A family asked to delete its conversation: its turns still count, but no longer point to it."""
    ensure_table(db)
    db.execute(f"update {TABLE} set conversation = ? where conversation = ?", [FORGOTTEN, conversation])
    db.conn.commit()
