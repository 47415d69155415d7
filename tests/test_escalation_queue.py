"""The escalation queue can never hide an emergency: no cap, exact counts, the newest red pinned."""
from __future__ import annotations

import uuid

import pytest

from bot.db import open_db
from bot.escalation.store import QUEUE_PAGE, EscalationStore


def assessment(severity: str, emergency: bool = False) -> dict:
    return {"severity": severity, "emergency": emergency, "categories": ["fever"], "evidence": ["39"],
            "temperature_c": 39.0}


@pytest.fixture
def store():
    return EscalationStore(open_db(":memory:"))


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
    store.db.execute("update escalations set created_at = '2020-01-01T00:00:00+00:00' where id = ?", [old[0]])
    store.db.conn.commit()
    assert store.queue_size("c", age="1h") == 1 and store.queue_size("c", age="all") == 2
