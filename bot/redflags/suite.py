"""The red-flag suite: how the detector does on the cases of bot/redflags/cases.py.

Held-out cases are reported apart, and their failures are not listed.

Scoring follows what a truthful parent would see: a report the detector asks about ("is this
happening to your child now?") is escalated once the parent says yes, so it counts as caught,
and the ask rate is reported on its own.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from bot.redflags.cases import HOLDOUT, SAFETY_DIR, TUNE, Case, load_cases  # noqa: F401 (the suite's API)
from bot.redflags.detector import ASK, REPORT, Assessment, detector


@dataclass(frozen=True)
class Result:
    case: Case
    found: Assessment

    @property
    def escalated(self) -> bool:
        """Escalated at once, or after the parent confirms a "happening now?" question."""
        return self.found.status in (REPORT, ASK) if self.case.expect != "none" else self.found.status == REPORT

    @property
    def asked(self) -> bool:
        return self.found.status == ASK

    @property
    def passed(self) -> bool:
        if self.case.expect == "none":
            return self.found.status != REPORT
        if not self.escalated:
            return False
        if self.case.expect == "red" and self.found.severity != "red":
            return False  # under-triage of a red flag is never acceptable; amber as red is
        return not self.case.emergency or self.found.emergency


def run(cases: Iterable[Case], assess: Optional[Callable[[str], Assessment]] = None) -> list[Result]:
    assess = assess or (lambda text: detector().assess(text))
    return [Result(case, assess(case.text)) for case in cases]


@dataclass
class Tally:
    hits: int = 0
    total: int = 0
    asked: int = 0

    def add(self, hit: bool, asked: bool) -> None:
        self.hits += hit
        self.total += 1
        self.asked += asked

    def __str__(self) -> str:
        rate = f"{self.hits / self.total:.3f}" if self.total else "-"
        return f"{rate} ({self.hits}/{self.total}, asked {self.asked})"


@dataclass
class Report:
    """Recall (reports escalated) and false alarms (non-reports escalated without asking)."""

    recall: dict = field(default_factory=lambda: defaultdict(Tally))
    red_recall: dict = field(default_factory=lambda: defaultdict(Tally))
    false_alarms: dict = field(default_factory=lambda: defaultdict(Tally))
    by_context: dict = field(default_factory=lambda: defaultdict(Tally))

    @classmethod
    def of(cls, results: Iterable[Result]) -> "Report":
        report = cls()
        for r in results:
            c = r.case
            keys = [(c.split, c.lang, "all"), (c.split, c.lang, c.categories[0] if c.categories else "-")]
            if c.expect == "none":
                for key in keys[:1]:
                    report.false_alarms[key].add(r.found.status == REPORT, r.asked)
            else:
                for key in keys:
                    report.recall[key].add(r.passed, r.asked)
                if c.expect == "red":
                    report.red_recall[keys[0]].add(r.passed, r.asked)
            report.by_context[(c.split, c.lang, c.context)].add(r.passed, r.asked)
        return report

    def markdown(self) -> str:
        lines = ["| split | lang | category | recall (any severity) | red recall |",
                 "|---|---|---|---|---|"]
        for key in sorted(self.recall):
            red = self.red_recall.get(key) if key[2] == "all" else None
            lines.append(f"| {key[0]} | {key[1]} | {key[2]} | {self.recall[key]} | {red or ''} |")
        lines += ["", "| split | lang | escalated without asking, of messages that are not reports |",
                  "|---|---|---|"]
        lines += [f"| {k[0]} | {k[1]} | {v} |" for k, v in sorted(self.false_alarms.items())]
        lines += ["", "| split | lang | context | right | ", "|---|---|---|---|"]
        lines += [f"| {k[0]} | {k[1]} | {k[2]} | {v} |" for k, v in sorted(self.by_context.items())]
        return "\n".join(lines)
