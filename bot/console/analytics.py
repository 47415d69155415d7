"""The analytics page: how families use the assistant and how fast escalations are seen.

Figures are for the nurse's own clinic over the last 7, 30 or 90 days. Each chart is drawn as
inline SVG on the server (no script, no CDN), with its numbers in a table and as a CSV file.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Optional

from starlette.requests import Request
from starlette.responses import Response

from bot.analytics.figures import (COLUMNS, DEFAULT_PERIOD, FIGURES, PERIODS, Period,
                                   top_articles)
from bot.console import charts
from bot.console.guard import ConsoleError, console, console_route
from bot.console.render import page
from bot.i18n import N_, format_day, translate
from bot.redflags.lexicon import CATEGORY_NAMES
from bot.settings import LANGUAGES

LANGUAGE_NAMES = {"en": N_("English"), "zh": N_("Chinese"), "all": N_("All languages")}
SEVERITY_NAMES = {"red": N_("Red (call now)"), "amber": N_("Amber (call today)"), "all": N_("All escalations")}
COLUMN_NAMES = {
    "day": N_("Day (UTC)"), "lang": N_("Language"), "conversations": N_("Conversations"),
    "messages": N_("Messages"), "topic": N_("Article id"), "title": N_("Article"),
    "answers": N_("Answers given"), "turns": N_("Messages"), "fallbacks": N_("Fallbacks"),
    "rate": N_("Fallback rate"), "category": N_("Category"), "escalations": N_("Escalations"),
    "severity": N_("Severity"), "acknowledged": N_("Acknowledged"),
    "median_minutes": N_("Median minutes to acknowledge"),
    "open": N_("Still open"), "longest_open_minutes": N_("Oldest open for (minutes)"),
}


@dataclass(frozen=True)
class Panel:
    """One chart on the page with its words, its drawing and its numbers."""
    id: str
    figure: str                  # the CSV with these numbers
    title: str
    description: str             # what the chart shows, for screen readers and the caption
    chart: charts.Chart
    headers: list[str]
    table: list[list[str]]


def period_of(request: Request) -> Period:
    days = request.query_params.get("days", "")
    return Period.last(int(days) if days.isdigit() and int(days) in PERIODS else DEFAULT_PERIOD)


def figure_rows(request: Request, figure: str, period: Period) -> list[dict]:
    """One figure for the visitor's clinic; article titles in the visitor's language."""
    store, visitor = console(request), request.state.visitor
    db, clinic = store.escalations.db, visitor.user.clinic
    if figure == "top-articles":
        titles = {a["id"]: (a.get(visitor.lang) or {}).get("title") or (a.get("en") or {}).get("title") or a["id"]
                  for a in store.content.latest_all()}
        return top_articles(db, clinic, period, titles)
    return FIGURES[figure](db, clinic, period)


def cell(column: str, value: object, lang: str) -> str:
    """A figure's value as a person reads it (the CSV keeps the raw value)."""
    names = {"lang": LANGUAGE_NAMES, "severity": SEVERITY_NAMES, "category": CATEGORY_NAMES}.get(column)
    if value is None:
        return "—"
    if names is not None:
        return translate(lang, names[value]) if value in names else str(value)
    if column == "rate":
        return percent(float(value) * 100)  # type: ignore[arg-type]
    if column == "day":
        return format_day(str(value), lang)
    return str(value)


def percent(value: Optional[float]) -> str:
    return "—" if value is None else f"{value:.1f} %"


