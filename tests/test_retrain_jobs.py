"""The retrain job table (one job at a time, across processes; dead jobs do not block) and the
progress read from Rasa's training output. Real databases (SQLite and PostgreSQL) and processes,
no model needed."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from bot.settings import load_settings
from bot.storage import open_database
from bot.training import jobs as jobs_module
from bot.training.jobs import JobBusy, RetrainJobs
from bot.training.retrain import EpochProgress, Reporter


def test_only_one_job_runs_at_a_time_and_a_dead_one_does_not_block(database):
    jobs = RetrainJobs(database)
    first = jobs.begin("rita", os.getpid())
    other = open_database(str(database.engine.url))  # another connection, as another process would have
    with pytest.raises(JobBusy) as busy:
        RetrainJobs(other).begin("li")
    other.dispose()
    assert busy.value.job_id == first
    jobs.update(first, figures={"red": {"hits": 1, "total": 1}})
    jobs.finish(first, "done", "Done.")
    assert jobs.get(first)["figures"] == {"red": {"hits": 1, "total": 1}} and jobs.active() is None

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    crashed = jobs.begin("li", gone.pid)
    assert jobs.active() is None
    assert jobs.get(crashed)["stage"] == "failed" and jobs.get(crashed)["finished_at"]
    assert jobs.begin("wang", os.getpid()) > crashed
    assert [j["started_by"] for j in jobs.recent()] == ["wang", "li", "rita"]


def test_two_clicks_at_once_on_two_servers_start_one_job(database, monkeypatch):
    """Both `begin`s look for a running job at the same moment; the lock makes the second wait
    for the first one's insert, so it sees that job instead of starting its own."""
    servers = [open_database(str(database.engine.url)) for _ in range(2)]
    started = threading.Barrier(2)
    now_iso = jobs_module.now_iso

    def slow_now_iso() -> str:  # called between the check and the insert: widen the race
        time.sleep(0.5)
        return now_iso()

    monkeypatch.setattr(jobs_module, "now_iso", slow_now_iso)
    outcomes: list = []

    def click(server) -> None:
        started.wait()
        try:
            outcomes.append(RetrainJobs(server).begin("rita", os.getpid()))
        except Exception as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=click, args=(server,)) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for server in servers:
        server.dispose()
    began = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, JobBusy)]
    assert len(began) == 1 and len(refused) == 1, outcomes
    assert refused[0].job_id == began[0]
    assert database.scalar("select count(*) from retrain_jobs") == 1


def test_training_progress_is_read_from_rasas_progress_bars(database):
    jobs = RetrainJobs(database)
    job = jobs.begin("rita", os.getpid())
    progress = EpochProgress(load_settings(), Reporter(jobs, job))
    assert progress.components == 2  # DIETClassifier and ResponseSelector in config.yml
    progress("Epochs:   0%|          | 0/100 [00:00<?, ?it/s]")
    progress("Epochs:  50%|█████     | 50/100 [00:10<00:10,  4.9it/s, t_loss=1.23, i_acc=0.9]")
    assert jobs.get(job)["percent"] == 17  # half of the first of two components, of 70 %
    progress("Epochs: 100%|██████████| 100/100 [00:20<00:00,  4.9it/s, t_loss=0.5]")
    progress("Epochs:  50%|█████     | 50/100 [00:10<00:10,  4.9it/s]")
    row = jobs.get(job)
    assert row["percent"] == 52 and row["stage"] == "training"
    assert row["message_values"] == {"component": 2, "components": 2, "epoch": 50, "epochs": 100}
    progress("2026-11-25 15:01:52 INFO  rasa.engine.training.hooks  - Finished training component.")
    assert jobs.get(job)["percent"] == 52
