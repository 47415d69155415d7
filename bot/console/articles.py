"""Console pages for articles: list, side-by-side editor with live preview, review, history."""
from __future__ import annotations


from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot import clock
from bot.answers import describe, placeholder_problems, render_answer
from bot.console.audit_text import readable
from bot.console.guard import ConsoleError, console, console_route, json_body
from bot.console.render import page
from bot.console.review import approval, compare, review_routes
from bot.content.articles import CATEGORIES, STATUSES, ArticleError
from bot.content.workflow import WorkflowError, missing_translation
from bot.i18n import N_, sentences, translate
from bot.settings import LANGUAGES


def lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


async def submitted_article(request: Request, article_id: str) -> dict:
    """The editor form as an article (words only; the workflow sets the status)."""
    form = await request.form()
    article = {"id": article_id, "category": str(form.get("category", ""))}
    for lang in LANGUAGES:
        article[lang] = {"title": str(form.get(f"{lang}_title", "")).strip(),
                         "questions": lines(form.get(f"{lang}_questions", "")),
                         "answer": str(form.get(f"{lang}_answer", "")).replace("\r\n", "\n").strip(),
                         "sources": lines(form.get(f"{lang}_sources", ""))}
    return article


def matches(article: dict, row: dict, problems: list, filters: dict) -> bool:
    today = clock.today().isoformat()
    if filters.get("category") and article["category"] != filters["category"]:
        return False
    if filters.get("status") and row["status"] != filters["status"]:
        return False
    if filters.get("missing") and not problems:
        return False
    if filters.get("due") and article["review_due"] > today:
        return False
    query = (filters.get("q") or "").strip().lower()
    if query:
        text = " ".join([article["id"], *(article[l]["title"] + " " + article[l]["answer"] + " "
                                          + " ".join(article[l]["questions"]) for l in LANGUAGES)]).lower()
        return query in text
    return True


def translation_problems(article: dict, out_of_date: list[str]) -> list[tuple[str, str]]:
    """("missing", lang) for a language without its text, ("out_of_date", lang) for one whose
    text last changed before the other language's and was not checked since."""
    missing = missing_translation(article)
    return ([("missing", lang) for lang in missing]
            + [("out_of_date", lang) for lang in out_of_date if lang not in missing])


async def article_list(request: Request) -> Response:
    store = console(request).content
    rows = {row["id"]: row for row in store.summaries()}
    filters = {key: request.query_params.get(key, "") for key in ("category", "status", "missing", "due", "q")}
    behind = console(request).workflow.out_of_date()
    listed = [(a, rows[a["id"]], translation_problems(a, behind.get(a["id"], []))) for a in store.latest_all()]
    articles = [item for item in listed if matches(*item, filters)]
    return page(request, "articles.html", articles=articles, filters=filters, categories=CATEGORIES,
                statuses=STATUSES, today=clock.today().isoformat())


def editor(request: Request, article: dict, status: int = 200, error: str | None = None,
           flash: str | None = None, new: bool = False) -> Response:
    store = console(request)
    row = store.content.article_row(article["id"]) if not new else None
    last_editor = store.workflow.last_editor(article["id"]) if row else None
    # In review: the page is where a reviewer approves, so it shows what changes against live.
    review = approval(request, article["id"]) if row and row["status"] == "in_review" else None
    return page(request, "article_edit.html", status=status, article=article, row=row, new=new,
                categories=CATEGORIES, error=error, flash=flash, last_editor=last_editor,
                clinic=request.state.visitor.user.clinic, review=review)


def blank_article(request: Request) -> dict:
    """A new article, optionally seeded with a family's question from the unanswered inbox."""
    question, lang = request.query_params.get("question", "").strip(), request.query_params.get("lang", "en")
    article = {"id": "", "category": CATEGORIES[0]}
    for each in LANGUAGES:
        article[each] = {"title": "", "questions": [question] if question and each == lang else [],
                         "answer": "", "sources": []}
    return article


async def new_article_form(request: Request) -> Response:
    return editor(request, blank_article(request), new=True)


async def create_article(request: Request) -> Response:
    form = await request.form()
    article = await submitted_article(request, str(form.get("id", "")).strip())
    visitor = request.state.visitor
    if console(request).content.latest(article["id"]):
        return editor(request, article, 400, translate(visitor.lang, "An article with this id already exists."), new=True)
    error = placeholder_error(article, visitor.lang)
    if error:
        return editor(request, article, 400, error, new=True)
    try:
        console(request).workflow.edit(article, visitor.user.username)
    except ArticleError as exc:
        return editor(request, article, 400, str(exc), new=True)
    console(request).unanswered.resolve_ids(form.getlist("unanswered"), f"new article {article['id']}", visitor.user.clinic)
    return RedirectResponse(f"/console/articles/{article['id']}?done=saved", status_code=303)


def existing(request: Request) -> dict:
    article = console(request).content.latest(request.path_params["article_id"])
    if article is None:
        raise ConsoleError(404, translate(request.state.visitor.lang, "There is no such article."))
    return article


