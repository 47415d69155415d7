"""The escalation queue can never hide an emergency: no cap, exact counts, the newest red pinned;
and the records behind it, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import uuid

import pytest

from bot import clock
from bot.escalation.store import QUEUE_PAGE, EscalationStore


def assessment(severity: str, emergency: bool = False) -> dict:
    return {"severity": severity, "emergency": emergency, "categories": ["fever"], "evidence": ["39"],
            "temperature_c": 39.0}


@pytest.fixture
def store(database):
    return EscalationStore(database)


def raise_many(store: EscalationStore, n: int, severity: str = "red", emergency: bool = False) -> list[int]:
    """n escalations, each from its own conversation."""
    return [store.report("c", str(uuid.uuid4()), "en", assessment(severity, emergency), "msg", 0).escalation["id"]
            for _ in range(n)]


def test_counts_are_exact_past_any_page(store):
    raise_many(store, 140)
    raise_many(store, 20, "amber")
    acknowledged = raise_many(store, 5)
    for escalation_id in acknowledged:
        store.acknowledge(escalation_id, "nurse")
    assert store.counts("c") == {"open": 165, "unacknowledged": 160, "emergencies": 0}
    assert store.queue_size("c") == 165 and store.queue_size("c", "new") == 160
    assert store.queue_size("c", "acknowledged") == 5 and store.queue_size("c", severity="amber") == 20


def test_every_escalation_is_on_some_page(store):
    ids = set(raise_many(store, 2 * QUEUE_PAGE + 7))
    seen = [e["id"] for offset in range(0, 3 * QUEUE_PAGE, QUEUE_PAGE) for e in store.queue("c", offset=offset)]
    assert len(seen) == len(ids) and set(seen) == ids


def test_emergencies_come_first_then_red_then_amber_and_the_acknowledged_after(store):
    amber = raise_many(store, 3, "amber")
    red = raise_many(store, 3)
    emergency = raise_many(store, 1, "red", emergency=True)
    store.acknowledge(red[0], "nurse")
    order = [e["id"] for e in store.queue("c")]
    assert order == [*emergency, *red[1:], *amber, red[0]]


def test_a_new_emergency_behind_150_open_reds_is_pinned(store):
    raise_many(store, 150)
    newest = raise_many(store, 1, "red", emergency=True)[0]
    assert store.newest_unacknowledged_red("c")[0]["id"] == newest
    assert store.queue("c")[0]["id"] == newest  # and first in the queue itself


def test_unknown_filter_words_show_everything(store):
    raise_many(store, 3)
    assert store.queue_size("c", "drop table", "'; --") == 3


def test_the_queue_filters_by_category(store):
    raise_many(store, 2)
    store.report("c", str(uuid.uuid4()), "en", {**assessment("red"), "categories": ["neuro", "fever"]}, "fit", 0)
    assert store.queue_size("c", category="neuro") == 1 and store.queue_size("c", category="fever") == 3


def test_the_queue_filters_by_how_long_it_has_waited(store):
    old = raise_many(store, 2)
    store.db.execute("update escalations set created_at = '2020-01-01T00:00:00+00:00' where id = :id", {"id": old[0]})
    assert store.queue_size("c", age="1h") == 1 and store.queue_size("c", age="all") == 2


def test_a_repeat_report_updates_the_open_escalation_and_pages_again_only_when_it_is_worse(store):
    first = store.report("c", "c:1", "en", assessment("amber"), "she vomited", 30)
    worse = store.report("c", "c:1", "en", {**assessment("red"), "categories": ["neuro"], "temperature_c": 39.5},
                         "now she is floppy", 30)
    again = store.report("c", "c:1", "en", assessment("amber"), "still floppy", 30)
    assert first.page and worse.page and not again.page
    record = again.escalation
    assert record["id"] == first.escalation["id"] and store.queue_size("c") == 1
    assert record["severity"] == "red" and record["reports"] == 3 and record["temperature_c"] == 39.5
    assert record["categories"] == '["fever", "neuro"]'
    assert [m["text"] for m in json.loads(record["messages"])] == [
        "she vomited", "now she is floppy", "still floppy"]


def test_a_repeat_report_that_becomes_an_emergency_pages_again(store):
    first = store.report("c", "c:2", "en", assessment("red"), "he has 38.9", 30)
    fitting = store.report("c", "c:2", "en", {**assessment("red"), "emergency": True, "categories": ["neuro"]},
                           "now he is fitting", 30)
    again = store.report("c", "c:2", "en", {**assessment("red"), "emergency": True}, "still fitting", 30)
    assert first.page and fitting.page and not again.page
    assert fitting.escalation["id"] == first.escalation["id"] and fitting.escalation["emergency"]


def test_a_report_that_fails_half_way_leaves_nothing_behind(store, monkeypatch):
    """Finding the open escalation and inserting a new one are one transaction."""
    def fail(escalation_id):
        raise RuntimeError("the database went away")
    monkeypatch.setattr(store, "get", fail)
    with pytest.raises(RuntimeError):
        store.report("c", "c:1", "en", assessment("red"), "msg", 30)
    monkeypatch.undo()
    assert store.list("c") == [] and store.opened_since("c", 5) == 0


def test_reports_are_counted_per_clinic_and_per_source(store):
    store.report("c", "c:1", "en", assessment("red"), "msg", 30, source="one-address")
    store.report("c", "c:2", "en", assessment("red"), "msg", 30, source="one-address")
    store.report("c", "c:3", "en", assessment("red"), "msg", 30, source="another")
    store.report("d", "d:1", "en", assessment("red"), "msg", 30, source="one-address")
    assert store.opened_since("c", 5) == 3 and store.opened_since("c", 5, "one-address") == 2


def test_acknowledging_and_resolving_keep_the_first_nurse(store):
    one, two = raise_many(store, 2)
    assert store.acknowledge(one, "nurse li")["acknowledged_by"] == "nurse li"
    assert store.acknowledge(one, "nurse wu")["acknowledged_by"] == "nurse li"
    resolved = store.resolve(one, "nurse wu", "called the family")
    assert resolved["acknowledged_by"] == "nurse li" and resolved["resolution_note"] == "called the family"
    unseen = store.resolve(two, "nurse wu", "came in")
    assert unseen["acknowledged_by"] == "nurse wu" and unseen["acknowledged_at"] == unseen["resolved_at"]
    assert store.queue_size("c", "resolved") == 2 and store.counts("c")["open"] == 0


def test_the_unacknowledged_are_renotified_once(store, monkeypatch):
    waiting, seen = raise_many(store, 2)
    store.acknowledge(seen, "nurse")
    monkeypatch.setenv(clock.OFFSET_ENV, "1")  # a day later
    assert [e["id"] for e in store.due_for_renotification("c", 15)] == [waiting]
    store.mark_renotified(waiting)
    assert store.due_for_renotification("c", 15) == []


def test_a_family_that_deletes_its_conversation_leaves_a_marked_record(store):
    kept = store.report("c", "c:gone", "en", assessment("red"), "msg", 0).escalation["id"]
    store.mark_family_deleted("c:gone")
    marked = store.of_conversation("c:gone")
    assert [e["id"] for e in marked] == [kept] and marked[0]["family_deleted_at"]
    assert store.get(kept)["message"] == "msg"
