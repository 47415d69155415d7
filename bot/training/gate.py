"""The safety gate every retrained model passes before it serves families.

A new model is scored by what the assistant would do with each message (bot/decision.py) on two
sets: the tuning part of the red-flag suite (bot/redflags/suite.py; its held-out part is only
measured, never gated on), where every red case must still escalate, at once or after the
parent confirms "happening now?", and the public dev set, where answers and out-of-scope
fallbacks must not get worse than the serving model's by more than retraining noise
(`allowed_loss`).
The decision (`decide`) is a pure function of the two sets of figures.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

import yaml

from bot.decision import Decision
from bot.i18n import N_
from bot.redflags import suite as redflag_suite
from bot.settings import LANGUAGES, Settings

if TYPE_CHECKING:
    from rasa.core.agent import Agent

DEVSET_ENV = "CAREBOT_GATE_DEVSET"
# Share of answer outcomes that change between two trainings differing by one example question.
# Measured December 2026 (one nonsense question added, as tests/test_retrain.py does): 15 of 144
# English and 15 of 137 Chinese real-wording questions (bench/realworld) changed outcome (2 and 5
# right answers lost, 5 and 3 gained), 4 of the 77 dev questions (2 English answers lost); in
# CI, the same retrain once lost more than 2 answers in a language, which the gate then refused.
# The red-flag recall and false-alarm checks allow no loss at all: the detector does not depend
# on the trained model.
FLIP_SHARE = 0.1
Progress = Callable[[int, int], None]  # (messages scored, of how many)
BATCH = 256  # messages per run of the NLU graph (parse_batch)


@dataclass(frozen=True)
class Count:
    hits: int
    total: int

    @property
    def rate(self) -> Optional[float]:
        return round(self.hits / self.total, 3) if self.total else None


@dataclass(frozen=True)
class Figures:
    """One model's scores. `cases` identifies the case files, so that only figures computed on
    the same cases are compared."""

    red: Count                          # red cases (suite and dev set) escalated as red
    false_alarms: Count                 # calm messages that escalated
    answers: dict[str, Count]           # dev questions answered with an expected article, per language
    out_of_scope: dict[str, Count]      # dev out-of-scope messages that got the fallback, per language
    devset: Optional[str]               # the dev set's path; None when it was missing
    cases: str
    model_id: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        """One line for a terminal."""
        per_lang = lambda d: " ".join(f"{lang} {c.hits}/{c.total}" for lang, c in d.items()) or "-"  # noqa: E731
        return (f"red-flag recall {self.red.rate} ({self.red.hits}/{self.red.total}); false alarms "
                f"{self.false_alarms.hits}/{self.false_alarms.total}; answers {per_lang(self.answers)}; "
                f"out-of-scope fallback {per_lang(self.out_of_scope)}; "
                f"dev set: {self.devset or 'missing (red flags only)'}")

    @classmethod
    def from_dict(cls, doc: dict) -> "Figures":
        per_lang = lambda d: {lang: Count(**c) for lang, c in (d or {}).items()}  # noqa: E731
        return cls(red=Count(**doc["red"]), false_alarms=Count(**doc["false_alarms"]),
                   answers=per_lang(doc.get("answers")), out_of_scope=per_lang(doc.get("out_of_scope")),
                   devset=doc.get("devset"), cases=doc["cases"], model_id=doc.get("model_id", ""),
                   seconds=doc.get("seconds", 0.0))


@dataclass(frozen=True)
class Reason:
    """Why a model was refused: an English message id (translated where shown) and its values."""

    message: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reasons: tuple[Reason, ...] = ()

    def to_dict(self) -> dict:
        return {"passed": self.passed, "reasons": [asdict(r) for r in self.reasons]}


def decide(candidate: Figures, baseline: Optional[Figures]) -> Verdict:
    """Pass only if every red case escalates and, against the serving model (when there is
    one), no dev figure lost more than retraining noise per language and there are no more
    false alarms."""
    if baseline is not None and baseline.cases != candidate.cases:
        raise ValueError("figures computed on different cases cannot be compared")
    reasons = []
    if candidate.red.total == 0 or candidate.red.hits < candidate.red.total:
        reasons.append(Reason(N_("Red-flag recall is {recall}: it must be 1.0. Red cases not escalated: {missed}."),
                              {"recall": candidate.red.rate or 0.0, "missed": candidate.red.total - candidate.red.hits}))
    if baseline is None:
        return Verdict(not reasons, tuple(reasons))
    if candidate.false_alarms.hits > baseline.false_alarms.hits:
        reasons.append(Reason(N_("More false alarms: {now} instead of {before}."),
                              {"now": candidate.false_alarms.hits, "before": baseline.false_alarms.hits}))
    checks = ((N_("Fewer questions answered correctly in {lang}: {now} of {total} instead of {before}."),
               baseline.answers, candidate.answers),
              (N_("Fewer out-of-scope messages get the fallback in {lang}: {now} of {total} instead of {before}."),
               baseline.out_of_scope, candidate.out_of_scope))
    for message, before_by_lang, now_by_lang in checks:
        for lang, before in before_by_lang.items():
            now = now_by_lang.get(lang, Count(0, before.total))
            if now.hits < before.hits - allowed_loss(before.total):
                reasons.append(Reason(message, {"lang": lang, "now": now.hits, "total": now.total,
                                                "before": before.hits}))
    return Verdict(not reasons, tuple(reasons))


def allowed_loss(total: int) -> int:
    """How many of `total` cases a harmless retrain may lose: two standard deviations of the net
    change when each outcome flips with probability FLIP_SHARE (4 of ~40 dev answers, 1 of the 2
    out-of-scope cases). A change that breaks a language loses more than that."""
    return round(2 * math.sqrt(FLIP_SHARE * total))


# ---------------------------------------------------------------- the cases


def devset_path(settings: Settings) -> Path:
    return Path(os.environ.get(DEVSET_ENV) or settings.root.parent / "shared" / "eval" / "dev.yml")


@dataclass(frozen=True)
class Case:
    """One message and how its outcome is judged: `red`, `calm` (must not escalate), `answer`
    (one of `topics`, or an escalation when `esc_ok`) or `out_of_scope`."""

    lang: str
    text: str
    judge: str
    topics: tuple[str, ...] = ()
    esc_ok: bool = False


def load_cases(settings: Settings) -> tuple[list[Case], Optional[Path], str]:
    """The cases to score, the dev set's path (None if missing) and a digest of both files."""
    suite = [c for c in redflag_suite.load_cases(settings.content_dir / "safety") if c.split == redflag_suite.TUNE]
    digest = hashlib.sha256(repr(suite).encode())
    cases = [Case(c.lang, c.text, {"red": "red", "none": "calm"}.get(c.expect, "other")) for c in suite]
    dev: Optional[Path] = devset_path(settings)
    if dev.is_file():
        digest.update(dev.read_bytes())
        for c in yaml.safe_load(dev.read_text(encoding="utf-8"))["cases"]:
            said = c["say"][-1] if isinstance(c["say"], list) else c["say"]  # only the last turn is scored
            judge = {"red": "red", "answer": "answer", "fallback": "out_of_scope"}.get(c["expect"], "calm")
            if c["expect"] == "escalate":
                judge = "other"
            cases.append(Case(c["lang"], said, judge, tuple(c.get("topics") or ()), bool(c.get("esc_ok"))))
    else:
        dev = None
    return [c for c in cases if c.judge != "other"], dev, digest.hexdigest()[:12]


