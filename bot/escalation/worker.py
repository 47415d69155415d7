"""The outbox worker: delivers queued notifications and re-notifies unacknowledged alerts;
once an hour it also erases conversations past their clinic's retention window.

Run by `carebot run` as its own process (`python -m bot.escalation.worker`), so a slow webhook
never holds up a chat reply, and a restart simply carries on with what is in the outbox.
Deliveries run side by side in threads, each with its own timeout, so one slow or dead target
cannot delay another clinic's alert; a row that fails in any way is recorded and retried, and
the worker goes on.
"""
from __future__ import annotations

import logging
import signal
import time
from concurrent.futures import Future, ThreadPoolExecutor

from bot.escalation.channels import DeliveryError
from bot.escalation.notify import alert_settings, enqueue_alerts
from bot.escalation.outbox import Outbox
from bot.settings import load_settings
from bot.stores import Stores

log = logging.getLogger("carebot.worker")
POLL_SECONDS = 0.05
RENOTIFY_CHECK_SECONDS = 5.0
PURGE_SECONDS = 3600.0
PARALLEL_DELIVERIES = 8


class Worker:
    def __init__(self, stores: Stores):
        self.clinics, self.outbox, self.escalations = stores.clinics, stores.outbox, stores.escalations
        self.conversations = stores.conversations
        self.running = True
        self._last_renotify_check = 0.0
        self._last_purge = -PURGE_SECONDS
        self.pool = ThreadPoolExecutor(PARALLEL_DELIVERIES, thread_name_prefix="deliver")
        self.in_flight: dict[Future, dict] = {}

    def run_once(self) -> int:
        """Record finished deliveries, start the due ones; return how many were started."""
        self._record_finished()
        free = PARALLEL_DELIVERIES - len(self.in_flight)
        rows = self.outbox.claim_due(limit=free) if free > 0 else []
        for row in rows:
            secret = alert_settings(self.clinics.get(row.get("clinic") or "") or {})["webhook_secret"] or ""
            self.in_flight[self.pool.submit(Outbox.send, row, secret)] = row
        if time.monotonic() - self._last_renotify_check >= RENOTIFY_CHECK_SECONDS:
            self._last_renotify_check = time.monotonic()
            self.renotify()
        if time.monotonic() - self._last_purge >= PURGE_SECONDS:
            self._last_purge = time.monotonic()
            self.purge()
        return len(rows)

    def purge(self) -> None:
        """Conversations past their clinic's `retention_days` are erased (bot/conversations.py)."""
        for clinic in self.clinics.all():
            erased = self.conversations.purge_expired(clinic)
            if erased:
                log.info("%s conversations of %s past the retention window erased", erased, clinic["id"])

    def settle(self, seconds: float = 20.0) -> None:
        """Run rounds until nothing is due or in flight (for tests and tools)."""
        deadline = time.monotonic() + seconds
        while (self.run_once() or self.in_flight) and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)

    def _record_finished(self) -> None:
        for future in [f for f in self.in_flight if f.done()]:
            row = self.in_flight.pop(future)
            error = future.exception()
            if error is None:
                self.outbox.mark_delivered(row)
            elif isinstance(error, DeliveryError):
                self.outbox.mark_failed(row, str(error))
            else:  # a bug or a surprise in one row: record it, keep delivering the others
                log.error("notification %s: %s", row["id"], error, exc_info=error)
                self.outbox.mark_failed(row, "internal error")

    def renotify(self) -> None:
        """Nobody acknowledged in time: send the alert again, to the escalation contact too."""
        for clinic in self.clinics.all():
            alerts = alert_settings(clinic)
            minutes = alerts["renotify_minutes"]
            due = self.escalations.due_for_renotification(clinic["id"], minutes)
            # After a flood, one reminder that says how many are waiting, not one each.
            for escalation in due if len(due) <= alerts["flood_pages"] else due[:1]:
                enqueue_alerts(self.outbox, escalation, clinic, "renotify", unacknowledged=len(due))
            for escalation in due:
                self.escalations.mark_renotified(escalation["id"])
            if due:
                log.warning("%s escalations of %s not acknowledged after %s min: re-notified", len(due),
                            clinic["id"], minutes)

    def run(self) -> None:
        log.info("outbox worker started")
        while self.running:
            try:
                started = self.run_once()
            except Exception:  # noqa: BLE001 - the worker must outlive any one bad moment
                log.exception("outbox worker: error in one round; carrying on")
                started = 0
            if not started:
                time.sleep(POLL_SECONDS)
        self.pool.shutdown(wait=False, cancel_futures=True)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    settings = load_settings()
    worker = Worker(Stores(settings))

    def stop(signum, frame):
        worker.running = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()


if __name__ == "__main__":
    main()
