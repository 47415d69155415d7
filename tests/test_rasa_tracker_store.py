"""The Rasa servers' tracker store saves a turn's new events once, as Rasa's own store does,
without counting the stored ones first (bot/rasa_tracker_store.py), on SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio

import pytest
import sqlalchemy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_tracker import tracker_store_arguments
from bot.rasa_tracker_store import TurnSQLTrackerStore


@pytest.fixture
def stores(database):
    arguments = tracker_store_arguments(database.engine.url.render_as_string(hide_password=False))
    turn, rasa = TurnSQLTrackerStore(Domain.empty(), **arguments), SQLTrackerStore(Domain.empty(), **arguments)
    yield turn, rasa
    turn.engine.dispose()
    rasa.engine.dispose()


def texts(store: SQLTrackerStore, sender: str) -> list[str]:
    tracker = asyncio.run(store.retrieve_full_tracker(sender))
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


def turn(store: SQLTrackerStore, sender: str, said: str, answer: str) -> None:
    """What a Rasa server does with a message: read the conversation, add to it, save it."""
    tracker = asyncio.run(store.retrieve(sender))
    for event in (UserUttered(said), ActionExecuted("action_answer"), BotUttered(answer), ActionExecuted("action_listen")):
        tracker.update(event)
    asyncio.run(store.save(tracker))


def test_each_turn_is_stored_once_without_counting_first(stores):
    store, rasa = stores
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:a", [ActionExecuted("action_listen")])))
    statements: list[str] = []
    sqlalchemy.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2].lower()))
    turn(store, "demo:a", "hello", "Hi!")
    turn(store, "demo:a", "is a rash normal?", "A mild rash can happen.")
    assert texts(rasa, "demo:a") == ["hello", "Hi!", "is a rash normal?", "A mild rash can happen."]
    assert statements and not any("count(" in statement for statement in statements)


def test_a_tracker_it_did_not_read_is_saved_as_rasa_saves_it(stores):
    store, rasa = stores
    events = [ActionExecuted("action_listen"), UserUttered("hello"), BotUttered("Hi!")]
    asyncio.run(rasa.save(DialogueStateTracker.from_events("demo:b", events)))
    asyncio.run(store.retrieve("demo:b"))  # read, but another tracker object is saved
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:b", [*events, UserUttered("thanks")])))
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:b", [*events, UserUttered("thanks")])))
    assert texts(rasa, "demo:b") == ["hello", "Hi!", "thanks"]


def test_a_turn_that_starts_a_new_session(stores):
    store, rasa = stores
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:c", [
        ActionExecuted("action_listen"), UserUttered("hello", timestamp=1.0), BotUttered("Hi!", timestamp=2.0)])))
    tracker = asyncio.run(store.retrieve("demo:c"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(UserUttered("back again"))
    asyncio.run(store.save(tracker))
    assert texts(rasa, "demo:c") == ["hello", "Hi!", "back again"]
    assert [e.text for e in asyncio.run(rasa.retrieve("demo:c")).events if isinstance(e, UserUttered)] == ["back again"]
