"""The outbox worker: delivers queued notifications and re-notifies unacknowledged alerts.

Run by `carebot run` as its own process (`python -m bot.escalation.worker`), so a slow webhook
never holds up a chat reply, and a restart simply carries on with what is in the outbox.
"""
from __future__ import annotations

import logging
import signal
import time

from bot.clinics import ClinicRegistry
from bot.db import open_db
from bot.escalation.notify import alert_settings, enqueue_alerts
from bot.escalation.outbox import Outbox
from bot.escalation.store import EscalationStore
from bot.settings import load_settings

log = logging.getLogger("carebot.worker")
POLL_SECONDS = 0.2
RENOTIFY_CHECK_SECONDS = 5.0


class Worker:
    def __init__(self, db_path):
        db = open_db(db_path)
        self.clinics, self.outbox, self.escalations = ClinicRegistry(db), Outbox(db), EscalationStore(db)
        self.running = True
        self._last_renotify_check = 0.0

    def run_once(self) -> int:
        """Deliver what is due; return how many deliveries were attempted."""
        rows = self.outbox.claim_due()
        if rows:
            secrets = {alert_settings(c)["webhook_url"]: alert_settings(c)["webhook_secret"] or ""
                       for c in self.clinics.all()}
            for row in rows:
                self.outbox.deliver(row, secrets)
        if time.monotonic() - self._last_renotify_check >= RENOTIFY_CHECK_SECONDS:
            self._last_renotify_check = time.monotonic()
            self.renotify()
        return len(rows)

    def renotify(self) -> None:
        """Nobody acknowledged in time: send the alert again, to the escalation contact too."""
        for clinic in self.clinics.all():
            minutes = alert_settings(clinic)["renotify_minutes"]
            for escalation in self.escalations.due_for_renotification(clinic["id"], minutes):
                enqueue_alerts(self.outbox, escalation, clinic, "renotify")
                self.escalations.mark_renotified(escalation["id"])
                log.warning("escalation %s not acknowledged after %s min: re-notified", escalation["id"], minutes)

    def run(self) -> None:
        log.info("outbox worker started")
        while self.running:
            if not self.run_once():
                time.sleep(POLL_SECONDS)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    worker = Worker(load_settings().db_path)

    def stop(signum, frame):
        worker.running = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()


if __name__ == "__main__":
    main()
