"""The retrain job table (one job at a time, across processes; dead jobs do not block) and the
progress read from Rasa's training output. Real SQLite files and processes, no model needed."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.settings import load_settings
from bot.training.jobs import JobBusy, RetrainJobs
from bot.training.retrain import EpochProgress, Reporter


def test_only_one_job_runs_at_a_time_and_a_dead_one_does_not_block(tmp_path):
    jobs = RetrainJobs(tmp_path / "carebot.db")
    first = jobs.begin("rita", os.getpid())
    with pytest.raises(JobBusy) as busy:
        RetrainJobs(tmp_path / "carebot.db").begin("li")  # another connection, as another process would
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


def test_training_progress_is_read_from_rasas_progress_bars(tmp_path):
    jobs = RetrainJobs(tmp_path / "carebot.db")
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
