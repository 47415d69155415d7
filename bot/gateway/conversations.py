"""A family's own conversation through the public API: export it, or delete it.

`GET /api/chat/conversations/{sender}?clinic=C` returns what is stored (200) or 404;
`DELETE` forgets it (204) or 404 (bot/conversations.py says what is deleted and what is kept).
The sender id is the widget's random conversation id: knowing it is what makes it yours, as for
`POST /api/chat`. Browsers may call it only from the clinic's allowed origins.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.conversations import conversation_id
from bot.gateway.errors import ApiError
from bot.gateway.validation import SENDER
from bot.i18n import translate


def _target(request: Request) -> tuple[dict, str, dict]:
    """(clinic, conversation id, CORS headers) named by the request; 404 for what is not there."""
    gateway = request.app.state.gateway
    clinic = gateway.clinic(request.query_params.get("clinic"), "en")
    cors = gateway.check_origin(request, clinic, "en")
    sender = request.path_params["sender"]
    if not SENDER.match(sender):
        raise not_found()
    return clinic, conversation_id(clinic["id"], sender), cors


def not_found() -> ApiError:
    return ApiError(404, "unknown_conversation", translate("en", "Nothing is stored for this conversation."))


async def show(request: Request) -> Response:
    gateway = request.app.state.gateway
    clinic, conversation, cors = _target(request)
    stored = await gateway.stores.conversations.export(conversation)
    if stored is None:
        raise not_found()
    return JSONResponse({"clinic": clinic["id"], "sender": request.path_params["sender"], **stored},
                        headers={**cors, "Cache-Control": "no-store"})


async def delete(request: Request) -> Response:
    gateway = request.app.state.gateway
    clinic, conversation, cors = _target(request)
    if not gateway.stores.conversations.forget(conversation):
        raise not_found()
    return Response(status_code=204, headers=cors)


async def preflight(request: Request) -> Response:
    gateway = request.app.state.gateway
    clinic = gateway.clinic(request.query_params.get("clinic"), "en")
    cors = gateway.check_origin(request, clinic, "en")
    return Response(status_code=204, headers={**cors, "Access-Control-Allow-Methods": "GET, DELETE",
                                              "Access-Control-Max-Age": "600"})


conversation_routes = [
    Route("/api/chat/conversations/{sender}", show, methods=["GET"]),
    Route("/api/chat/conversations/{sender}", delete, methods=["DELETE"]),
    Route("/api/chat/conversations/{sender}", preflight, methods=["OPTIONS"]),
]
