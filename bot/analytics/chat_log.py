"""One row per answered chat turn, for the console's analytics.

Only what the figures need is kept: when, which clinic and conversation, the reply's language,
kind and article. Never the family's words (privacy): those stay in Rasa's tracker store.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Optional

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from bot import clock
from bot.storage import Database
from bot.storage.schema import chat_turns

log = logging.getLogger("carebot.analytics")
FORGOTTEN = "forgotten"  # the conversation id of turns whose family asked to be forgotten


def record_turn(db: Database, clinic: str, conversation: str, meta: dict,
                at: Optional[dt.datetime] = None) -> None:
    """Store one turn; `meta` is the reply's meta (kind, topic, lang). Days are UTC days."""
    at = at or clock.now()
    db.insert(chat_turns, {"at": at.isoformat(timespec="seconds"), "day": at.date().isoformat(),
                           "clinic": clinic, "conversation": conversation,
                           "lang": str(meta.get("lang") or "en"), "kind": str(meta.get("kind") or "unknown"),
                           "topic": meta.get("topic") or None})


def log_turn(db: Database, clinic: str, conversation: str, meta: dict) -> None:
    """`record_turn` for the chat route: a busy or broken database must never cost a family
    their answer, so a failure is only logged."""
    try:
        record_turn(db, clinic, conversation, meta)
    except SQLAlchemyError as exc:
        log.warning("could not log a chat turn for the analytics: %s", exc)


def unlink(db: Database, conversation: str) -> None:
    """A family asked to delete its conversation: its turns still count, but no longer point to it."""
    db.execute(update(chat_turns).where(chat_turns.c.conversation == conversation).values(conversation=FORGOTTEN))
