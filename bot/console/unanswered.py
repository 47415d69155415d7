"""The unanswered inbox: families' questions the assistant could not answer, grouped.

Each group becomes an example question of an article (a draft for review), a new article, or is
dismissed (with undo). A message that is really a warning-sign report ("black poop since this
morning") is not a content gap: it is flagged at the top, in red, with a way to open an
escalation record for it.
"""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.console.guard import ConsoleError, console, console_route
from bot.console.render import page
from bot.i18n import translate
from bot.redflags.lexicon_store import shared_detector
from bot.unanswered import Group, group_similar

LANGUAGE_FILTERS = ("all", "en", "zh")


@dataclass(frozen=True)
class InboxGroup:
    group: Group
    new_link: str                  # "start a new article" with the questions filled in
    warning: Optional[dict]        # the detector's assessment when a question names a warning sign
    likely: Optional[str] = None   # the published article a text search finds for it

    @property
    def ids(self) -> str:
        return ",".join(map(str, self.group.ids))


def warning_of(group: Group) -> Optional[dict]:
    """The first question of the group that the detector would escalate or ask about."""
    for text in group.texts:
        found = shared_detector().assess(text)
        if found.status:
            return {**found.as_dict(), "text": text}
    return None


def triaged(rows: list[dict], search: str, lang: str, likely_article: Callable[[str, str], Optional[str]]
            ) -> list[InboxGroup]:
    """Groups matching the filters: warning signs first, then the groups the same article would
    answer together, whatever their language (CPU work: run off the event loop)."""
    rows = [r for r in rows if (lang == "all" or r["lang"] == lang) and search.lower() in r["text"].lower()]
    groups = []
    for g in group_similar(rows):
        link = (f"/console/articles/new?{urlencode({'question': g.texts[0], 'lang': g.lang})}&"
                + urlencode([("unanswered", i) for i in g.ids]))
        warning = warning_of(g)
        groups.append(InboxGroup(g, link, warning, None if warning else likely_article(g.texts[0], g.lang)))
    biggest = {}  # an article's groups sit where its biggest group would (groups come biggest first)
    for position, item in enumerate(groups):
        biggest.setdefault(item.likely, position)
    return sorted(groups, key=lambda g: (g.warning is None, biggest[g.likely] if g.likely else len(groups)))


async def inbox(request: Request) -> Response:
    store, visitor, params = console(request), request.state.visitor, request.query_params
    search = params.get("q", "")[:200]
    lang = params.get("lang") if params.get("lang") in LANGUAGE_FILTERS else "all"
    likely = lambda text, text_lang: next(iter(store.content.search.search(text, text_lang, 1)), None)  # noqa: E731
    groups = await asyncio.to_thread(triaged, store.unanswered.open_rows(visitor.user.clinic), search, lang, likely)
    articles = sorted(((a["id"], a[visitor.lang]["title"] or a["id"]) for a in store.content.latest_all()),
                      key=lambda item: item[1])
    return page(request, "unanswered.html", groups=groups, articles=articles, titles=dict(articles), search=search,
                lang_filter=lang,
                flash=_flash(request), undo=params.get("undo"))


def _flash(request: Request) -> Optional[str]:
    """What the last action did, in words."""
    lang, params = request.state.visitor.lang, request.query_params
    if params.get("dismissed", "").isdigit():
        return translate(lang, "Dismissed {n} questions.", n=params["dismissed"])
    if params.get("restored", "").isdigit():
        return translate(lang, "Put back {n} questions.", n=params["restored"])
    if params.get("added", "").isdigit():
        article = console(request).content.latest(params.get("article", ""))
        title = article[lang]["title"] if article else params.get("article", "")
        return translate(lang, "Added {n} questions to “{title}” as example questions (a draft, sent for review "
                               "when you submit it). The assistant recognises them after the next retrain: see "
                               "the Model page.", n=params["added"], title=title)
    return None


def _ids(form) -> list[str]:
    """Checked groups send "1,2,3" each; single groups send one id per field."""
    return [i for value in form.getlist("ids") for i in str(value).split(",") if i.strip()]


async def add_to_article(request: Request) -> Response:
    """Every distinct wording in the group becomes an example question (the article becomes a draft)."""
    store, visitor = console(request), request.state.visitor
    form = await request.form()
    article = store.content.latest(str(form.get("article", "")))
    questions = store.unanswered.texts(_ids(form), visitor.user.clinic)
    if article is None or not questions:
        raise ConsoleError(400, translate(visitor.lang, "Choose an article for these questions."))
    for lang in {q["lang"] for q in questions}:
        known = {q.lower() for q in article[lang]["questions"]}
        article[lang]["questions"] += [q["text"] for q in questions if q["lang"] == lang and q["text"].lower() not in known]
    store.workflow.edit(article, visitor.user.username)
    store.unanswered.resolve_ids([q["id"] for q in questions], f"example of {article['id']}", visitor.user.clinic)
    return RedirectResponse(f"/console/unanswered?{urlencode({'added': len(questions), 'article': article['id']})}",
                            status_code=303)


async def dismiss(request: Request) -> Response:
    """Dismiss the checked groups at once; the dismissal has its own tag, so it can be undone."""
    visitor = request.state.visitor
    tag = f"dismissed by {visitor.user.username} ({uuid.uuid4().hex[:8]})"
    count = console(request).unanswered.resolve_ids(_ids(await request.form()), tag, visitor.user.clinic)
    console(request).content.log(visitor.user.username, "dismiss_unanswered", visitor.user.clinic, {"count": count})
    return RedirectResponse(f"/console/unanswered?{urlencode({'dismissed': count, 'undo': tag})}", status_code=303)


async def undo(request: Request) -> Response:
    visitor = request.state.visitor
    tag = str((await request.form()).get("undo", ""))
    count = console(request).unanswered.reopen(tag, visitor.user.clinic) if tag.startswith("dismissed by ") else 0
    console(request).content.log(visitor.user.username, "undo_dismiss_unanswered", visitor.user.clinic, {"count": count})
    return RedirectResponse(f"/console/unanswered?restored={count}", status_code=303)


async def escalate(request: Request) -> Response:
    """Open an escalation record for a warning sign that reached the inbox, for the team to follow
    up (the family is not in a live chat: the record is for the nurse to call them)."""
    store, visitor = console(request), request.state.visitor
    questions = store.unanswered.texts(_ids(await request.form()), visitor.user.clinic)
    flagged = [(q, shared_detector().assess(q["text"])) for q in questions]
    flagged = [(q, found) for q, found in flagged if found.status]
    if not flagged:
        raise ConsoleError(400, translate(visitor.lang, "None of these questions names a warning sign."))
    question, found = flagged[0]
    conversation = question["sender"] or f"inbox-{question['id']}"
    record = store.escalations.report(visitor.user.clinic, conversation, question["lang"], found.as_dict(),
                                      question["text"], 0).escalation
    store.unanswered.resolve_ids([q["id"] for q in questions], f"escalation {record['id']}", visitor.user.clinic)
    store.content.log(visitor.user.username, "escalate_unanswered", f"escalation {record['id']}")
    return RedirectResponse(f"/console/escalations/{record['id']}", status_code=303)


unanswered_routes = [
    console_route("/console/unanswered", inbox),
    console_route("/console/unanswered/add", add_to_article, methods=("POST",)),
    console_route("/console/unanswered/dismiss", dismiss, methods=("POST",)),
    console_route("/console/unanswered/undo", undo, methods=("POST",)),
    console_route("/console/unanswered/escalate", escalate, methods=("POST",)),
]
