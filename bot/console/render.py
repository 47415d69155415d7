"""Console pages: Jinja templates translated with the same Babel catalogs as the chat.

Message ids in templates are the English text inside `{% trans %}` / `_()`; `make messages`
extracts them (babel.cfg) next to the Python strings.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.console.alert_health import alert_problem
from bot.console.accounts import ROLE_NAMES
from bot.content.articles import CATEGORY_NAMES, STATUS_NAMES
from bot.i18n import LANGUAGE_NAMES, format_day, translations
from bot.settings import LANGUAGES

TEMPLATES = Path(__file__).with_name("templates")
# Security headers for every console page: no third-party scripts, styles or frames.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@lru_cache(maxsize=None)
def environment(lang: str) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters["day"] = lambda iso: format_day(str(iso)[:10], lang) if iso else ""
    env.globals["LANGUAGES"] = LANGUAGES
    env.globals["CATEGORY_NAMES"] = CATEGORY_NAMES  # article categories, translated in templates
    env.globals["STATUS_NAMES"] = STATUS_NAMES  # likewise the workflow's words and roles
    env.globals["ROLE_NAMES"] = ROLE_NAMES
    env.filters["language"] = lambda code: translations(lang).gettext(LANGUAGE_NAMES[code])  # "zh": 中文
    return env


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    """Render `template` for the visitor (if any) in their console language."""
    visitor = getattr(request.state, "visitor", None)
    lang = visitor.lang if visitor else console_lang(request)
    store = request.app.state.console
    # Called by base.html only: a fragment (the queue's 10-second refresh) does not pay for them.
    problem = lambda: alert_problem(store.clinics, store.outbox, visitor.user.clinic, lang) if visitor else None  # noqa: E731
    waiting = lambda: len(store.content.in_review()) if visitor and visitor.user.can("reviewer") else 0  # noqa: E731
    html = environment(lang).get_template(template).render(
        request=request, visitor=visitor, lang=lang, alert_problem=problem, review_count=waiting,
        csrf=visitor.session.csrf if visitor else "", **context)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def console_lang(request: Request) -> str:
    """Before login: the browser's preferred language of the two."""
    wanted = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "zh" if wanted.lower().startswith("zh") else "en"
