"""The family's side of an alert: `GET /api/chat/escalations/{id}?sender=` says whether a nurse
saw it, only to the conversation that raised it, in the conversation's language."""
from __future__ import annotations

import time

import httpx

from bot.clinics import ClinicRegistry
from bot.escalation.outbox import Outbox
from bot.gateway.escalation_status import page_delivered
from tests.conftest import ACK_TOKEN, demo_clinic_alerting, token_hash
from tests.stack import new_sender


def status(stack, escalation_id, sender, **params) -> httpx.Response:
    return httpx.get(f"{stack.url}/api/chat/escalations/{escalation_id}", params={"sender": sender, **params})


def acknowledge(stack, escalation_id) -> None:
    response = httpx.post(f"{stack.url}/api/clinics/demo/escalations/{escalation_id}/ack",
                          headers={"Authorization": f"Bearer {ACK_TOKEN}"}, json={"by": "Nurse Li"})
    assert response.status_code == 200


def test_the_family_sees_when_a_nurse_acknowledged_and_no_one_else_can_look(stack):
    sender = new_sender()
    escalation_id = stack.chat("孩子烧到39.3度，一直发抖", sender)["meta"]["escalation_id"]
    waiting = status(stack, escalation_id, sender)
    assert waiting.status_code == 200
    assert waiting.json()["status"] == "open" and waiting.json()["acknowledged_at"] is None
    assert waiting.json()["lang"] == "zh" and "还没有人确认收到" in waiting.json()["message"]
    assert waiting.json()["call_now"] is False
    assert status(stack, escalation_id, new_sender()).status_code == 404      # another family
    assert status(stack, escalation_id, "").status_code == 404
    assert status(stack, 10**9, sender).status_code == 404                    # no such alert

    acknowledge(stack, escalation_id)
    seen = status(stack, escalation_id, sender, tz="Asia/Shanghai").json()
    assert seen["status"] == "acknowledged" and seen["acknowledged_at"]
    assert seen["message"].startswith("最新情况：护士已于 ") and "Nurse Li" not in seen["message"]  # never a name
    assert status(stack, escalation_id, sender, tz="Mars/Olympus").status_code == 400
    handover = seen["handover"]                     # for a call to a team in either language
    assert handover["said"] == "孩子烧到39.3度，一直发抖" and handover["temperature_c"] == 39.3
    assert "Fever" in handover["en"]["signs"] and handover["zh"]["signs"] and handover["en"]["advice"]


def test_an_english_status_gives_the_time_in_the_familys_zone(stack):
    sender = new_sender()
    escalation_id = stack.chat("my son is burning up, 39.4", sender)["meta"]["escalation_id"]
    acknowledge(stack, escalation_id)
    utc = status(stack, escalation_id, sender).json()["message"]
    assert utc.startswith("Update: a nurse saw your message at ") and utc.endswith(" UTC.")
    local = status(stack, escalation_id, sender, tz="America/New_York").json()["message"]
    assert "UTC" not in local and local != utc


def test_after_the_clinics_confirm_minutes_the_family_is_told_to_call(stack, webhook):
    registry = ClinicRegistry(stack.database())
    registry.save(demo_clinic_alerting(webhook, confirm_minutes=0.02))  # 1.2 s
    try:
        sender = new_sender()
        escalation_id = stack.chat("she is struggling to breathe and her lips look blue", sender)["meta"]["escalation_id"]
        time.sleep(1.5)
        overdue = status(stack, escalation_id, sender).json()
        assert overdue["status"] == "open" and overdue["call_now"] is True
        assert overdue["message"] == "No one has confirmed yet. Call now."
    finally:
        registry.save(demo_clinic_alerting(webhook))


def test_when_no_page_reached_the_care_team_the_family_is_told_to_call_at_once(stack, webhook):
    """A clinic with no alert target (or whose pages have not gone through): the family is never
    told that a nurse will see it, but to call, from the first look."""
    registry = ClinicRegistry(stack.database())
    registry.save({**demo_clinic_alerting(webhook), "alerts": {"ack_token_sha256": token_hash(ACK_TOKEN)}})
    try:
        sender = new_sender()
        escalation_id = stack.chat("孩子抽搐了，叫不醒", sender)["meta"]["escalation_id"]
        unreached = status(stack, escalation_id, sender).json()
        assert unreached["status"] == "open" and unreached["call_now"] is True
        assert unreached["message"] == "我还没能把这条消息通知到医护团队。请现在就给他们打电话。"
        acknowledge(stack, escalation_id)  # a nurse who watches the console still sees it
        assert status(stack, escalation_id, sender).json()["call_now"] is False
    finally:
        registry.save(demo_clinic_alerting(webhook))


def test_an_outbox_that_cannot_be_read_counts_as_no_page_delivered(database):
    """A storage error while reading the outbox must not become "waiting for a nurse"."""
    outbox = Outbox(database)
    row = outbox.enqueue(1, "email", "oncall@clinic.test", "alert", {})
    outbox.mark_delivered({"id": row})
    assert page_delivered(outbox, {"id": 1}) is True
    database.execute("drop table outbox")
    assert page_delivered(outbox, {"id": 1}) is False


def test_a_resolved_alert_says_that_it_was_seen_and_closed():
    from bot.gateway.escalation_status import status_message, status_of

    resolved = {"resolved_at": "2026-12-02T03:00:00+00:00", "acknowledged_at": "2026-12-02T02:14:00+00:00",
                "created_at": "2026-12-02T02:10:00+00:00", "lang": "en"}
    assert status_of(resolved) == "resolved"
    assert status_message(resolved, None, None, alerted=True) == ("Update: a nurse saw your message at 2:14\u202fAM UTC. The care team "
                                                    "has closed this alert. Call them if you are still worried.")