# What each step did, in words (the page after it says so).
DONE = {"saved": N_("Saved as a draft. Send it for review when it is ready."),
        "submit": N_("Sent for review to the reviewers of {clinic}."),
        "approve": N_("Published: live in the chat now."),
        "send_back": N_("Sent back to the editor with your note."),
        "rollback": N_("The earlier text is back as a new version, waiting for review.")}


async def edit_form(request: Request) -> Response:
    lang, done = request.state.visitor.lang, request.query_params.get("done", "")
    clinic = console(request).clinics.get(request.state.visitor.user.clinic) or {}
    name = (clinic.get("name") or {}).get(lang) or request.state.visitor.user.clinic
    flash = translate(lang, DONE[done], clinic=name) if done in DONE else None
    return editor(request, existing(request), flash=flash)


def placeholder_error(article: dict, lang: str) -> str | None:
    """The editor's message for answers with placeholders that cannot be filled in."""
    problems = [(each, placeholder_problems(article[each]["answer"])) for each in LANGUAGES]
    return sentences(lang, *(f"{each}: {describe(found, lang)}" for each, found in problems if found)) or None


async def save_article(request: Request) -> Response:
    article = {**existing(request), **await submitted_article(request, request.path_params["article_id"])}
    error = placeholder_error(article, request.state.visitor.lang)
    if error:
        return editor(request, article, 400, error)
    try:
        console(request).workflow.edit(article, request.state.visitor.user.username)
    except ArticleError as exc:
        return editor(request, article, 400, str(exc).split(": ", 1)[-1])
    return RedirectResponse(f"/console/articles/{article['id']}?done=saved", status_code=303)


def workflow_step(step: str):
    """submit / approve / send back: one POST each, the workflow enforces who may do what."""
    async def endpoint(request: Request) -> Response:
        article_id, user = existing(request)["id"], request.state.visitor.user.username
        form = await request.form()
        flow = console(request).workflow
        try:
            if step == "submit":
                flow.submit(article_id, user)
            elif step == "approve":
                flow.approve(article_id, user, translation_checked=form.get("translation_checked") == "1")
            elif step == "send_back":
                flow.send_back(article_id, user, str(form.get("note", "")))
            else:
                version = str(form.get("version", ""))
                flow.rollback(article_id, int(version) if version.isdigit() else 0, user)
        except WorkflowError as exc:  # the same page again, with the sentence saying why
            return editor(request, existing(request), 409, translate(request.state.visitor.lang, str(exc)))
        return RedirectResponse(f"/console/articles/{article_id}?done={step}", status_code=303)
    endpoint.__name__ = step
    return endpoint


def may_roll_back(version: dict, row: dict) -> bool:
    """Only to words that were live (reviewed once), and not to the working copy itself."""
    return version["status"] == "published" and version["version"] != row["version"]


async def history(request: Request) -> Response:
    """Each version against the one before it, in the words families read (None: the first)."""
    article, store = existing(request), console(request)
    versions = store.content.history(article["id"])
    row = store.content.article_row(article["id"])
    clinic = store.clinics.get(request.state.visitor.user.clinic)
    lang = request.state.visitor.lang
    changes = [(v, compare(older["document"], v["document"], clinic, lang) if older else None, may_roll_back(v, row))
               for v, older in zip(versions, versions[1:] + [None])]
    return page(request, "article_history.html", article=article, changes=changes, row=row,
                audit=readable(store.content.audit_log(subject=article["id"]), lang))


async def preview(request: Request) -> Response:
    """The answer with the nurse's clinic settings filled in, as a family would get it."""
    body = await json_body(request)
    lang = body.get("lang") if body.get("lang") in LANGUAGES else "en"
    visitor = request.state.visitor
    clinic = console(request).clinics.get(visitor.user.clinic)
    answer = str(body.get("answer", ""))
    problems = placeholder_problems(answer)
    if problems:
        return JSONResponse({"error": describe(problems, visitor.lang)})
    return JSONResponse({"text": render_answer({lang: {"answer": answer}}, lang, clinic)})


article_routes = [
    console_route("/console/articles", article_list),
    console_route("/console/articles/new", new_article_form),
    console_route("/console/articles/new", create_article, methods=("POST",), library=True),
    console_route("/console/articles/{article_id}", edit_form),
    console_route("/console/articles/{article_id}", save_article, methods=("POST",), library=True),
    console_route("/console/articles/{article_id}/submit", workflow_step("submit"), methods=("POST",), library=True),
    console_route("/console/articles/{article_id}/approve", workflow_step("approve"), "reviewer", ("POST",), library=True),
    console_route("/console/articles/{article_id}/send-back", workflow_step("send_back"), "reviewer", ("POST",), library=True),
    console_route("/console/articles/{article_id}/rollback", workflow_step("rollback"), methods=("POST",), library=True),
    console_route("/console/articles/{article_id}/history", history),
    console_route("/console/api/preview", preview, methods=("POST",)),
    *review_routes,
]