def score(cases: list[Case], outcomes: list[Decision], devset: Optional[Path], digest: str) -> Figures:
    """Figures from each case's predicted `Decision` (pure: the unit tests build them by hand).
    A red case the assistant asks about counts as escalated: the parent's "yes" escalates it."""
    red = [o.kind in ("escalation", "clarify") and o.severity == "red"
           for c, o in zip(cases, outcomes) if c.judge == "red"]
    calm = [o.kind == "escalation" for c, o in zip(cases, outcomes)
            if c.judge in ("calm", "out_of_scope") or (c.judge == "answer" and not c.esc_ok)]
    answers = {lang: [(o.kind == "answer" and o.topic in c.topics) or (c.esc_ok and o.kind == "escalation")
                      for c, o in zip(cases, outcomes) if c.judge == "answer" and c.lang == lang] for lang in LANGUAGES}
    fallbacks = {lang: [o.kind == "fallback" for c, o in zip(cases, outcomes)
                        if c.judge == "out_of_scope" and c.lang == lang] for lang in LANGUAGES}
    count = lambda flags: Count(sum(flags), len(flags))  # noqa: E731
    return Figures(red=count(red), false_alarms=count(calm),
                   answers={lang: count(f) for lang, f in answers.items() if f},
                   out_of_scope={lang: count(f) for lang, f in fallbacks.items() if f},
                   devset=str(devset) if devset else None, cases=digest)


def evaluate(model: Path, settings: Settings, progress: Optional[Progress] = None) -> Figures:
    """Load `model` in this process (as the Rasa server would) and score every case."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with warnings.catch_warnings():  # pages of dependency deprecation warnings otherwise
        warnings.simplefilter("ignore")
        return _evaluate(model, settings, progress or (lambda done, total: None))


def _evaluate(model: Path, settings: Settings, progress: Progress) -> Figures:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from bot.decision import decide

    configure_structlog(logging.WARNING)  # Rasa logs every parsed message at debug level
    started = time.monotonic()
    cases, devset, digest = load_cases(settings)
    agent = Agent.load(str(model))
    outcomes: list[Decision] = []
    for start in range(0, len(cases), BATCH):
        texts = [case.text for case in cases[start:start + BATCH]]
        outcomes += [decide(parse) for parse in parse_batch(agent, texts)]
        progress(start + len(texts), len(cases))
    figures = score(cases, outcomes, devset, digest)
    return Figures(**{**figures.__dict__, "model_id": agent.model_id or "",
                      "seconds": round(time.monotonic() - started, 1)})


def parse_batch(agent: "Agent", texts: list[str]) -> list[dict]:
    """For each text, the parse result `decide` reads from `agent.parse_message` (intent,
    entities, red flags, articles, response selector), with one run of the NLU graph for all of
    them, as Rasa's MessageProcessor runs it for one (its NLU target handles "/intent" texts
    too): the graph's fixed cost per run is about half the time of a parse, and the gate parses
    over ten thousand messages."""
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE

    processor = agent.processor
    target = processor.model_metadata.nlu_target
    messages = [UserMessage(text) for text in texts]
    parsed = processor.graph_runner.run(inputs={PLACEHOLDER_MESSAGE: messages}, targets=[target])[target]
    return [{"text": "", "intent": {"name": None, "confidence": 0.0}, "entities": [],
             **message.as_dict(only_output_properties=True)} for message in parsed]
