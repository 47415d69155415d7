"""The escalation queue: what the care team sees, acknowledges and resolves.

The acknowledgement is the same one the care-team API records, so it stops re-notification.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot import clock
from bot.redflags.lexicon import CATEGORY_NAMES
from bot.console.guard import ConsoleError, console, console_route
from bot.console.render import page
from bot.escalation.store import QUEUE_AGES, QUEUE_PAGE, QUEUE_SEVERITIES, QUEUE_STATUSES
from bot.i18n import N_, translate

REFRESH_MS = 10_000
QUEUE_STATUS_NAMES = {"all": N_("All"), "open": N_("Open"), "new": N_("New (not acknowledged)"),
                      "acknowledged": N_("Acknowledged"), "resolved": N_("Resolved")}
QUEUE_SEVERITY_NAMES = {"all": N_("All"), "emergency": N_("Emergency"), "red": N_("Red"), "amber": N_("Amber")}
QUEUE_AGE_NAMES = {"all": N_("Any"), "15m": N_("over 15 minutes"), "1h": N_("over an hour"), "4h": N_("over 4 hours"),
                   "24h": N_("over a day")}
DELIVERY_NAMES = {"delivered": N_("delivered"), "pending": N_("not yet delivered"), "failed": N_("failed")}
CHANNEL_NAMES = {"webhook": N_("webhook"), "email": N_("e-mail")}


def minutes_since(iso: str) -> int:
    return int((clock.now() - dt.datetime.fromisoformat(iso)).total_seconds() // 60)


def view(escalation: dict, deliveries: list[dict], lang: str) -> dict:
    """An escalation as the queue shows it, category names in the nurse's language."""
    categories = [translate(lang, CATEGORY_NAMES[c]) if c in CATEGORY_NAMES else c
                  for c in json.loads(escalation["categories"])]
    said = [{**d, "channel_name": translate(lang, CHANNEL_NAMES.get(d["channel"], d["channel"])),
             "status_name": translate(lang, DELIVERY_NAMES.get(d["status"], d["status"]))} for d in deliveries]
    return {**escalation, "categories": categories,
            "evidence": json.loads(escalation["evidence"]), "deliveries": said,
            "minutes": minutes_since(escalation["created_at"])}


@dataclass(frozen=True)
class QueueView:
    """One screen of the queue: the filters as asked, the rows, where it is in the whole."""

    status: str
    severity: str
    category: str
    age: str
    page: int
    pages: int
    total: int
    rows: list[dict]
    urgent: list[dict]        # the newest unacknowledged reds, pinned whatever the page

    @property
    def first(self) -> int:
        return (self.page - 1) * QUEUE_PAGE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * QUEUE_PAGE)

    @property
    def query(self) -> str:
        return self.link(self.page)[1:]

    def link(self, page: int) -> str:
        return "?" + urlencode({"status": self.status, "severity": self.severity, "category": self.category,
                                "age": self.age, "page": page})


def queue_view(request: Request) -> QueueView:
    store, params = console(request), request.query_params
    clinic, lang = request.state.visitor.user.clinic, request.state.visitor.lang
    status = params.get("status") if params.get("status") in QUEUE_STATUSES else "all"
    severity = params.get("severity") if params.get("severity") in QUEUE_SEVERITIES else "all"
    category = params.get("category") if params.get("category") in CATEGORY_NAMES else "all"
    age = params.get("age") if params.get("age") in QUEUE_AGES else "all"
    total = store.escalations.queue_size(clinic, status, severity, category, age)
    pages = max(1, math.ceil(total / QUEUE_PAGE))
    page_number = min(pages, max(1, int(params["page"]) if params.get("page", "").isdigit() else 1))
    rows = store.escalations.queue(clinic, status, severity, category, age, offset=(page_number - 1) * QUEUE_PAGE)
    shown = lambda found: [view(e, store.outbox.for_escalation(e["id"]), lang) for e in found]  # noqa: E731
    return QueueView(status, severity, category, age, page_number, pages, total, shown(rows),
                     shown(store.escalations.newest_unacknowledged_red(clinic)))


async def queue(request: Request) -> Response:
    return page(request, "escalations.html", q=queue_view(request), refresh_ms=REFRESH_MS,
                statuses=QUEUE_STATUS_NAMES, severities=QUEUE_SEVERITY_NAMES, categories=CATEGORY_NAMES,
                ages=QUEUE_AGE_NAMES)


async def queue_fragment(request: Request) -> Response:
    """Just the queue, for the page's self-refresh."""
    return page(request, "escalation_rows.html", q=queue_view(request))


def owned(request: Request) -> dict:
    escalation = console(request).escalations.get(request.path_params["escalation_id"])
    if escalation is None or escalation["clinic"] != request.state.visitor.user.clinic:
        raise ConsoleError(404, translate(request.state.visitor.lang, "There is no such escalation for this clinic."))
    return escalation


async def detail(request: Request) -> Response:
    store = console(request)
    escalation = owned(request)
    lines = await store.transcripts.lines(escalation["conversation"])
    store.content.log(request.state.visitor.user.username, "transcript viewed", f"escalation {escalation['id']}")
    lang = request.state.visitor.lang
    done = request.query_params.get("acknowledged") and escalation["acknowledged_at"]
    return page(request, "escalation.html", e=view(escalation, store.outbox.for_escalation(escalation["id"]), lang),
                lines=lines, flash=done and translate(lang, "Acknowledged: nobody will be re-notified about it."))


async def acknowledge(request: Request) -> Response:
    escalation, user = owned(request), request.state.visitor.user
    console(request).escalations.acknowledge(escalation["id"], user.username)
    console(request).content.log(user.username, "acknowledge", f"escalation {escalation['id']}")
    return RedirectResponse(f"/console/escalations/{escalation['id']}?acknowledged=1", status_code=303)


async def resolve(request: Request) -> Response:
    escalation, visitor = owned(request), request.state.visitor
    note = str((await request.form()).get("note", "")).strip()[:2000]
    if not note:
        raise ConsoleError(400, translate(visitor.lang, "Write what was done before resolving."))
    console(request).escalations.resolve(escalation["id"], visitor.user.username, note)
    console(request).content.log(visitor.user.username, "resolve", f"escalation {escalation['id']}", {"note": note})
    return RedirectResponse(f"/console/escalations/{escalation['id']}", status_code=303)


escalation_routes = [
    console_route("/console/escalations", queue),
    console_route("/console/escalations/rows", queue_fragment),
    console_route("/console/escalations/{escalation_id:int}", detail),
    console_route("/console/escalations/{escalation_id:int}/ack", acknowledge, methods=("POST",)),
    console_route("/console/escalations/{escalation_id:int}/resolve", resolve, methods=("POST",)),
]
