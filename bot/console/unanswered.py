"""The unanswered inbox: families' questions the assistant could not answer, grouped.

Each group becomes an example question of an article (a draft for review), a new article, or is
dismissed. This is how the assistant learns from real families.
"""
from __future__ import annotations

import asyncio

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.console.guard import ConsoleError, console, console_route
from bot.console.render import page
from bot.i18n import translate
from bot.unanswered import group_similar


async def inbox(request: Request) -> Response:
    store, visitor = console(request), request.state.visitor
    # Grouping by meaning is CPU work: off the event loop, so that no family's chat waits.
    groups = await asyncio.to_thread(group_similar, store.unanswered.open_rows(visitor.user.clinic))
    articles = sorted(((a["id"], a[visitor.lang]["title"] or a["id"]) for a in store.content.latest_all()),
                      key=lambda item: item[1])
    new_links = [f"/console/articles/new?{urlencode({'question': g.texts[0], 'lang': g.lang})}&"
                 + urlencode([("unanswered", i) for i in g.ids]) for g in groups]
    return page(request, "unanswered.html", groups=list(zip(groups, new_links)), articles=articles,
                flash=request.query_params.get("done") and translate(visitor.lang, "Done."))


async def add_to_article(request: Request) -> Response:
    """Every distinct wording in the group becomes an example question (the article becomes a draft)."""
    store, visitor = console(request), request.state.visitor
    form = await request.form()
    article = store.content.latest(str(form.get("article", "")))
    questions = store.unanswered.texts(form.getlist("ids"), visitor.user.clinic)
    if article is None or not questions:
        raise ConsoleError(400, translate(visitor.lang, "Choose an article for these questions."))
    for lang in {q["lang"] for q in questions}:
        known = {q.lower() for q in article[lang]["questions"]}
        article[lang]["questions"] += [q["text"] for q in questions if q["lang"] == lang and q["text"].lower() not in known]
    store.workflow.edit(article, visitor.user.username)
    store.unanswered.resolve_ids([q["id"] for q in questions], f"example of {article['id']}", visitor.user.clinic)
    return RedirectResponse(f"/console/articles/{article['id']}?saved=1", status_code=303)


async def dismiss(request: Request) -> Response:
    visitor = request.state.visitor
    ids = (await request.form()).getlist("ids")
    count = console(request).unanswered.resolve_ids(ids, f"dismissed by {visitor.user.username}", visitor.user.clinic)
    console(request).content.log(visitor.user.username, "dismiss_unanswered", visitor.user.clinic, {"count": count})
    return RedirectResponse("/console/unanswered?done=1", status_code=303)


unanswered_routes = [
    console_route("/console/unanswered", inbox),
    console_route("/console/unanswered/add", add_to_article, methods=("POST",)),
    console_route("/console/unanswered/dismiss", dismiss, methods=("POST",)),
]
