"""The console's front page (what needs attention now) and the audit log."""
from __future__ import annotations


from starlette.requests import Request
from starlette.responses import Response

from bot import clock
from bot.console.audit_text import readable
from bot.console.guard import console, console_route
from bot.console.render import page


async def overview(request: Request) -> Response:
    store, clinic = console(request), request.state.visitor.user.clinic
    rows = store.content.summaries()
    today = clock.today().isoformat()
    escalations = store.escalations.counts(clinic)
    counts = {
        "open_escalations": escalations["open"],
        "unacknowledged": escalations["unacknowledged"],
        "emergencies": escalations["emergencies"],
        "in_review": sum(1 for r in rows if r["status"] == "in_review"),
        "drafts": sum(1 for r in rows if r["status"] == "draft"),
        "review_due": sum(1 for a in store.content.latest_all() if a["review_due"] <= today),
        "unanswered": sum(g.count for g in store.unanswered.groups(clinic)),
    }
    return page(request, "overview.html", counts=counts)


async def audit(request: Request) -> Response:
    visitor = request.state.visitor
    entries = console(request).content.audit.for_clinic(visitor.user.clinic, limit=500)
    return page(request, "audit.html", entries=readable(entries, visitor.lang))


overview_routes = [
    console_route("/console", overview),
    console_route("/console/audit", audit, "reviewer"),
]
