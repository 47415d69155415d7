"""A family's data in its own hands: `GET /api/chat/conversations/{sender}` shows what is stored,
`DELETE` forgets it; an escalation stays as a clinical record, marked."""
from __future__ import annotations

import httpx

from bot.escalation.store import EscalationStore
from bot.unanswered import UnansweredLog
from tests.stack import new_sender


def conversation(stack, sender: str, method: str = "GET", **params) -> httpx.Response:
    return httpx.request(method, f"{stack.url}/api/chat/conversations/{sender}", params=params)


def test_a_family_sees_its_conversation_and_can_delete_it(stack):
    sender = new_sender()
    stack.chat("can he shower with the pump?", sender)
    stack.chat("how do I renew my passport", sender)          # goes to the nurses' inbox
    escalation_id = stack.chat("my son has a fever of 39.1", sender)["meta"]["escalation_id"]

    shown = conversation(stack, sender, clinic="demo")
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    said = [t["text"] for t in shown.json()["turns"] if t["from"] == "family"]
    assert said == ["can he shower with the pump?", "how do I renew my passport", "my son has a fever of 39.1"]
    assert [e["id"] for e in shown.json()["escalations"]] == [escalation_id]
    assert conversation(stack, sender).status_code == 200          # the default clinic

    db = stack.database()
    assert any(r["sender"] == f"demo:{sender}" for r in db.query("select sender from unanswered"))
    assert conversation(stack, sender, "DELETE", clinic="demo").status_code == 204
    after = conversation(stack, sender, clinic="demo").json()   # what is kept, and why
    assert after["turns"] == [] and after["escalations"][0]["family_deleted_at"]
    assert not any(r["sender"] == f"demo:{sender}" for r in db.query("select sender from unanswered"))
    kept = EscalationStore(db).get(escalation_id)
    assert kept["message"] == "my son has a fever of 39.1" and kept["family_deleted_at"]  # a clinical record, marked
    assert db.scalar("select count(*) from chat_turns where conversation = :c", {"c": f"demo:{sender}"}) == 0


def test_nothing_stored_is_a_404_and_bad_ids_are_refused(stack):
    assert conversation(stack, new_sender()).status_code == 404
    assert conversation(stack, new_sender(), "DELETE").status_code == 404
    assert conversation(stack, "not a sender!").status_code == 404
    assert conversation(stack, new_sender(), clinic="nowhere").status_code == 404
    sender = new_sender()
    stack.chat("what is CRS", sender)
    assert conversation(stack, sender, "DELETE").status_code == 204
    assert conversation(stack, sender).status_code == 404   # nothing kept without an escalation


def test_conversations_past_the_clinics_retention_window_are_erased(database, monkeypatch):
    """With the clock moved 91 days on, a 90-day clinic's old conversation goes; one written
    since, another clinic's with a longer window, and the escalation record stay."""
    import asyncio
    import time

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.clinics import ClinicRegistry
    from bot.clock import OFFSET_ENV
    from bot.escalation.worker import Worker
    from bot.rasa_tracker import tracker_store_arguments
    from bot.settings import load_settings
    from bot.stores import Stores

    # Rasa's own tracker store, configured as the runner configures it: on our database.
    store = SQLTrackerStore(Domain.empty(), **tracker_store_arguments(database.engine.url.render_as_string(hide_password=False)))
    later = time.time() + 91 * 86400 - 3600   # an hour before the moved clock's "now"
    for sender, at in (("demo:old", time.time()), ("demo:recent", later), ("long:old", time.time())):
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, [UserUttered("hello", timestamp=at)])))
    db = database
    clinics = ClinicRegistry(db)
    clinics.seed_demo()
    clinics.save({**clinics.get("demo"), "id": "long", "retention_days": 365})
    UnansweredLog(db).add("hello", "en", "demo", "demo:old", None, None)
    EscalationStore(db).report("demo", "demo:old", "en", {"severity": "red", "emergency": False, "categories": ["fever"],
                                                          "evidence": ["fever"]}, "hot", 30)

    worker = Worker(Stores(load_settings(), db))
    worker.purge()                                 # today: nothing is old enough
    assert sorted(asyncio.run(store.keys())) == ["demo:old", "demo:recent", "long:old"]
    monkeypatch.setenv(OFFSET_ENV, "91")
    worker.purge()
    assert sorted(asyncio.run(store.keys())) == ["demo:recent", "long:old"]
    assert db.query("select * from unanswered") == []
    assert EscalationStore(db).of_conversation("demo:old")[0]["family_deleted_at"] is None  # kept, unmarked


def test_forget_me_in_the_chat_deletes_after_the_family_confirms(stack):
    sender = new_sender()
    stack.chat("can he shower with the pump?", sender)
    asked = stack.chat("删除我的记录", sender)
    assert [b["payload"] for b in asked["messages"][-1]["buttons"]] == ["/confirm_forget", "/keep_conversation"]
    assert stack.chat("/keep_conversation", sender, lang="zh")["messages"][0]["text"] == "没有删除任何内容。"
    assert conversation(stack, sender).status_code == 200
    done = stack.chat("/confirm_forget", sender, lang="zh")
    assert done["messages"][0]["text"] == "您的对话记录已删除。" and done["meta"]["kind"] == "chitchat"
    assert conversation(stack, sender).status_code == 404      # and that turn itself left nothing
    summary = stack.chat("what do you know about me", new_sender())
    assert "90 days" in summary["messages"][0]["text"]


def test_transcripts_are_read_through_rasas_tracker_store(database):
    """What Rasa stored (on SQLite or PostgreSQL) comes back through Rasa's own tracker store:
    what the family wrote and what the assistant said, oldest first, the last `limit` lines."""
    import asyncio

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.rasa_tracker import Transcripts, tracker_store_arguments

    url = database.engine.url.render_as_string(hide_password=False)
    rasa = SQLTrackerStore(Domain.empty(), **tracker_store_arguments(url))
    events = [UserUttered("is a rash normal?", timestamp=1_780_000_000), ActionExecuted("action_answer"),
              BotUttered("A mild rash can happen.", timestamp=1_780_000_001), UserUttered("thanks", timestamp=1_780_000_060)]
    asyncio.run(rasa.save(DialogueStateTracker.from_events("demo:t-1", events)))

    transcripts = Transcripts(url)
    assert asyncio.run(transcripts.lines("demo:t-1")) == [
        {"from": "family", "text": "is a rash normal?", "at": "2026-05-28T20:26:40+00:00"},
        {"from": "assistant", "text": "A mild rash can happen.", "at": "2026-05-28T20:26:41+00:00"},
        {"from": "family", "text": "thanks", "at": "2026-05-28T20:27:40+00:00"}]
    assert [line["text"] for line in asyncio.run(transcripts.lines("demo:t-1", limit=1))] == ["thanks"]
    assert asyncio.run(transcripts.lines("demo:nobody")) == []
