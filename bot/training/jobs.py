"""Retrain jobs: one row per run in `retrain_jobs`, so progress and gate figures are kept.

The console starts a job as a background process and polls its row; `carebot train` records its
runs here too. Only one job runs at a time, across processes: `begin` checks and inserts in one
`BEGIN IMMEDIATE` transaction, and a job whose process died is marked failed, not left running.
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

from bot import clock
from bot.clock import now_iso
from bot.db import open_db
from bot.i18n import N_
from bot.settings import Settings

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
    """Opens its own connection: `begin` needs a transaction nobody else shares."""

    def __init__(self, db_path: Path):
        self.db = open_db(db_path)
        self.db["retrain_jobs"].create(
            {"id": int, "started_by": str, "started_at": str, "stage": str, "percent": int,
             "message": str, "message_values": str, "figures": str, "baseline": str, "verdict": str,
             "model": str, "timings": str, "pid": int, "finished_at": str},
            pk="id", if_not_exists=True)

    def begin(self, by: str, pid: Optional[int] = None) -> int:
        """A new job in stage `training`, or JobBusy when another one is running."""
        conn = self.db.conn
        if conn.in_transaction:
            conn.commit()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for row in conn.execute("select id, pid, started_at from retrain_jobs where finished_at is null"):
                if self._alive(row[1], row[2]):
                    raise JobBusy(row[0])
                self._finish(row[0], "failed", N_("Interrupted: the retrain process stopped."))
            cursor = conn.execute(
                "insert into retrain_jobs (started_by, started_at, stage, percent, message, pid) "
                "values (?, ?, 'training', 0, ?, ?)", [by, now_iso(), N_("Starting."), pid])
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return int(cursor.lastrowid)

    @staticmethod
    def _alive(pid: Optional[int], started_at: str) -> bool:
        if pid is None:
            age = clock.now() - dt.datetime.fromisoformat(started_at)
            return age.total_seconds() < STARTING_GRACE_SECONDS
        return pid_alive(pid)

    def update(self, job_id: int, **fields: Any) -> None:
        values = {k: json.dumps(v, ensure_ascii=False) if k in JSON_COLUMNS and v is not None else v
                  for k, v in fields.items()}
        with self.db.conn:
            self.db["retrain_jobs"].update(job_id, values)

    def _finish(self, job_id: int, stage: str, message: str, **fields: Any) -> None:
        assert stage in FINISHED
        values = {"stage": stage, "message": message, "message_values": None, "finished_at": now_iso(), **fields}
        sets = ", ".join(f"{k} = ?" for k in values)
        self.db.conn.execute(f"update retrain_jobs set {sets} where id = ?",
                             [json.dumps(v, ensure_ascii=False) if k in JSON_COLUMNS and v is not None else v
                              for k, v in values.items()] + [job_id])

    def finish(self, job_id: int, stage: str, message: str, **fields: Any) -> None:
        with self.db.conn:
            self._finish(job_id, stage, message, **fields)

    def get(self, job_id: int) -> Optional[dict]:
        row = next(self.db["retrain_jobs"].rows_where("id = ?", [job_id]), None)
        return decode(row) if row else None

    def recent(self, limit: int = 10) -> list[dict]:
        return [decode(r) for r in self.db["retrain_jobs"].rows_where(order_by="id desc", limit=limit)]

    def active(self) -> Optional[dict]:
        """The running job, if any (a dead one is marked failed on the way)."""
        for row in self.db["retrain_jobs"].rows_where("finished_at is null", order_by="id"):
            if self._alive(row["pid"], row["started_at"]):
                return decode(row)
            self.finish(row["id"], "failed", N_("Interrupted: the retrain process stopped."))
        return None


def decode(row: dict) -> dict:
    return {k: json.loads(v) if k in JSON_COLUMNS and v else v for k, v in row.items()}


def launch(settings: Settings, jobs: RetrainJobs, by: str) -> int:
    """Start `python -m bot.training.retrain JOB` in the background and return at once.

    The job stays in the caller's process group, so stopping the stack stops it too (it then
    records itself as failed). Its output goes to a log file beside the database.
    """
    job_id = jobs.begin(by)
    log_path = settings.db_path.parent / f"retrain-{job_id}.log"
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

