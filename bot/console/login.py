"""Logging in and out, and switching the console's language."""
from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.guard import COOKIE, console, console_route
from bot.console.render import console_lang, page
from bot.i18n import translate
from bot.settings import LANGUAGES

LOGIN_CSRF_COOKIE = "carebot_login_csrf"


def safe_next(target: str | None) -> str:
    """Only back into the console: never an open redirect to another site."""
    if target and target.startswith("/console") and "//" not in target and "\\" not in target:
        return target
    return "/console"


def login_page(request: Request, status: int = 200, **context) -> Response:
    """The form with a fresh double-submit CSRF token (there is no session yet to hold one)."""
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", status=status, login_csrf=token, **context)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/console/login")
    return response


async def login_form(request: Request) -> Response:
    out = request.query_params.get("logged_out") == "1"
    return login_page(request, next=safe_next(request.query_params.get("next")), error=None,
                      flash=out and translate(console_lang(request), "You have logged out."))


async def login(request: Request) -> Response:
    form = await request.form()
    username, password = str(form.get("username", ""))[:64], str(form.get("password", ""))[:256]
    address = request.client.host if request.client else "unknown"
    lang, store = console_lang(request), console(request)
    error = None
    sent, expected = str(form.get("csrf_token", "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(sent, expected):
        error = translate(lang, "This form has expired. Reload the page and try again.")
    elif (wait := store.accounts.wait_seconds(username, address)) > 0:
        error = translate(lang, "Too many failed attempts. Wait {seconds} seconds and try again.", seconds=wait)
        store.content.log(username, "login slowed", address, {"wait_seconds": wait})
    else:
        user = await store.accounts.authenticate_off_loop(username, password, address)
        if user is None:
            error = translate(lang, "That username and password do not match an active account.")
            store.content.log(username, "login failed", address)
    if error:
        return login_page(request, status=401, next=safe_next(form.get("next")), error=error,
                    username=username)
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    token = store.sessions.start(user.id, lang)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/console",
                        secure=store.secure_cookies or request.url.scheme == "https")
    store.content.log(user.username, "login", user.clinic, {"address": address})
    return response


async def logout(request: Request) -> Response:
    console(request).sessions.end(request.cookies.get(COOKIE, ""))
    lang = request.state.visitor.lang
    response = RedirectResponse(f"/console/login?lang={lang}&logged_out=1", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


async def set_language(request: Request) -> Response:
    form = await request.form()
    lang = form.get("lang") if form.get("lang") in LANGUAGES else "en"
    console(request).sessions.set_lang(request.state.visitor.session, lang)
    return RedirectResponse(safe_next(form.get("next")), status_code=303)


login_routes = [
    Route("/console/login", login_form, methods=["GET"]),
    Route("/console/login", login, methods=["POST"]),
    console_route("/console/logout", logout, methods=("POST",)),
    console_route("/console/language", set_language, methods=("POST",)),
]
