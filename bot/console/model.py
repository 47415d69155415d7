"""The Model page: which model serves, whether example questions changed since, and retraining.

Retraining runs as a background job (bot/training/retrain.py); this page starts it, and a small
script (static/model.js) polls the job's progress. The gate's figures stay on the page.
"""
from __future__ import annotations

from typing import Optional

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot.console.guard import console, console_route
from bot.console.render import page
from bot.i18n import LANGUAGE_NAMES, translate
from bot.training.deployed import read_deployed, staleness
from bot.training.jobs import JobBusy, launch


def said(lang: str, message: Optional[str], values: Optional[dict]) -> str:
    """A stored message id with its values, in the visitor's language."""
    if not message:
        return ""
    values = {k: translate(lang, LANGUAGE_NAMES[v]) if k == "lang" and v in LANGUAGE_NAMES else v
              for k, v in (values or {}).items()}
    try:
        return translate(lang, message, **values)
    except (KeyError, IndexError, ValueError):
        return message


def shown(job: dict, lang: str) -> dict:
    """A job row as the page and the poll show it."""
    reasons = [said(lang, r["message"], r["values"]) for r in (job.get("verdict") or {}).get("reasons", [])]
    return {**job, "text": said(lang, job["message"], job["message_values"]), "reasons": reasons,
            "finished": bool(job["finished_at"])}


async def serving_model(request: Request) -> Optional[str]:
    """What Rasa itself says it serves (None if it does not answer quickly, e.g. while loading)."""
    settings = console(request).settings
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            status = await http.get(f"{settings.rasa_url}/status", params={"token": settings.rasa_token})
        return status.json().get("model_file") if status.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


async def model_page(request: Request, flash: Optional[str] = None, status: int = 200) -> Response:
    store, lang = console(request), request.state.visitor.lang
    deployed = read_deployed(store.settings)
    state = staleness(store.settings, deployed)
    titles = []
    for label in state.changed:
        article = store.content.published(label) or store.content.latest(label)
        titles.append(article[lang]["title"] if article else label)
    jobs = store.retrain_jobs
    active = jobs.active()
    return page(request, "model.html", status=status, deployed=deployed, stale=state, changed=titles,
                serving=await serving_model(request), active=shown(active, lang) if active else None,
                jobs=[shown(j, lang) for j in jobs.recent(10)], flash=flash,
                flash_kind="error" if status >= 400 else None)


async def model_overview(request: Request) -> Response:
    return await model_page(request)


async def start_retrain(request: Request) -> Response:
    store, visitor = console(request), request.state.visitor
    if not staleness(store.settings, read_deployed(store.settings)).stale:
        return await model_page(request, translate(
            visitor.lang, "Nothing to retrain: the model already matches the published example questions."), 409)
    try:
        job_id = launch(store.settings, store.retrain_jobs, visitor.user.username)
    except JobBusy:
        return await model_page(request, translate(
            visitor.lang, "A retrain is already running. Wait for it to finish."), 409)
    store.content.log(visitor.user.username, "retrain", "model", {"job": job_id})
    return RedirectResponse("/console/model", status_code=303)


async def job_status(request: Request) -> Response:
    """The running job, else the latest one: what model.js shows while it polls."""
    jobs = console(request).retrain_jobs
    job = jobs.active() or next(iter(jobs.recent(1)), None)
    if job is None:
        return JSONResponse({"job": None})
    job = shown(job, request.state.visitor.lang)
    return JSONResponse({"job": {key: job[key] for key in (
        "id", "stage", "percent", "text", "finished", "figures", "baseline", "verdict", "timings", "model")}})


model_routes = [
    console_route("/console/model", model_overview),
    console_route("/console/model/retrain", start_retrain, "reviewer", ("POST",), library=True),
    console_route("/console/api/model/job", job_status),
]