def panels(data: dict[str, list[dict]], lang: str) -> list[Panel]:
    _ = lambda message, **values: translate(lang, message, **values)  # extracted as `-k _`
    table = lambda figure: ([_(COLUMN_NAMES[c]) for c in COLUMNS[figure]],
                            [[cell(c, row[c], lang) for c in COLUMNS[figure]] for row in data[figure]])
    label = lambda column, value: cell(column, value, lang)
    days = sorted({r["day"] for r in data["activity"]})
    per_day = lambda key: [(l, label("lang", l), [r[key] for r in data["activity"] if r["lang"] == l])
                           for l in LANGUAGES]
    total = lambda figure, key: sum(r[key] for r in data[figure])
    # Per-day numbers as one row per day with a column per language (the CSV has one per pair).
    day_table = lambda key: ([_("Day (UTC)"), *(label("lang", l) for l in LANGUAGES)],
                             [[label("day", d), *(str(values[i]) for _lang, _name, values in per_day(key))] for i, d in enumerate(days)])
    articles, categories = data["top-articles"], data["escalation-categories"]
    severity, waits, fallback = data["escalation-severity"], data["acknowledge-time"], data["fallback-rate"]
    return [
        Panel("messages", "activity", _("Messages per day"),
              _("Bar chart: messages families sent each day, in English and in Chinese. {total} in all.",
                total=total("activity", "messages")),
              charts.columns([d[5:] for d in days], per_day("messages"), _("Day (UTC)"), _("Messages")),
              *day_table("messages")),
        Panel("conversations", "activity", _("Conversations per day"),
              _("Bar chart: conversations with at least one message each day, in English and in Chinese."),
              charts.columns([d[5:] for d in days], per_day("conversations"), _("Day (UTC)"), _("Conversations")),
              *day_table("conversations")),
        Panel("top-articles", "top-articles", _("Most used articles"),
              _("Bar chart: the {count} articles given most often as answers.", count=len(articles)),
              charts.rows([r["title"] for r in articles], [r["answers"] for r in articles],
                          _("Answers given"), _("Article")),
              *table("top-articles")),
        Panel("fallback-rate", "fallback-rate", _("Fallback rate"),
              _("Bar chart: share of messages the assistant had no confident answer for, by language."),
              charts.rows([label("lang", r["lang"]) for r in fallback],
                          [None if r["rate"] is None else r["rate"] * 100 for r in fallback],
                          _("Fallback rate"), _("Language"), series=[r["lang"] for r in fallback],
                          integer=False, value_text=percent),
              *table("fallback-rate")),
        Panel("escalation-categories", "escalation-categories", _("Escalations by category"),
              _("Bar chart: escalations by their main warning sign. {total} in all.",
                total=total("escalation-categories", "escalations")),
              charts.rows([label("category", r["category"]) for r in categories],
                          [r["escalations"] for r in categories], _("Escalations"), _("Category")),
              *table("escalation-categories")),
        Panel("escalation-severity", "escalation-severity", _("Escalations by severity"),
              _("Bar chart: red and amber escalations."),
              charts.rows([label("severity", r["severity"]) for r in severity],
                          [r["escalations"] for r in severity], _("Escalations"), _("Severity"),
                          series=[r["severity"] for r in severity]),
              *table("escalation-severity")),
        Panel("acknowledge-time", "acknowledge-time", _("Median time to acknowledge"),
              _("Bar chart: median minutes from an escalation to a nurse acknowledging it, by severity."),
              charts.rows([label("severity", r["severity"]) for r in waits], [r["median_minutes"] for r in waits],
                          _("Median minutes to acknowledge"), _("Severity"),
                          series=[r["severity"] for r in waits], integer=False),
              *table("acknowledge-time")),
    ]


async def analytics_page(request: Request) -> Response:
    period = period_of(request)
    data = {figure: figure_rows(request, figure, period) for figure in COLUMNS}
    visitor = request.state.visitor
    clinic = console(request).clinics.get(visitor.user.clinic) or {}
    return page(request, "analytics.html", period=period, periods=PERIODS, panels=panels(data, visitor.lang),
                clinic_name=(clinic.get("name") or {}).get(visitor.lang) or visitor.user.clinic)


def csv_text(columns: tuple[str, ...], rows: list[dict]) -> str:
    """CSV with a BOM, so that Excel reads the Chinese as UTF-8. Text that a spreadsheet would
    run as a formula (=, +, -, @) is prefixed with ' (article titles are typed by people)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    safe = lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v
    writer.writerows([safe(row[c]) if row[c] is not None else "" for c in columns] for row in rows)
    return "\ufeff" + out.getvalue()


async def analytics_csv(request: Request) -> Response:
    figure = request.path_params["figure"]
    if figure not in COLUMNS:
        raise ConsoleError(404, translate(request.state.visitor.lang, "There is no such figure."))
    period = period_of(request)
    clinic = re.sub(r"[^A-Za-z0-9_-]", "_", request.state.visitor.user.clinic)
    name = f"carebot-{clinic}-{figure}-{period.start}-{period.end}.csv"
    return Response(csv_text(COLUMNS[figure], figure_rows(request, figure, period)),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


analytics_routes = [
    console_route("/console/analytics", analytics_page),
    console_route("/console/analytics/{figure}.csv", analytics_csv),
]
