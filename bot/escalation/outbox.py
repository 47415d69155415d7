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

from sqlalchemy import select

from bot import clock
from bot.clock import now_iso
from bot.escalation.channels import send_email, send_webhook
from bot.storage import Database
from bot.storage.schema import outbox

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

    def enqueue(self, escalation_id: int, channel: str, target: str, kind: str, payload: dict) -> int:
        return self.db.insert(outbox, {
            "escalation_id": escalation_id, "channel": channel, "target": target, "kind": kind,
            "payload": json.dumps(payload, ensure_ascii=False), "status": "pending", "attempts": 0,
            "next_attempt_at": now_iso(), "created_at": now_iso()})

    def for_escalation(self, escalation_id: int) -> list[dict]:
        return self.db.query("select id, channel, target, kind, status, attempts, last_error, created_at, "
                             "delivered_at from outbox where escalation_id = :escalation_id order by id",
                             {"escalation_id": escalation_id})

    def failing_channels(self, clinic: str) -> list[str]:
        """Channels whose newest notification for this clinic has failed and is still being retried."""
        rows = self.db.query(
            "select channel, status, last_error from outbox where id in (select max(outbox.id) from outbox "
            "join escalations on escalations.id = outbox.escalation_id where escalations.clinic = :clinic "
            "group by channel)", {"clinic": clinic})
        return sorted(r["channel"] for r in rows if r["status"] != "delivered" and r["last_error"])

    def recent_of_kind(self, clinic: str, kind: str, minutes: float) -> list[int]:
        """This clinic's notifications of `kind` queued in the last `minutes`."""
        since = (clock.now() - dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")
        return [r["id"] for r in self.db.query(
            "select outbox.id from outbox join escalations on escalations.id = outbox.escalation_id "
            "where escalations.clinic = :clinic and outbox.kind = :kind and outbox.created_at >= :since",
            {"clinic": clinic, "kind": kind, "since": since})]

    def delivered(self, row_ids: list[int]) -> bool:
        """Has at least one of these notifications reached the care team?"""
        return bool(row_ids) and self.db.first(
            select(outbox.c.id).where(outbox.c.id.in_(row_ids), outbox.c.status == "delivered").limit(1)) is not None

    def delivered_for(self, escalation_id: int) -> bool:
        """Has any notification about this escalation reached the care team? (One query: the
        family's status page asks it at every poll.)"""
        return self.db.first(select(outbox.c.id).where(outbox.c.escalation_id == escalation_id,
                                                       outbox.c.status == "delivered").limit(1)) is not None

    def claim_due(self, limit: int = 20) -> list[dict]:
        """Rows whose time has come and that no live worker holds, new ones first; claim them
        atomically. Each row comes with its escalation's clinic.

        Workers on other threads, processes or servers may read the same rows: a row is claimed
        by the conditional UPDATE, each in its own short transaction, and only the worker whose
        UPDATE changed the row (rowcount 1) has it. On PostgreSQL the loser's UPDATE waits for
        the winner's commit and then finds the row claimed."""
        now = now_iso()
        rows = self.db.query(
            "select outbox.*, escalations.clinic as clinic from outbox "
            "left join escalations on escalations.id = outbox.escalation_id "
            "where outbox.status = 'pending' and outbox.next_attempt_at <= :now "
            "and (outbox.claimed_until is null or outbox.claimed_until < :now) "
            "order by outbox.attempts, outbox.id limit :limit", {"now": now, "limit": limit})
        return [row for row in rows if self.db.execute(
            "update outbox set claimed_until = :until where id = :id and status = 'pending' "
            "and (claimed_until is null or claimed_until < :now)",
            {"until": _at(CLAIM_SECONDS), "id": row["id"], "now": now}) == 1]

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
        self.db.execute("update outbox set status = 'delivered', attempts = attempts + 1, delivered_at = :at, "
                        "claimed_until = null, last_error = null where id = :id", {"at": now_iso(), "id": row["id"]})

    def mark_failed(self, row: dict, error: str) -> None:
        """Record a failed attempt (`error` is a short category) and schedule the retry."""
        attempts = row["attempts"] + 1
        self.db.execute("update outbox set attempts = :attempts, last_error = :error, next_attempt_at = :retry_at, "
                        "claimed_until = null where id = :id",
                        {"attempts": attempts, "error": error[:200], "retry_at": _at(backoff_seconds(attempts)),
                         "id": row["id"]})
        level = logging.WARNING if attempts >= STUCK_AFTER_ATTEMPTS else logging.INFO
        log.log(level, "notification %s (%s) failed, attempt %s: %s", row["id"], row["channel"], attempts, error)
