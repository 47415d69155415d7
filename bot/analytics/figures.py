"""The console's analytics figures: read-only queries over `chat_turns` and `escalations`.

Every figure is a list of flat rows (dicts) with the columns in `COLUMNS`, so the same rows
feed the chart, the numbers table and the CSV download. All figures are for one clinic over
the last `days` days (UTC days, today included).
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Callable, Mapping, Optional

from bot import clock
from bot.settings import LANGUAGES
from bot.storage import Database

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
SEVERITIES = ("red", "amber")
TOP_ARTICLES = 10

COLUMNS: dict[str, tuple[str, ...]] = {
    "activity": ("day", "lang", "conversations", "messages"),
    "top-articles": ("topic", "title", "answers"),
    "fallback-rate": ("lang", "turns", "fallbacks", "rate"),
    "escalation-categories": ("category", "escalations"),
    "escalation-severity": ("severity", "escalations"),
    "acknowledge-time": ("severity", "escalations", "acknowledged", "median_minutes", "open", "longest_open_minutes"),
}


@dataclass(frozen=True)
class Period:
    """The last `days` days up to and including `end`."""
    days: int
    end: dt.date

    @classmethod
    def last(cls, days: int, today: Optional[dt.date] = None) -> "Period":
        return cls(days, today or clock.today())

    @property
    def start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.days - 1)

    def dates(self) -> list[str]:
        return [(self.start + dt.timedelta(days=n)).isoformat() for n in range(self.days)]

    def bounds(self) -> dict[str, str]:
        """The first day and the first day after the period, for `day >= :start and day < :after`
        on ISO text."""
        return {"start": self.start.isoformat(), "after": (self.end + dt.timedelta(days=1)).isoformat()}


def _rows(db: Database, sql: str, clinic: str, period: Period, **params: object) -> list[dict]:
    """Rows of `sql`, which filters on `:clinic` and the period's bounds."""
    return db.query(sql, {"clinic": clinic, **period.bounds(), **params})


def activity(db: Database, clinic: str, period: Period) -> list[dict]:
    """Conversations (distinct) and messages per day and language; every day, zeros included,
    so that quiet days show as gaps in the chart."""
    counts = {(r["day"], r["lang"]): r for r in _rows(
        db, "select day, lang, count(distinct conversation) as conversations, count(*) as messages "
            "from chat_turns where clinic = :clinic and day >= :start and day < :after group by day, lang",
        clinic, period)}
    return [{"day": day, "lang": lang,
             "conversations": counts.get((day, lang), {}).get("conversations", 0),
             "messages": counts.get((day, lang), {}).get("messages", 0)}
            for day in period.dates() for lang in LANGUAGES]


def top_articles(db: Database, clinic: str, period: Period,
                 titles: Optional[Mapping[str, str]] = None) -> list[dict]:
    """The articles most often given as answers; `titles` names them for people (else the id)."""
    rows = _rows(
        db, "select topic, count(*) as answers from chat_turns where clinic = :clinic and day >= :start "
            "and day < :after and kind = 'answer' and topic is not null group by topic "
            "order by answers desc, topic limit :limit", clinic, period, limit=TOP_ARTICLES)
    titles = titles or {}
    return [{"topic": r["topic"], "title": titles.get(r["topic"], r["topic"]), "answers": r["answers"]}
            for r in rows]


def fallback_rate(db: Database, clinic: str, period: Period) -> list[dict]:
    """Share of turns where the assistant had no confident answer, per language and overall.
    `rate` is None when there were no turns (no data is not a 0 % fallback rate)."""
    counts = {r["lang"]: r for r in _rows(
        db, "select lang, count(*) as turns, count(*) filter (where kind = 'fallback') as fallbacks "
            "from chat_turns where clinic = :clinic and day >= :start and day < :after group by lang",
        clinic, period)}
    rows = [{"lang": lang, "turns": counts.get(lang, {}).get("turns", 0),
             "fallbacks": counts.get(lang, {}).get("fallbacks", 0)} for lang in LANGUAGES]
    rows.append({"lang": "all", "turns": sum(r["turns"] for r in rows),
                 "fallbacks": sum(r["fallbacks"] for r in rows)})
    return [{**r, "rate": round(r["fallbacks"] / r["turns"], 4) if r["turns"] else None} for r in rows]


def _escalations(db: Database, clinic: str, period: Period) -> list[dict]:
    return _rows(db, "select category, severity, created_at, acknowledged_at from escalations where clinic = :clinic "
                     "and substr(created_at, 1, 10) >= :start and substr(created_at, 1, 10) < :after", clinic, period)


def escalations_by_category(db: Database, clinic: str, period: Period) -> list[dict]:
    """Escalations by their main category (the first one reported), most frequent first."""
    counts: dict[str, int] = {}
    for row in _escalations(db, clinic, period):
        counts[row["category"]] = counts.get(row["category"], 0) + 1
    return [{"category": c, "escalations": n} for c, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]


def escalations_by_severity(db: Database, clinic: str, period: Period) -> list[dict]:
    rows = _escalations(db, clinic, period)
    return [{"severity": s, "escalations": sum(r["severity"] == s for r in rows)} for s in SEVERITIES]


def minutes_between(start: str, end: str) -> float:
    return (dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)).total_seconds() / 60


def acknowledge_time(db: Database, clinic: str, period: Period) -> list[dict]:
    """Median minutes from an escalation to its acknowledgement, per severity and overall, and
    the ones still waiting: how many, and how long the oldest has been open so far (a median of
    the acknowledged alone would look good exactly when nobody answers)."""
    rows = _escalations(db, clinic, period)
    now = clock.now_iso()
    figure = []
    for severity in (*SEVERITIES, "all"):
        chosen = [r for r in rows if severity in ("all", r["severity"])]
        waits = [minutes_between(r["created_at"], r["acknowledged_at"]) for r in chosen if r["acknowledged_at"]]
        open_for = [minutes_between(r["created_at"], now) for r in chosen if not r["acknowledged_at"]]
        figure.append({"severity": severity, "escalations": len(chosen), "acknowledged": len(waits),
                       "median_minutes": round(statistics.median(waits), 1) if waits else None,
                       "open": len(open_for), "longest_open_minutes": round(max(open_for)) if open_for else None})
    return figure


FIGURES: dict[str, Callable[..., list[dict]]] = {
    "activity": activity,
    "top-articles": top_articles,
    "fallback-rate": fallback_rate,
    "escalation-categories": escalations_by_category,
    "escalation-severity": escalations_by_severity,
    "acknowledge-time": acknowledge_time,
}
