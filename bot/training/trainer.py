"""Train the model only when what it depends on changed, and record what it was trained on.

The model file is named after the content fingerprint (`models/carebot-<fingerprint>.tar.gz`),
so "is the model current?" is "does that file exist?". A JSON manifest beside it records the
article versions, the time and how long training took.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.content.store import ContentStore, now_iso
from bot.db import open_db
from bot.settings import NO_TELEMETRY, Settings
from bot.training.data import content_fingerprint

# Fixed thread counts keep training deterministic (with the seeds in config.yml) and fair on
# a 2-core machine.
TRAINING_ENV = {"TF_INTER_OP_PARALLELISM_THREADS": "2", "TF_INTRA_OP_PARALLELISM_THREADS": "2",
                "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0", **NO_TELEMETRY}


def model_path(settings: Settings) -> Path:
    return settings.models_dir / f"carebot-{content_fingerprint(settings)}.tar.gz"


def train(settings: Settings, force: bool = False) -> Path:
    """Return the current model, training it first if it is missing (or `force`)."""
    path = model_path(settings)
    if path.exists() and not force:
        return path
    started = time.monotonic()
    command = [sys.executable, "-m", "rasa", "train", "--config", "config.yml", "--domain",
               "domain.yml", "--data", "data", "--out", str(settings.models_dir),
               "--fixed-model-name", path.name[: -len(".tar.gz")]]
    if force:
        command.append("--force")
    subprocess.run(command, cwd=settings.root, env={**os.environ, **TRAINING_ENV}, check=True)
    write_manifest(settings, path, time.monotonic() - started)
    return path


def write_manifest(settings: Settings, path: Path, seconds: float) -> None:
    versions = {}
    if settings.db_path.exists():
        rows = ContentStore(open_db(settings.db_path)).db.query(
            "select id, published_version from articles order by id")
        versions = {r["id"]: r["published_version"] for r in rows}
    manifest = {"model": path.name, "fingerprint": content_fingerprint(settings),
                "trained_at": now_iso(), "training_seconds": round(seconds, 1),
                "article_versions": versions}
    path.with_suffix("").with_suffix(".json").write_text(json.dumps(manifest, indent=2))
