"""A nurse's own account: change the password (the old one is asked again; every other session
of that nurse ends, and the change is in the audit log)."""
from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.console.accounts import MIN_PASSWORD, AccountError, describe_password_problem, prepare_password
from bot.console.guard import COOKIE, console, console_route
from bot.console.render import page
from bot.i18n import translate


async def account_form(request: Request) -> Response:
    flash = translate(request.state.visitor.lang, "Your password was changed.") \
        if request.query_params.get("changed") else None
    return page(request, "account.html", error=None, flash=flash, minimum=MIN_PASSWORD)


async def change_password(request: Request) -> Response:
    store, visitor = console(request), request.state.visitor
    form = await request.form()
    current, new, again = (str(form.get(k, ""))[:256] for k in ("current", "new", "again"))
    address = request.client.host if request.client else "unknown"
    error = None
    if await store.accounts.authenticate_off_loop(visitor.user.username, current, address) is None:
        error = translate(visitor.lang, "Your current password is not right.")
    elif new != again:
        error = translate(visitor.lang, "The two new passwords are not the same.")
    else:
        try:
            store.accounts.store_password(visitor.user.username, await asyncio.to_thread(prepare_password, new))
        except AccountError as exc:
            error = describe_password_problem(exc, visitor.lang)
    if error:
        return page(request, "account.html", status=400, error=error, flash=None, minimum=MIN_PASSWORD)
    keep = request.cookies.get(COOKIE, "")
    store.sessions.end_others(visitor.user.id, keep)
    store.content.log(visitor.user.username, "password changed", visitor.user.clinic, {"address": address})
    return RedirectResponse("/console/account?changed=1", status_code=303)


account_routes = [
    console_route("/console/account", account_form),
    console_route("/console/account", change_password, methods=("POST",)),
]
