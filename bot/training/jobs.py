"""Retrain jobs: one row per run in `retrain_jobs`, so progress and gate figures are kept.

The console starts a job as a background process and polls its row; `carebot train` records its
runs here too. Only one job runs at a time, across processes and servers: `begin` checks and
inserts in one write-locked transaction, and a job whose process died is marked failed, not left
running.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import select, update

from bot import clock
from bot.clock import now_iso
from bot.i18n import N_
from bot.settings import Settings
from bot.storage import Database
from bot.storage.schema import retrain_jobs

ACTIVE = ("training", "gate", "loading")
FINISHED = ("done", "rejected", "failed")
JSON_COLUMNS = ("message_values", "figures", "baseline", "verdict", "timings")
STARTING_GRACE_SECONDS = 60  # a new row has no pid until its process has started


class JobBusy(Exception):
    def __init__(self, job_id: int):
        super().__init__(f"retrain job {job_id} is still running")
        self.job_id = job_id


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, PermissionError, FileNotFoundError):
        return False
    return state != "Z"


class RetrainJobs:
    def __init__(self, db: Database):
        self.db = db

    def begin(self, by: str, pid: Optional[int] = None) -> int:
        """A new job in stage `training`, or JobBusy when another one is running.

        Two clicks (or two servers) must never start two retrains, so the check and the insert
        hold a write lock: SQLite's write transaction takes it at once (`BEGIN IMMEDIATE`); on
        PostgreSQL the table is locked in a mode that conflicts with itself and with writers but
        not with readers, so a second `begin` waits and then sees the first job."""
        with self.db.begin() as connection:
            if self.db.dialect == "postgresql":
                connection.exec_driver_sql("lock table retrain_jobs in share row exclusive mode")
            for row in self.db.query("select id, pid, started_at from retrain_jobs where finished_at is null"):
                if self._alive(row["pid"], row["started_at"]):
                    raise JobBusy(row["id"])
                self.finish(row["id"], "failed", N_("Interrupted: the retrain process stopped."))
            return self.db.insert(retrain_jobs, {"started_by": by, "started_at": now_iso(), "stage": "training",
                                                 "percent": 0, "message": N_("Starting."), "pid": pid})

    @staticmethod
    def _alive(pid: Optional[int], started_at: str) -> bool:
        if pid is None:
            age = clock.now() - dt.datetime.fromisoformat(started_at)
            return age.total_seconds() < STARTING_GRACE_SECONDS
        return pid_alive(pid)

    def update(self, job_id: int, **fields: Any) -> None:
        self.db.execute(update(retrain_jobs).where(retrain_jobs.c.id == job_id).values(**encode(fields)))

    def finish(self, job_id: int, stage: str, message: str, **fields: Any) -> None:
        assert stage in FINISHED
        self.update(job_id, **{"stage": stage, "message": message, "message_values": None,
                               "finished_at": now_iso(), **fields})

    def get(self, job_id: int) -> Optional[dict]:
        row = self.db.first(select(retrain_jobs).where(retrain_jobs.c.id == job_id))
        return decode(row) if row else None

    def recent(self, limit: int = 10) -> list[dict]:
        return [decode(r) for r in self.db.query(select(retrain_jobs).order_by(retrain_jobs.c.id.desc()).limit(limit))]

    def active(self) -> Optional[dict]:
        """The running job, if any (a dead one is marked failed on the way)."""
        for row in self.db.query(select(retrain_jobs).where(retrain_jobs.c.finished_at.is_(None))
                                 .order_by(retrain_jobs.c.id)):
            if self._alive(row["pid"], row["started_at"]):
                return decode(row)
            self.finish(row["id"], "failed", N_("Interrupted: the retrain process stopped."))
        return None


def encode(fields: dict) -> dict:
    return {k: json.dumps(v, ensure_ascii=False) if k in JSON_COLUMNS and v is not None else v
            for k, v in fields.items()}


def decode(row: dict) -> dict:
    return {k: json.loads(v) if k in JSON_COLUMNS and v else v for k, v in row.items()}


def launch(settings: Settings, jobs: RetrainJobs, by: str) -> int:
    """Start `python -m bot.training.retrain JOB` in the background and return at once.

    The job stays in the caller's process group, so stopping the stack stops it too (it then
    records itself as failed). Its output goes to a log file in the var folder (`CAREBOT_VAR`).
    """
    job_id = jobs.begin(by)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    log_path = settings.var_dir / f"retrain-{job_id}.log"
    try:
        with open(log_path, "ab") as log:
            child = subprocess.Popen([sys.executable, "-m", "bot.training.retrain", str(job_id)],
                                     cwd=settings.root, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    except OSError as exc:
        jobs.finish(job_id, "failed", N_("Failed: {error}"), message_values={"error": str(exc)})
        raise
    jobs.update(job_id, pid=child.pid)
    threading.Thread(target=child.wait, daemon=True).start()  # reap it: no zombie
    return job_id

