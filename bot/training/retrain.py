"""Retrain → safety gate → load into the running Rasa server, or keep the old model serving.

`python -m bot.training.retrain JOB` is what the console starts in the background; `carebot
train` runs the same steps in the foreground, without the live load. Progress, the gate's
figures and the outcome go to the job's row (bot/training/jobs.py). The deployed record is
written only after Rasa confirmed it serves the new model, and a refused model moves to
`models/rejected/`, so there is never a half-deployed state.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import httpx
import yaml

from bot.i18n import N_
from bot.settings import Settings, load_settings
from bot.storage import open_database
from bot.training.data import content_fingerprint, training_examples
from bot.training.deployed import Deployed, new_record, read_deployed, write_deployed
from bot.training.gate import Figures, Verdict, decide, evaluate
from bot.training.jobs import RetrainJobs
from bot.training.trainer import manifest_path, train

TRAINING_UNTIL, GATE_UNTIL = 70, 95  # percent of the progress bar at the end of each stage
EPOCH_COMPONENTS = ("DIETClassifier", "ResponseSelector", "TEDPolicy")
LOAD_TIMEOUT_SECONDS = 300


class Reporter:
    """Where progress goes: the job's row (throttled to whole percents) and optionally a printer."""

    def __init__(self, jobs: Optional[RetrainJobs], job_id: Optional[int],
                 echo: Optional[Callable[[str], None]] = None):
        self.jobs, self.job_id, self.echo = jobs, job_id, echo
        self.last: tuple = ()
        self.echoed: tuple = ()

    def __call__(self, stage: str, percent: float, message: str, **values: Any) -> None:
        now = (stage, int(percent), message, values)
        if now == self.last:
            return
        self.last = now
        if self.jobs and self.job_id:
            self.jobs.update(self.job_id, stage=stage, percent=int(percent), message=message,
                             message_values=values or None)
        if self.echo and (stage, int(percent) // 10) != self.echoed:  # a terminal needs less
            self.echoed = (stage, int(percent) // 10)
            self.echo(f"{stage:<8} {int(percent):>3}%  {message.format(**values)}")

    def keep(self, **fields: Any) -> None:
        """Figures are stored as soon as they exist, whatever happens next."""
        if self.jobs and self.job_id:
            self.jobs.update(self.job_id, **fields)


class EpochProgress:
    """Rasa's `Epochs: 45%|...| 45/100` bars → percent of training (one bar per component)."""

    BAR = re.compile(r"Epochs:\s*\d+%\|.*?\|\s*(\d+)/(\d+)")

    def __init__(self, settings: Settings, report: Reporter):
        config = yaml.safe_load((settings.root / "config.yml").read_text(encoding="utf-8"))
        steps = (config.get("pipeline") or []) + (config.get("policies") or [])
        self.components = max(1, sum(step.get("name") in EPOCH_COMPONENTS for step in steps))
        self.report, self.bar, self.last = report, 0, -1

    def __call__(self, line: str) -> None:
        match = self.BAR.search(line)
        if not match:
            return
        done, total = int(match.group(1)), int(match.group(2))
        if done < self.last:
            self.bar += 1
        self.last = done
        fraction = min(1.0, (self.bar + done / max(total, 1)) / self.components)
        self.report("training", TRAINING_UNTIL * fraction,
                    N_("Training: component {component} of {components}, epoch {epoch} of {epochs}."),
                    component=min(self.bar + 1, self.components), components=self.components,
                    epoch=done, epochs=total)


@dataclass(frozen=True)
class RasaServers:
    """Every running Rasa server: a new model is loaded into one server at a time, so the
    others keep answering while each loads it (the gateway retries a turn on another server)."""

    servers: list["RasaServer"]

    def load(self, model: Path, model_id: str) -> float:
        """Load into each in turn; the longest pause of one server (they never pause together).
        A server that is down is passed over: when it starts again it loads the deployed model
        (bot/rasa_server.py)."""
        pauses = []
        for server in self.servers:
            try:
                pauses.append(server.load(model, model_id))
            except httpx.ConnectError:
                continue
        if not pauses:
            raise RuntimeError("no Rasa server answers")
        return max(pauses)


@dataclass(frozen=True)
class RasaServer:
    """One running Rasa server's HTTP API (loopback, token from the runner)."""

    url: str
    token: str

    def status(self) -> dict:
        response = httpx.get(f"{self.url}/status", params={"token": self.token}, timeout=30)
        response.raise_for_status()
        return response.json()

    def load(self, model: Path, model_id: str) -> float:
        """PUT /model and check /status; returns how long Rasa was busy loading (it queues
        messages meanwhile). A path that does not exist would make Rasa load the newest model
        in that folder instead, hence both checks."""
        if not model.is_file():
            raise RuntimeError(f"model file missing: {model}")
        started = time.monotonic()
        response = httpx.put(f"{self.url}/model", params={"token": self.token},
                             json={"model_file": str(model.resolve())}, timeout=LOAD_TIMEOUT_SECONDS)
        pause = time.monotonic() - started
        if response.status_code != 204:
            raise RuntimeError(f"Rasa refused the model: HTTP {response.status_code} {response.text[:300]}")
        serving = self.status()
        if model_id and serving.get("model_id") != model_id:
            raise RuntimeError(f"Rasa serves {serving.get('model_file')} instead of {model.name}")
        return pause


@dataclass
class Result:
    outcome: str                     # done | rejected | current
    model: Optional[Path] = None
    figures: Optional[Figures] = None
    baseline: Optional[Figures] = None
    verdict: Optional[Verdict] = None
    timings: dict = field(default_factory=dict)


def candidates_dir(settings: Settings) -> Path:
    return settings.models_dir / "candidates"


def move_model(model: Path, folder: Path) -> Path:
    """Move a model and its manifest (replacing files of the same name)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in (model, manifest_path(model)):
        if path.exists():
            os.replace(path, folder / path.name)
    return folder / model.name


def baseline_for(deployed: Optional[Deployed], cases: str, settings: Settings,
                 progress: Callable[[int, int], None]) -> Optional[Figures]:
    """The serving model's figures on the same cases: kept ones, or measured now."""
    if deployed is None:
        return None
    if deployed.figures and deployed.figures.get("cases") == cases:
        return Figures.from_dict(deployed.figures)
    return evaluate(deployed.path(settings), settings, progress)


def retrain(settings: Settings, report: Reporter, by: str, job: Optional[int] = None,
            force: bool = False, rasa: Optional[RasaServers] = None) -> Result:
    deployed = read_deployed(settings)
    labels, fingerprint = training_examples(settings), content_fingerprint(settings)
    if deployed and deployed.fingerprint == fingerprint and not force:
        return Result("current", deployed.path(settings))
    timings: dict = {}

    report("training", 0, N_("Training the model."))
    started = time.monotonic()
    candidate = train(settings, force=force, folder=candidates_dir(settings),
                      on_output=EpochProgress(settings, report))
    timings["training_s"] = round(time.monotonic() - started, 1)

    report("gate", TRAINING_UNTIL, N_("Safety check: loading the new model."))
    started, share = time.monotonic(), (GATE_UNTIL - TRAINING_UNTIL) / (2 if deployed else 1)

    def gate_progress(start: float) -> Callable[[int, int], None]:
        return lambda done, total: report("gate", start + share * done / total,
                                          N_("Safety check: {done} of {total} messages."), done=done, total=total)

    figures = evaluate(candidate, settings, gate_progress(TRAINING_UNTIL))
    baseline = baseline_for(deployed, figures.cases, settings, gate_progress(TRAINING_UNTIL + share))
    verdict = decide(figures, baseline)
    timings["gate_s"] = round(time.monotonic() - started, 1)
    report.keep(figures=figures.to_dict(), baseline=baseline.to_dict() if baseline else None,
                verdict=verdict.to_dict(), timings=timings, model=candidate.name)
    if not verdict.passed:
        rejected = move_model(candidate, settings.models_dir / "rejected")
        return Result("rejected", rejected, figures, baseline, verdict, timings)

    asked = False
    try:
        if rasa is not None:
            report("loading", GATE_UNTIL, N_("Loading the new model into the assistant."))
            asked = True
            timings["loading_s"] = round(rasa.load(candidate, figures.model_id), 1)
            report.keep(timings=timings)
        final = move_model(candidate, settings.models_dir)
        write_deployed(settings, new_record(settings, final, by, figures.to_dict(), labels, fingerprint, job))
    except BaseException:
        if asked and deployed is not None:  # put the old model back: the record still names it
            try:
                rasa.load(deployed.path(settings), deployed.model_id)
            except Exception:  # noqa: BLE001 - the original error is the one to report
                pass
        raise
    return Result("done", final, figures, baseline, verdict, timings)


def readable(exc: BaseException) -> str:
    """One line a nurse (and the engineer reading the log) can act on."""
    if isinstance(exc, subprocess.CalledProcessError):
        last = (exc.output or "").strip().splitlines()[-1:] or [""]
        return f"training failed (exit {exc.returncode}): {last[0]}"
    if isinstance(exc, httpx.HTTPError):
        return f"could not reach the Rasa server: {exc!r}"
    if isinstance(exc, KeyboardInterrupt):
        return "stopped"
    if isinstance(exc, SystemExit):
        return "stopped (the assistant was shut down)"
    return str(exc) or type(exc).__name__


def finish(jobs: RetrainJobs, job_id: int, result: Result) -> None:
    messages = {"done": N_("Done: the new model passed the safety check and is serving."),
                "rejected": N_("Refused by the safety check: the previous model keeps serving."),
                "current": N_("Nothing to do: the model already matches the published example questions.")}
    jobs.finish(job_id, "rejected" if result.outcome == "rejected" else "done", messages[result.outcome],
                percent=100, model=result.model.name if result.model else None)


def run_job(settings: Settings, jobs: RetrainJobs, job_id: int, by: str, rasa: Optional[RasaServers],
            force: bool = False, echo: Optional[Callable[[str], None]] = None) -> Result:
    """Run the steps for a job row; any error marks it failed with a readable message."""
    try:
        result = retrain(settings, Reporter(jobs, job_id, echo), by, job_id, force, rasa)
    except BaseException as exc:
        jobs.finish(job_id, "failed", N_("Failed: {error}"), message_values={"error": readable(exc)})
        raise
    finish(jobs, job_id, result)
    return result


def main() -> None:
    """`python -m bot.training.retrain JOB`: the background job the console starts."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    settings = load_settings()
    jobs, job_id = RetrainJobs(open_database(settings.database_url)), int(sys.argv[1])
    jobs.update(job_id, pid=os.getpid())
    row = jobs.get(job_id) or {}
    try:
        run_job(settings, jobs, job_id, row.get("started_by") or "console",
                RasaServers([RasaServer(url, settings.rasa_token) for url in settings.rasa_urls]), echo=print)
    except BaseException as exc:  # already recorded on the row; the log gets the traceback
        if not isinstance(exc, SystemExit):
            import traceback
            traceback.print_exc()
        sys.exit(1)


if __name__ == "__main__":
    main()
