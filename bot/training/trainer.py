"""Train the model only when what it depends on changed, and record what it was trained on.

The model file is named after the content fingerprint (`models/carebot-<fingerprint>.tar.gz`),
so a model for the current content is found by name. A JSON manifest beside it records the
article versions, the time and how long training took. Which model serves is a separate record
(bot/training/deployed.py): a new model serves only after the safety gate (retrain.py).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional

from bot.clock import now_iso
from bot.content.store import ContentStore
from bot.storage import database_for, open_database
from bot.settings import NO_TELEMETRY, Settings
from bot.training.data import content_fingerprint

# Fixed thread counts keep training deterministic (with the seeds in config.yml) and fair on
# a 2-core machine.
TRAINING_ENV = {"TF_INTER_OP_PARALLELISM_THREADS": "2", "TF_INTRA_OP_PARALLELISM_THREADS": "2",
                "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0", **NO_TELEMETRY}


def model_path(settings: Settings, folder: Optional[Path] = None) -> Path:
    return (folder or settings.models_dir) / f"carebot-{content_fingerprint(settings)}.tar.gz"


def manifest_path(model: Path) -> Path:
    return model.with_suffix("").with_suffix(".json")


def train(settings: Settings, force: bool = False, folder: Optional[Path] = None,
          on_output: Optional[Callable[[str], None]] = None) -> Path:
    """Return the current model in `folder` (default: the models folder), training it first if
    it is missing (or `force`). The manifest is written last, so a model without one is the
    remains of an interrupted run and is trained again. `on_output` gets Rasa's output line by
    line (progress bars included) instead of the terminal."""
    path = model_path(settings, folder)
    if path.exists() and manifest_path(path).exists() and not force:
        return path
    started = time.monotonic()
    command = [sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain",
               "domain.yml", "--data", "data", "--out", str(path.parent),
               "--fixed-model-name", path.name[: -len(".tar.gz")]]
    if force:
        command.append("--force")
    env = {**os.environ, **TRAINING_ENV}
    if on_output is None:
        subprocess.run(command, cwd=settings.root, env=env, check=True)
    else:
        run_reporting(command, settings.root, {**env, "PYTHONUNBUFFERED": "1"}, on_output)
    write_manifest(settings, path, time.monotonic() - started)
    return path


def run_reporting(command: list[str], cwd: Path, env: dict, on_output: Callable[[str], None]) -> None:
    """Run `command`, passing each output line to `on_output`; progress bars redraw with a
    carriage return, so that ends a line too. Raises CalledProcessError with the last lines."""
    tail: list[str] = []
    child = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    pending = b""
    while chunk := child.stdout.read1(65536):
        *lines, pending = re.split(rb"[\r\n]", pending + chunk)
        for raw in lines:
            line = raw.decode("utf-8", "replace").strip()
            if line:
                tail = (tail + [line])[-20:]
                on_output(line)
    if child.wait():
        raise subprocess.CalledProcessError(child.returncode, command, output="\n".join(tail))


def write_manifest(settings: Settings, path: Path, seconds: float) -> None:
    versions = {row["id"]: row["published_version"]
                for row in ContentStore(database_for(settings.database_url)).summaries()}
    manifest = {"model": path.name, "fingerprint": content_fingerprint(settings),
                "trained_at": now_iso(), "training_seconds": round(seconds, 1),
                "article_versions": versions}
    manifest_path(path).write_text(json.dumps(manifest, indent=2))
