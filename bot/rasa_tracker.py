"""Rasa's SQL tracker store on our own database: how Rasa is told to use it (endpoints.yml) and
how the gateway reads a conversation back through it.

Rasa keeps every event of a conversation in its `events` table. The transcript a nurse or the
family sees is read through Rasa's own `SQLTrackerStore`, not from that table; erasing a
conversation is the one thing Rasa 3.6's tracker stores cannot do (bot/conversations.py).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy.engine import make_url

PASSWORD_ENV = "CAREBOT_DATABASE_PASSWORD"
EVENTS_TABLE = "events"  # made by Rasa's SQLTrackerStore when it starts
TRACKER_STORE_CLASS = "bot.rasa_tracker_store.TurnSQLTrackerStore"  # Rasa's, one query a turn lighter


def endpoint_section(database_url: str) -> dict:
    """endpoints.yml's `tracker_store` (Rasa's SQLTrackerStore, bot/rasa_tracker_store.py). The password stays in the environment
    (`${CAREBOT_DATABASE_PASSWORD}`, which Rasa expands; the runner sets it for Rasa alone)."""
    section = tracker_store_arguments(database_url)
    if section.get("password"):
        section["password"] = "${%s}" % PASSWORD_ENV
    return {"type": TRACKER_STORE_CLASS, **{("url" if key == "host" else key): value for key, value in section.items()}}


def tracker_store_arguments(database_url: str) -> dict:
    """SQLTrackerStore's keyword arguments for our database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return {"dialect": "sqlite", "db": url.database}
    arguments = {"dialect": "postgresql", "host": url.host, "port": url.port or 5432, "db": url.database,
                 "username": url.username}
    if url.password:
        arguments["password"] = url.password
    return arguments


def open_tracker_store(database_url: str):
    """Rasa's own SQLTrackerStore on our database (making Rasa's tables if they are missing)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    return SQLTrackerStore(Domain.empty(), **tracker_store_arguments(database_url))


def create_rasa_tables(database_url: str) -> None:
    """Make Rasa's `events` table before the Rasa servers start: several servers creating it at
    once collide in PostgreSQL (one fails and has to retry)."""
    open_tracker_store(database_url).engine.dispose()


class Transcripts:
    """A conversation's messages, read through Rasa's SQLTrackerStore (made on first use: the
    import costs a second, and only the console and the family's export need it)."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self._store = None

    def _tracker_store(self):
        if self._store is None:
            self._store = open_tracker_store(self.database_url)
        return self._store

    async def lines(self, conversation: str, limit: Optional[int] = 200) -> list[dict]:
        """[{"from": "family" | "assistant", "text": ..., "at": ISO time}], oldest first."""
        from rasa.shared.core.events import BotUttered, UserUttered

        tracker = await self._tracker_store().retrieve_full_tracker(conversation)
        said = [e for e in (tracker.events if tracker else []) if isinstance(e, (UserUttered, BotUttered)) and e.text]
        return [{"from": "family" if isinstance(event, UserUttered) else "assistant", "text": event.text,
                 "at": dt.datetime.fromtimestamp(event.timestamp, dt.timezone.utc).isoformat(timespec="seconds")}
                for event in (said[-limit:] if limit else said)]
