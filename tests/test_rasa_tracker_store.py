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
    counts_of_the_session = [s for s in statements if "count(" in s and "session_start" in s]  # Rasa's count
    assert statements and not counts_of_the_session


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


def reads_of_events(store: SQLTrackerStore) -> list[str]:
    """The statements that read stored events' data (Rasa's read of a conversation)."""
    statements: list[str] = []
    sqlalchemy.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2].lower()))
    return statements


def test_the_next_turn_of_a_conversation_is_not_read_back(stores):
    store, rasa = stores
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:d", [ActionExecuted("action_listen")])))
    turn(store, "demo:d", "hello", "Hi!")
    statements = reads_of_events(store)
    turn(store, "demo:d", "is a rash normal?", "A mild rash can happen.")
    turn(store, "demo:d", "thanks", "You're welcome.")
    assert not [s for s in statements if "events.data" in s]
    assert texts(rasa, "demo:d") == ["hello", "Hi!", "is a rash normal?", "A mild rash can happen.", "thanks",
                                     "You're welcome."]


def test_a_turn_another_server_took_is_read(stores, database):
    store, rasa = stores
    other = TurnSQLTrackerStore(Domain.empty(), **tracker_store_arguments(database.engine.url.render_as_string(hide_password=False)))
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:e", [ActionExecuted("action_listen")])))
    turn(store, "demo:e", "hello", "Hi!")
    turn(other, "demo:e", "are you there?", "Yes.")  # this server was down for a moment
    other.engine.dispose()
    seen = asyncio.run(store.retrieve("demo:e"))
    assert [e.text for e in seen.events if isinstance(e, UserUttered)] == ["hello", "are you there?"]
    turn(store, "demo:e", "good", "Glad to help.")
    assert texts(rasa, "demo:e") == ["hello", "Hi!", "are you there?", "Yes.", "good", "Glad to help."]


def test_a_forgotten_conversation_stays_forgotten(stores, database):
    store, rasa = stores
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:f", [ActionExecuted("action_listen")])))
    turn(store, "demo:f", "my son has a rash", "Please call.")
    with database.engine.begin() as connection:  # what "forget me" does (bot/conversations.py)
        connection.execute(sqlalchemy.text("delete from events where sender_id = 'demo:f'"))
    assert asyncio.run(store.retrieve("demo:f")) is None


def test_a_turn_that_failed_before_saving_leaves_nothing_behind(stores):
    store, rasa = stores
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:g", [ActionExecuted("action_listen")])))
    turn(store, "demo:g", "hello", "Hi!")
    tracker = asyncio.run(store.retrieve("demo:g"))
    tracker.update(UserUttered("never saved"))  # the turn fails here
    seen = asyncio.run(store.retrieve("demo:g"))
    assert [e.text for e in seen.events if isinstance(e, UserUttered)] == ["hello"]
    turn(store, "demo:g", "hello again", "Hi again!")
    assert texts(rasa, "demo:g") == ["hello", "Hi!", "hello again", "Hi again!"]


def test_a_tracker_that_began_a_session_is_read_back_as_rasa_reads_it(stores):
    store, rasa = stores
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:h", [
        ActionExecuted("action_listen"), UserUttered("hello", timestamp=1.0), BotUttered("Hi!", timestamp=2.0)])))
    tracker = asyncio.run(store.retrieve("demo:h"))
    for event in (ActionExecuted("action_session_start"), SessionStarted(), UserUttered("back again")):
        tracker.update(event)
    asyncio.run(store.save(tracker))
    next_turn = asyncio.run(store.retrieve("demo:h"))
    assert [e.text for e in next_turn.events if isinstance(e, UserUttered)] == ["back again"]


def test_it_keeps_a_bounded_number_of_conversations(stores, monkeypatch):
    store, rasa = stores
    monkeypatch.setattr("bot.rasa_tracker_store.KEPT_CONVERSATIONS", 2)
    for sender in ("demo:i", "demo:j", "demo:k"):
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen")])))
        turn(store, sender, "hello", "Hi!")
    assert list(store._kept) == ["demo:j", "demo:k"]
    turn(store, "demo:i", "still there?", "Yes.")
    assert texts(rasa, "demo:i") == ["hello", "Hi!", "still there?", "Yes."]


def test_a_new_model_reads_conversations_anew(stores):
    """A retrain loads a new domain (perhaps with new slots) into the running server."""
    store, rasa = stores
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:l", [ActionExecuted("action_listen")])))
    turn(store, "demo:l", "hello", "Hi!")
    store.domain = Domain.from_dict({"slots": {"child_age": {"type": "text", "mappings": [{"type": "custom"}]}}})
    assert "child_age" in asyncio.run(store.retrieve("demo:l")).slots


def test_an_event_stamped_before_the_session_is_not_kept(stores):
    """Rasa reads back only what is stamped from the session's start: a tracker holding an
    older-stamped event (sent through the HTTP API) is read again, as Rasa would see it."""
    store, rasa = stores
    asyncio.run(store.save(DialogueStateTracker.from_events("demo:m", [
        ActionExecuted("action_session_start", timestamp=100.0), SessionStarted(timestamp=100.0),
        ActionExecuted("action_listen", timestamp=100.0)])))
    tracker = asyncio.run(store.retrieve("demo:m"))
    tracker.update(UserUttered("from an old export", timestamp=50.0))
    tracker.update(UserUttered("today"))
    asyncio.run(store.save(tracker))
    seen = asyncio.run(store.retrieve("demo:m"))
    assert [e.text for e in seen.events if isinstance(e, UserUttered)] == ["today"]
