"""Which model serves families (the newest row of `deployed_models`), and whether it is stale.

Only a model that passed the safety gate is recorded here (the very first one excepted: there
is nothing to compare it with), and every Rasa server serves the recorded model, not the newest
file. The record is in the database, so every server and gateway reads the same one. "Stale" means the published example questions, config, domain or rules changed since it
was trained; a digest of each label's examples says which articles changed.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from sqlalchemy import select

from bot.clock import now_iso
from bot.settings import Settings
from bot.storage import Database, database_for
from bot.storage.schema import deployed_models
from bot.training.data import RETRIEVAL_INTENT, content_fingerprint, training_examples


@dataclass(frozen=True)
class Deployed:
    model: str                    # file name in the models folder
    fingerprint: str              # content_fingerprint() the model was trained on
    deployed_at: str
    by: str
    figures: Optional[dict] = None   # the gate's figures for this model (None for the very first)
    labels: dict = field(default_factory=dict)  # label -> digest of its examples
    model_id: str = ""
    job: Optional[int] = None

    def path(self, settings: Settings) -> Path:
        return settings.models_dir / self.model


@dataclass(frozen=True)
class Staleness:
    stale: bool
    fingerprint: str
    changed: list[str]   # article ids (and conversation intents) whose examples changed


def newest_record(db: Database) -> Optional[Deployed]:
    row = db.first(select(deployed_models).order_by(deployed_models.c.id.desc()).limit(1))
    if row is None:
        return None
    del row["id"]
    return Deployed(**{**row, "figures": json.loads(row["figures"] or "null"), "labels": json.loads(row["labels"] or "{}")})


def read_deployed(settings: Settings) -> Optional[Deployed]:
    """The record, or None when there is none or its model file is gone (then a fresh start)."""
    record = newest_record(database_for(settings.database_url))
    return record if record is not None and record.path(settings).is_file() else None


def write_deployed(settings: Settings, record: Deployed) -> None:
    """One new row, in one statement: a reader sees the old record or the new one."""
    row = asdict(record)
    database_for(settings.database_url).insert(deployed_models, {
        **row, "figures": json.dumps(row["figures"], ensure_ascii=False), "labels": json.dumps(row["labels"])})


def label_digests(labels: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    return {label: hashlib.sha256(json.dumps(by_lang, sort_keys=True).encode()).hexdigest()[:12]
            for label, by_lang in labels.items()}


def new_record(settings: Settings, model: Path, by: str, figures: Optional[dict] = None,
               labels: Optional[dict] = None, fingerprint: Optional[str] = None,
               job: Optional[int] = None) -> Deployed:
    """A record for `model`; pass the labels and fingerprint taken before training when known."""
    return Deployed(model=model.name, fingerprint=fingerprint or content_fingerprint(settings),
                    deployed_at=now_iso(), by=by, figures=figures,
                    labels=label_digests(labels if labels is not None else training_examples(settings)),
                    model_id=(figures or {}).get("model_id", ""), job=job)


def staleness(settings: Settings, deployed: Optional[Deployed]) -> Staleness:
    current = content_fingerprint(settings)
    if deployed is None:
        return Staleness(True, current, [])
    now, then = label_digests(training_examples(settings)), deployed.labels
    changed = sorted(label.split("/", 1)[1] if label.startswith(RETRIEVAL_INTENT + "/") else label
                     for label in set(now) | set(then) if now.get(label) != then.get(label))
    return Staleness(current != deployed.fingerprint, current, changed if then else [])


def model_to_serve(settings: Settings) -> tuple[Path, bool]:
    """The deployed model and whether it is stale. With none (a fresh clone), the first model
    is trained and deployed without a gate: there is nothing yet to compare it with."""
    deployed = read_deployed(settings)
    if deployed is not None:
        return deployed.path(settings), deployed.fingerprint != content_fingerprint(settings)
    from bot.training.trainer import train

    labels, fingerprint = training_examples(settings), content_fingerprint(settings)
    model = train(settings)
    write_deployed(settings, new_record(settings, model, "carebot run", labels=labels, fingerprint=fingerprint))
    return model, False
