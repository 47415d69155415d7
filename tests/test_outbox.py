"""Delivery through the outbox to a real webhook receiver and a real SMTP server on loopback."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import yaml

from bot import clock
from bot.clinics import DEMO_CLINIC_FILE, ClinicError, ClinicRegistry
from bot.escalation import outbox as outbox_module
from bot.escalation.channels import ALLOW_LOOPBACK_ENV, DeliveryError, check_webhook_target, send_webhook
from bot.escalation.notify import FLOOD_PAGES, SOURCE_FLOOD_PAGES, enqueue_alerts, enqueue_new_alert
from bot.escalation.outbox import Outbox
from bot.escalation.store import EscalationStore
from bot.escalation.worker import Worker
from bot.settings import load_settings
from bot.storage import Database, open_database
from bot.storage.schema import clinics
from bot.stores import Stores
from tests.receivers import MailReceiver, WebhookReceiver
from tests.stack import ROOT, free_port, wait_until

SECRET = "s3cret-signing-key-0123456789"
ASSESSMENT = {"severity": "red", "emergency": False, "categories": ["fever"], "evidence": ["38.9"],
              "temperature_c": 38.9}


@pytest.fixture
def mail(monkeypatch):
    port = free_port()
    monkeypatch.setenv("CAREBOT_SMTP_PORT", str(port))
    receiver = MailReceiver(port).start()
    yield receiver
    receiver.stop()


def url_of(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def clinic_with_alerts(database: Database, webhook_port: int, **alerts) -> dict:
    demo = yaml.safe_load(DEMO_CLINIC_FILE.read_text(encoding="utf-8"))
    demo["alerts"] = {"webhook_url": f"http://127.0.0.1:{webhook_port}/alerts", "webhook_secret": SECRET,
                      "email_to": "oncall@clinic.test", "escalation_email": "lead@clinic.test", **alerts}
    return ClinicRegistry(database).save(demo)


def new_escalation(database: Database, clinic: dict) -> tuple[dict, list[int]]:
    escalation = EscalationStore(database).report(clinic["id"], "c-1", "en", ASSESSMENT, "she is 38.9", 30).escalation
    return escalation, enqueue_alerts(Outbox(database), escalation, clinic, "alert")


def worker_on(database: Database) -> Worker:
    return Worker(Stores(load_settings(), database))


def test_webhook_is_signed_and_email_sent_and_both_marked_delivered(database, mail):
    webhook = WebhookReceiver(free_port(), SECRET).start()
    try:
        clinic = clinic_with_alerts(database, webhook.port)
        escalation, rows = new_escalation(database, clinic)
        worker_on(database).settle()
        assert Outbox(database).delivered(rows)
        assert webhook.rejected == 0 and len(webhook.received) == 1
        body = webhook.received[0]["body"]
        assert body["id"] == escalation["id"] and body["severity"] == "red" and body["categories"] == ["fever"]
        assert wait_until(lambda: len(mail.messages) == 1)
        assert mail.messages[0]["to"] == ["oncall@clinic.test"]
        assert f"[RED] Escalation #{escalation['id']}: fever" in mail.messages[0]["content"]
        assert all(r["status"] == "delivered" for r in Outbox(database).for_escalation(escalation["id"]))
    finally:
        webhook.stop()


def test_each_on_call_address_gets_its_own_alert_and_a_full_mailbox_stops_no_other(database, monkeypatch):
    port = free_port()
    monkeypatch.setenv("CAREBOT_SMTP_PORT", str(port))
    mail = MailReceiver(port, full=frozenset({"full@clinic.test"})).start()
    try:
        clinic = clinic_with_alerts(database, free_port(), webhook_url=None,
                                    email_to="full@clinic.test, oncall@clinic.test, deputy@clinic.test")
        escalation, rows = new_escalation(database, clinic)
        assert len(rows) == 3
        worker_on(database).settle()
        assert wait_until(lambda: len(mail.messages) == 2)
        assert sorted(m["to"][0] for m in mail.messages) == ["deputy@clinic.test", "oncall@clinic.test"]
        status = {r["target"]: r["status"] for r in Outbox(database).for_escalation(escalation["id"])}
        assert status["oncall@clinic.test"] == status["deputy@clinic.test"] == "delivered"
        assert status["full@clinic.test"] != "delivered"
        assert Outbox(database).delivered(rows)  # the family may be told the team was alerted
    finally:
        mail.stop()


def test_a_wrong_secret_is_rejected_by_the_receiver_and_retried(database, mail):
    webhook = WebhookReceiver(free_port(), "another-secret-entirely-xyz").start()
    try:
        clinic = clinic_with_alerts(database, webhook.port, email_to=None)
        escalation, rows = new_escalation(database, clinic)
        worker_on(database).settle()
        row = Outbox(database).for_escalation(escalation["id"])[0]
        assert webhook.rejected == 1 and row["status"] == "pending" and row["attempts"] == 1
        assert "401" in row["last_error"]
    finally:
        webhook.stop()


def test_receiver_down_is_retried_with_backoff_and_delivered_when_it_returns(database, mail, monkeypatch):
    monkeypatch.setattr(outbox_module, "BACKOFF_BASE_SECONDS", 0.2)
    port = free_port()
    clinic = clinic_with_alerts(database, port, email_to=None)
    escalation, rows = new_escalation(database, clinic)
    worker = worker_on(database)
    assert wait_until(lambda: (worker.run_once() or True) and
                      Outbox(database).for_escalation(escalation["id"])[0]["attempts"] >= 3)
    row = Outbox(database).for_escalation(escalation["id"])[0]
    assert row["status"] == "pending" and row["last_error"] == "could not connect"  # visible, not dropped, no internals
    webhook = WebhookReceiver(port, SECRET).start()
    try:
        assert wait_until(lambda: (worker.run_once() or True) and Outbox(database).delivered(rows))
        assert len(webhook.received) == 1
    finally:
        webhook.stop()


def test_backoff_doubles_up_to_a_cap():
    assert [outbox_module.backoff_seconds(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox_module.backoff_seconds(30) == outbox_module.BACKOFF_MAX_SECONDS


def test_two_workers_on_their_own_connections_never_claim_the_same_row(database):
    """Workers on several servers share one database: each due row goes to exactly one of them."""
    ids = {Outbox(database).enqueue(1, "webhook", "https://clinic.example/alerts", "alert", {"n": n})
           for n in range(50)}
    other = open_database(url_of(database))
    outboxes = [Outbox(database), Outbox(other)]
    claimed: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def claim(n: int) -> None:
        start.wait()
        deadline = time.monotonic() + 20
        while sum(map(len, claimed)) < len(ids) and time.monotonic() < deadline:
            claimed[n] += [row["id"] for row in outboxes[n].claim_due(limit=10)]  # both read the same rows

    threads = [threading.Thread(target=claim, args=(n,)) for n in (0, 1)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.dispose()
    first, second = map(set, claimed)
    assert first | second == ids and not first & second
    assert sum(map(len, claimed)) == len(ids)  # and nobody claimed a row twice


def start_worker(database: Database, smtp_port: str) -> subprocess.Popen:
    env = {**os.environ, "CAREBOT_DATABASE_URL": url_of(database), "CAREBOT_SMTP_PORT": smtp_port}
    return subprocess.Popen([sys.executable, "-m", "bot.escalation.worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_worker_restarted_mid_retry_delivers_exactly_once(database, mail):
    port = free_port()
    clinic = clinic_with_alerts(database, port)
    escalation, rows = new_escalation(database, clinic)
    worker = start_worker(database, os.environ["CAREBOT_SMTP_PORT"])
    try:
        # The e-mail goes out; the webhook fails while its receiver is down.
        assert wait_until(lambda: len(mail.messages) == 1)
        assert wait_until(lambda: Outbox(database).for_escalation(escalation["id"])[0]["attempts"] >= 2)
    finally:
        worker.send_signal(signal.SIGKILL)  # a crash, not a clean stop
        worker.wait()
    webhook = WebhookReceiver(port, SECRET).start()
    worker = start_worker(database, os.environ["CAREBOT_SMTP_PORT"])
    try:
        assert wait_until(lambda: Outbox(database).delivered([rows[0]]), seconds=40)
        time.sleep(1.5)  # would a duplicate follow?
        assert len(webhook.received) == 1 and len(mail.messages) == 1
    finally:
        worker.terminate()
        worker.wait()
        webhook.stop()


def test_unacknowledged_alerts_are_sent_again_to_the_escalation_contact(database, mail, monkeypatch):
    from bot.escalation import worker as worker_module

    monkeypatch.setattr(worker_module, "RENOTIFY_CHECK_SECONDS", 0)
    webhook = WebhookReceiver(free_port(), SECRET).start()
    try:
        clinic = clinic_with_alerts(database, webhook.port, renotify_minutes=0.01)
        acknowledged, _ = new_escalation(database, clinic)
        EscalationStore(database).acknowledge(acknowledged["id"], "nurse")
        ignored = EscalationStore(database).report(clinic["id"], "c-2", "en", ASSESSMENT, "38.9 again", 30).escalation
        enqueue_alerts(Outbox(database), ignored, clinic, "alert")
        time.sleep(1.0)
        worker = worker_on(database)
        assert wait_until(lambda: (worker.run_once() or True) and
                          any(m["to"] == ["lead@clinic.test"] for m in mail.messages))
        renotified = [m for m in mail.messages if m["to"] == ["lead@clinic.test"]]
        assert len(renotified) == 1 and f"Escalation #{ignored['id']}" in renotified[0]["content"]
        assert "NOT ACKNOWLEDGED" in renotified[0]["content"]
        assert EscalationStore(database).get(acknowledged["id"])["renotified_at"] is None
    finally:
        webhook.stop()


def other_clinic(database: Database, clinic_id: str, webhook_port: int, secret: str, **fields) -> dict:
    doc = yaml.safe_load(DEMO_CLINIC_FILE.read_text(encoding="utf-8"))
    doc.update(id=clinic_id, **fields)
    doc["alerts"] = {"webhook_url": f"http://127.0.0.1:{webhook_port}/alerts", "webhook_secret": secret}
    return ClinicRegistry(database).save(doc)


def test_a_target_that_never_answers_does_not_delay_another_clinics_alert(database):
    silent = socket.socket()  # accepts connections (the kernel does) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    webhook = WebhookReceiver(free_port(), SECRET).start()
    try:
        slow = other_clinic(database, "slow", silent.getsockname()[1], "slow-clinic-secret-0123456")
        fast = other_clinic(database, "fast", webhook.port, SECRET)
        for _ in range(3):
            new_escalation(database, slow)
        _, rows = new_escalation(database, fast)
        worker, started = worker_on(database), time.monotonic()
        assert wait_until(lambda: (worker.run_once() or True) and Outbox(database).delivered(rows), 4)
        assert time.monotonic() - started < 1.5
    finally:
        webhook.stop()
        silent.close()


def test_each_webhook_is_signed_with_its_own_clinics_secret_never_one_found_by_url(database):
    webhook = WebhookReceiver(free_port(), SECRET).start()  # knows clinic b's secret only
    try:
        a = other_clinic(database, "clinic-a", webhook.port, "clinic-a-secret-0123456789")
        b = other_clinic(database, "clinic-b", webhook.port, SECRET)  # the same URL
        new_escalation(database, a)
        new_escalation(database, b)
        worker_on(database).settle(5)
        assert webhook.rejected == 1 and [r["body"]["clinic"] for r in webhook.received] == ["clinic-b"]
    finally:
        webhook.stop()


def test_a_clinic_name_with_a_line_break_still_gets_its_alert_and_cannot_be_saved_again(database, mail):
    doc = yaml.safe_load(DEMO_CLINIC_FILE.read_text(encoding="utf-8"))
    doc["name"]["en"] = "Ward 7\nBcc: someone@evil.test\u2028"
    doc["alerts"] = {"email_to": "oncall@clinic.test"}
    registry = ClinicRegistry(database)
    with pytest.raises(ClinicError, match="control characters"):
        registry.save(doc)
    database.upsert(clinics, {"id": "demo", "settings": json.dumps(doc)})  # saved before the rule
    escalation, rows = new_escalation(database, registry.get("demo"))
    worker_on(database).settle(5)
    assert Outbox(database).delivered(rows)
    assert wait_until(lambda: len(mail.messages) == 1)
    assert mail.messages[0]["to"] == ["oncall@clinic.test"]  # no header was injected


@pytest.mark.parametrize("url,why", [
    ("http://169.254.169.254/latest/meta-data", "refused address"),   # cloud metadata
    ("https://10.1.2.3/alerts", "refused address"),                   # private network
    ("https://127.0.0.1:5055/webhook", "refused address"),            # this machine (the action server)
    ("https://[::1]/alerts", "refused address"),
    ("ftp://clinic.example/alerts", "not an http"),
])
def test_webhooks_never_go_to_internal_addresses(url, why, monkeypatch):
    monkeypatch.delenv(ALLOW_LOOPBACK_ENV, raising=False)
    with pytest.raises(DeliveryError, match=why):
        check_webhook_target(url)


def test_a_public_https_address_is_allowed_and_plain_http_is_not(monkeypatch):
    monkeypatch.delenv(ALLOW_LOOPBACK_ENV, raising=False)
    check_webhook_target("https://93.184.216.34/alerts")  # a public address: no error, nothing sent
    with pytest.raises(DeliveryError, match="https"):
        check_webhook_target("http://93.184.216.34/alerts")


def test_a_webhook_without_a_secret_is_never_sent():
    with pytest.raises(DeliveryError, match="no webhook secret"):
        send_webhook("https://93.184.216.34/alerts", "", {"id": 1}, "key")


def test_a_flood_of_reports_is_merged_into_one_page_and_every_report_is_kept(database):
    webhook = WebhookReceiver(free_port(), SECRET).start()
    try:
        clinic = clinic_with_alerts(database, webhook.port, email_to=None)
        rows = []
        for n in range(30):  # thirty "reports" from thirty fresh conversations
            escalation = EscalationStore(database).report(clinic["id"], f"c-{n}", "en", ASSESSMENT, "she is 38.9", 30).escalation
            rows.append(enqueue_new_alert(Outbox(database), EscalationStore(database), escalation, clinic))
        worker_on(database).settle(10)
        assert len(EscalationStore(database).list(clinic["id"])) == 30  # every report is in the queue
        assert rows[FLOOD_PAGES] and not any(rows[FLOOD_PAGES + 1:])  # one summary page, then none
        bodies = [r["body"] for r in webhook.received]
        assert len(bodies) == FLOOD_PAGES + 1
        summary = next(b for b in bodies if b["kind"] == "flood")
        assert summary["reports_in_window"] == FLOOD_PAGES + 1
        assert Outbox(database).delivered(rows[FLOOD_PAGES])  # the summary reached the team
    finally:
        webhook.stop()


def test_many_reports_from_one_address_are_merged_too(database):
    webhook = WebhookReceiver(free_port(), SECRET).start()
    try:
        clinic = clinic_with_alerts(database, webhook.port, email_to=None)
        for n in range(6):  # one address, six "children" in a few minutes
            escalation = EscalationStore(database).report(clinic["id"], f"s-{n}", "en", ASSESSMENT, "38.9", 30,
                                                    source="one-address").escalation
            enqueue_new_alert(Outbox(database), EscalationStore(database), escalation, clinic)
        worker_on(database).settle(10)
        kinds = [r["body"]["kind"] for r in webhook.received]
        assert kinds.count("alert") == SOURCE_FLOOD_PAGES and kinds.count("flood") == 1
    finally:
        webhook.stop()


def test_after_a_flood_one_reminder_says_how_many_are_waiting(database, monkeypatch):
    clinic = clinic_with_alerts(database, free_port(), email_to=None)
    for n in range(FLOOD_PAGES + 5):
        EscalationStore(database).report(clinic["id"], f"r-{n}", "en", ASSESSMENT, "38.9", 30)
    monkeypatch.setenv(clock.OFFSET_ENV, "1")  # a day later, nobody has acknowledged any
    worker_on(database).renotify()
    reminders = database.query("select escalation_id, channel, payload from outbox where kind = 'renotify'")
    assert len({r["escalation_id"] for r in reminders}) == 1  # one reminder (on each channel), not fifteen
    webhook = next(r for r in reminders if r["channel"] == "webhook")
    assert json.loads(webhook["payload"])["unacknowledged"] == FLOOD_PAGES + 5
    assert EscalationStore(database).due_for_renotification(clinic["id"], 15) == []
