"""Who may do what in the console: every route is declared with the role it needs.

`console_route` is the only way console routes are made, so none can forget the login check,
the role check or (for anything but GET) the CSRF check.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.console.accounts import User
from bot.console.render import page
from bot.console.sessions import Session, csrf_ok
from bot.i18n import translate

COOKIE = "carebot_console"
BACKGROUND_HEADER = "X-Background-Refresh"  # sent by the pages' own polling (console.js, model.js)
SAFE_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class Visitor:
    user: User
    session: Session

    @property
    def lang(self) -> str:
        return self.session.lang


class ConsoleError(Exception):
    """Shown to the nurse as a page (or JSON for console API calls), never a traceback."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def console(request: Request):
    return request.app.state.console


def visitor_of(request: Request) -> Visitor | None:
    store = console(request)
    # The queue and job pages poll by themselves; that is not the nurse being there.
    background = request.headers.get(BACKGROUND_HEADER) == "1"
    session = store.sessions.get(request.cookies.get(COOKIE), touch=not background)
    user = store.accounts.by_id(session.user_id) if session else None
    return Visitor(user, session) if user else None


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/console/api/")


async def sent_csrf(request: Request) -> str | None:
    """The token from the header (console API) or the form field (HTML forms)."""
    if "x-csrf-token" in request.headers:
        return request.headers["x-csrf-token"]
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return (await request.form()).get("csrf_token")
    return None


def console_route(path: str, endpoint: Callable[[Request], Awaitable[Response]], role: str = "editor",
                  methods: tuple[str, ...] = ("GET",), library: bool = False) -> Route:
    """A console page or call for `role` and up. `library`: it changes what every clinic's
    families read (the shared articles, the shared model), so only the nurses of the clinic that
    keeps the library (`CAREBOT_LIBRARY_CLINIC`, by default the default clinic) may do it."""
    async def guarded(request: Request) -> Response:
        visitor = visitor_of(request)
        if visitor is None:
            if request.method in SAFE_METHODS and not wants_json(request):
                return RedirectResponse(f"/console/login?next={quote(request.url.path)}", status_code=303)
            raise ConsoleError(401, translate("en", "Please log in."))
        request.state.visitor = visitor
        if not visitor.user.can(role):
            raise ConsoleError(403, translate(visitor.lang, "Your role does not allow this."))
        keeper = console(request).settings.library_clinic
        if library and visitor.user.clinic != keeper:
            raise ConsoleError(403, translate(visitor.lang, "The articles and the model are shared by every clinic "
                                                            "and kept by the nurses of {clinic}: ask them.", clinic=keeper))
        if request.method not in SAFE_METHODS and not csrf_ok(visitor.session, await sent_csrf(request)):
            raise ConsoleError(403, translate(visitor.lang, "This form has expired. Reload the page and try again."))
        return await endpoint(request)

    guarded.__name__ = endpoint.__name__
    route = Route(path, guarded, methods=list(methods))
    route.role, route.library = role, library  # read by the route table test
    return route


async def console_error(request: Request, exc: ConsoleError) -> Response:
    if wants_json(request):
        return JSONResponse({"error": {"message": exc.message}}, status_code=exc.status)
    return page(request, "error.html", status=exc.status, message=exc.message)


async def json_body(request: Request) -> dict:
    """A console API call's JSON object, or a clear 400."""
    visitor_lang = request.state.visitor.lang
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ConsoleError(400, translate(visitor_lang, "The request body must be a JSON object."))
    return body
