"""The whole product on PostgreSQL, started the way `make run` starts it with
CAREBOT_DATABASE_URL: articles, clinics, escalations, the alert outbox and Rasa's own
conversations all live in that one database, and a family and the care team see no difference."""
from __future__ import annotations

import httpx
import pytest

from tests.conftest import ACK_TOKEN, stack_beside
from tests.stack import new_sender, wait_until


@pytest.fixture(scope="module")
def pg_stack(stack, postgres, webhook, mail, tmp_path_factory):
    """A second stack on a PostgreSQL database, serving the model the SQLite stack trained (the
    same content: the deployed model is current, nothing is retrained)."""
    running = stack_beside(stack, tmp_path_factory.mktemp("pgvar"), postgres.database(), mail, webhook)
    yield running
    running.stop()


def test_a_conversation_and_its_escalation_are_stored_in_postgresql(pg_stack, webhook):
    sender = new_sender()
    answered = pg_stack.chat("can he have a bath with the pump?", sender)["meta"]
    assert answered["kind"] in ("answer", "clarify_topic") and answered["lang"] == "en"
    meta = pg_stack.chat("my son is burning up, 39.2 on the thermometer", sender)["meta"]
    assert meta["kind"] == "escalation" and meta["severity"] == "red"
    assert wait_until(lambda: any(r["body"]["conversation"] == f"demo:{sender}" for r in webhook.received))

    db = pg_stack.database()
    assert db.dialect == "postgresql"
    said = db.query("select data from events where sender_id = :s and type_name = 'user' order by id",
                    {"s": f"demo:{sender}"})
    assert [row["data"] for row in said] and "39.2" in said[-1]["data"]   # Rasa's tracker store
    escalation = db.first("select clinic, message from escalations where id = :id", {"id": meta["escalation_id"]})
    assert escalation == {"clinic": "demo", "message": "my son is burning up, 39.2 on the thermometer"}
    assert db.scalar("select status from outbox where escalation_id = :id and channel = 'webhook'",
                     {"id": meta["escalation_id"]}) == "delivered"


def test_the_care_team_acknowledges_and_the_family_sees_it(pg_stack):
    sender = new_sender()
    escalation_id = pg_stack.chat("孩子在抽筋，叫不醒", sender)["meta"]["escalation_id"]
    acked = httpx.post(f"{pg_stack.url}/api/clinics/demo/escalations/{escalation_id}/ack",
                       headers={"Authorization": f"Bearer {ACK_TOKEN}"}, json={"by": "nurse"}, timeout=30)
    assert acked.status_code == 200, acked.text
    shown = httpx.get(f"{pg_stack.url}/api/chat/conversations/{sender}", timeout=30).json()
    assert shown["escalations"][0]["acknowledged_at"]
    assert [t["text"] for t in shown["turns"] if t["from"] == "family"] == ["孩子在抽筋，叫不醒"]


def test_fallback_suggestions_come_from_postgresqls_trigram_search(pg_stack):
    reply = pg_stack.chat("how do I renew my passport")
    assert reply["meta"]["kind"] == "fallback"
    assert pg_stack.database().scalar("select count(*) from unanswered where text = 'how do I renew my passport'") == 1
