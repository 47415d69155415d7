"""The notification outbox: every alert is a row until a channel confirms delivery.

Rows are only ever added by the escalation action and completed by the worker, so a crash or
restart at any point loses nothing; a row claimed by a worker that died is retried when the
claim expires. Receivers get an `Idempotency-Key`, so the rare resend after a crash between
"sent" and "marked delivered" can be recognised. Failed deliveries are retried with
exponential backoff, forever: a stuck row stays visible (`attempts`, `last_error`). New alerts
are claimed before retries.

Sending (`send`) touches no database, so the worker can run many at once in threads; the
outcome is recorded (`mark_delivered`, `mark_failed`) by the worker's own thread.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from sqlite_utils import Database

from bot import clock
from bot.clock import now_iso
from bot.escalation.channels import send_email, send_webhook

log = logging.getLogger("carebot.outbox")
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 300.0
CLAIM_SECONDS = 60
STUCK_AFTER_ATTEMPTS = 5


def _at(seconds_from_now: float) -> str:
    return (clock.now() + dt.timedelta(seconds=seconds_from_now)).isoformat(timespec="milliseconds")


def backoff_seconds(attempts: int) -> float:
    return min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))


class Outbox:
    def __init__(self, db: Database):
        self.db = db
        db["outbox"].create(
            {"id": int, "escalation_id": int, "channel": str, "target": str, "kind": str,
             "payload": str, "status": str, "attempts": int, "next_attempt_at": str,
             "claimed_until": str, "last_error": str, "created_at": str, "delivered_at": str},
            pk="id", if_not_exists=True)
        db["outbox"].create_index(["status", "next_attempt_at"], if_not_exists=True)

    def enqueue(self, escalation_id: int, channel: str, target: str, kind: str, payload: dict) -> int:
        return self.db["outbox"].insert({
            "escalation_id": escalation_id, "channel": channel, "target": target, "kind": kind,
            "payload": json.dumps(payload, ensure_ascii=False), "status": "pending", "attempts": 0,
            "next_attempt_at": now_iso(), "created_at": now_iso()}).last_pk

    def for_escalation(self, escalation_id: int) -> list[dict]:
        return list(self.db.query("select id, channel, target, kind, status, attempts, last_error, "
                                  "created_at, delivered_at from outbox where escalation_id = ? order by id",
                                  [escalation_id]))

    def failing_channels(self, clinic: str) -> list[str]:
        """Channels whose newest notification for this clinic has failed and is still being retried."""
        rows = self.db.query(
            "select channel, status, last_error from outbox where id in (select max(outbox.id) from outbox "
            "join escalations on escalations.id = outbox.escalation_id where escalations.clinic = ? "
            "group by channel)", [clinic])
        return sorted(r["channel"] for r in rows if r["status"] != "delivered" and r["last_error"])

    def recent_of_kind(self, clinic: str, kind: str, minutes: float) -> list[int]:
        """This clinic's notifications of `kind` queued in the last `minutes`."""
        since = (clock.now() - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
        return [r["id"] for r in self.db.query(
            "select outbox.id from outbox join escalations on escalations.id = outbox.escalation_id "
            "where escalations.clinic = ? and outbox.kind = ? and outbox.created_at >= ?", [clinic, kind, since])]

    def delivered(self, row_ids: list[int]) -> bool:
        """Has at least one of these notifications reached the care team?"""
        if not row_ids:
            return False
        marks = ",".join("?" * len(row_ids))
        rows = list(self.db.query(f"select 1 from outbox where id in ({marks}) and status = 'delivered' limit 1", row_ids))
        return bool(rows)

    def claim_due(self, limit: int = 20) -> list[dict]:
        """Rows whose time has come and that no live worker holds, new ones first; claim them
        atomically. Each row comes with its escalation's clinic."""
        now = now_iso()
        rows = list(self.db.query(
            "select outbox.*, escalations.clinic as clinic from outbox "
            "left join escalations on escalations.id = outbox.escalation_id "
            "where outbox.status = 'pending' and outbox.next_attempt_at <= ? "
            "and (outbox.claimed_until is null or outbox.claimed_until < ?) "
            "order by outbox.attempts, outbox.id limit ?", [now, now, limit]))
        claimed = []
        for row in rows:
            cursor = self.db.execute(
                "update outbox set claimed_until = ? where id = ? and status = 'pending' "
                "and (claimed_until is null or claimed_until < ?)", [_at(CLAIM_SECONDS), row["id"], now])
            if cursor.rowcount == 1:
                claimed.append(row)
        self.db.conn.commit()
        return claimed

    @staticmethod
    def send(row: dict, webhook_secret: str) -> None:
        """Send one row once (raises DeliveryError). The webhook is signed with the secret of
        the row's own clinic, never one looked up by URL."""
        payload = json.loads(row["payload"])
        key = f"carebot-outbox-{row['id']}"
        if row["channel"] == "webhook":
            send_webhook(row["target"], webhook_secret, payload, key)
        else:
            send_email(row["target"], payload["subject"], payload["text"], key)

    def mark_delivered(self, row: dict) -> None:
        self.db.execute("update outbox set status = 'delivered', attempts = attempts + 1, delivered_at = ?, "
                        "claimed_until = null, last_error = null where id = ?", [now_iso(), row["id"]])
        self.db.conn.commit()

    def mark_failed(self, row: dict, error: str) -> None:
        """Record a failed attempt (`error` is a short category) and schedule the retry."""
        attempts = row["attempts"] + 1
        self.db.execute("update outbox set attempts = ?, last_error = ?, next_attempt_at = ?, "
                        "claimed_until = null where id = ?",
                        [attempts, error[:200], _at(backoff_seconds(attempts)), row["id"]])
        self.db.conn.commit()
        level = logging.WARNING if attempts >= STUCK_AFTER_ATTEMPTS else logging.INFO
        log.log(level, "notification %s (%s) failed, attempt %s: %s", row["id"], row["channel"], attempts, error)
