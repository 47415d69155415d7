"""The escalation action on its own: a storage failure never swallows the instructions."""
from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import turn
from actions.escalate import ActionEscalate
from bot.clinics import ClinicRegistry
from bot.db import open_db
from bot.redflags.detector import detector


def test_instructions_still_go_out_when_the_escalation_cannot_be_stored(tmp_path, monkeypatch):
    db_path = tmp_path / "carebot.db"
    monkeypatch.setenv("CAREBOT_DB", str(db_path))
    turn.stores.cache_clear()
    ClinicRegistry(turn.stores().clinics.db).seed_demo()
    db = open_db(db_path)  # every write to the escalations table now fails, as on a full disk
    db.execute("create trigger broken before insert on escalations begin select raise(abort, 'disk full'); end")
    db.conn.commit()
    try:
        text = "she is struggling to breathe"
        tracker = Tracker.from_dict({"sender_id": "demo:t1", "slots": {"language": "en"}, "events": [],
                                     "latest_message": {"text": text, "metadata": {"clinic": "demo"},
                                                        "red_flags": detector().assess(text).as_dict()}})
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionEscalate().run(dispatcher, tracker, {}))
    finally:
        turn.stores.cache_clear()
    reply, meta = dispatcher.messages[0], dispatcher.messages[1]["custom"]["meta"]
    assert reply["text"].startswith("This can be an emergency. Call 911 now.")
    assert "I could not confirm that the care team received an alert. Please call them now." in reply["text"]
    assert meta["kind"] == "escalation" and meta["severity"] == "red" and meta["escalation_id"] is None
