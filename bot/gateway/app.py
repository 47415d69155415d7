"""The ASGI app: the public chat API in front of Rasa, which stays on loopback."""
from __future__ import annotations

import hashlib
import ipaddress
import logging
from contextlib import asynccontextmanager
from typing import Dict, Optional, Union

from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.analytics.chat_log import log_turn
from bot.answers import meta
from bot.console.app import console_routes
from bot.console.guard import ConsoleError, console_error
from bot.conversations import CONFIRM_FORGET, KEEP_CONVERSATION, conversation_id
from bot.gateway.errors import ApiError
from bot.gateway.conversations import conversation_routes
from bot.gateway.escalation_status import status_routes
from bot.gateway.escalations import escalation_routes
from bot.gateway.headers import SecurityHeaders
from bot.gateway.widget import widget_routes
from bot.gateway.rasa_client import BackendDown, RasaClient, servers
from bot.gateway.ratelimit import SlidingWindowLimiter, parse_limits
from bot.gateway.shared_ratelimit import TIMEOUT_SECONDS, SharedSlidingWindowLimiter, shared_limiters
from bot.gateway.validation import (MAX_BODY_BYTES, ChatRequest, check_content_type,
                                    parse_chat_request, too_large)
from bot.i18n import sentences, translate
from bot.language import reply_language
from bot.redflags.lexicon_store import shared_detector
from bot.redis_url import parse_redis_url
from bot.settings import Settings, load_settings
from bot.stores import Stores

log = logging.getLogger("carebot.gateway")


class Gateway:
    """Holds what the routes share: clinic settings, the Rasa client, the rate limiters."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.stores = Stores(settings)
        self.rasa = RasaClient(servers(settings.rasa_urls, settings.actions_urls), settings.rasa_token)
        limits = parse_limits(settings.rate_limit)
        self.redis: Optional[Redis] = None
        self.limiters: Dict[str, Union[SlidingWindowLimiter, SharedSlidingWindowLimiter]] = {
            name: SlidingWindowLimiter(*limit) for name, limit in limits.items()}
        if settings.redis_url:  # every gateway counts in one budget, not each in its own memory
            self.redis = parse_redis_url(settings.redis_url).client(TIMEOUT_SECONDS)
            self.limiters = dict(shared_limiters(self.redis, limits))

    def clinic(self, clinic_id: Optional[str], lang: str) -> dict:
        clinic = self.stores.clinics.recent(clinic_id or self.settings.default_clinic)
        if clinic is None:
            raise ApiError(404, "unknown_clinic", translate(lang, "There is no clinic with this id."))
        return clinic

    def check_origin(self, request: Request, clinic: dict, lang: str) -> dict:
        """CORS headers for an allowed browser origin; other origins are refused outright."""
        origin = request.headers.get("origin")
        if origin is None or origin == f"{request.url.scheme}://{request.url.netloc}":
            return {}  # not a browser, or the gateway's own demo page
        if origin not in clinic.get("allowed_origins", []):
            raise origin_refused(lang)
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}

    async def check_rate(self, chat: ChatRequest, clinic: dict, address: str) -> None:
        keys = {"sender": conversation_id(clinic["id"], chat.sender), "address": address}
        for name, limiter in self.limiters.items():
            if isinstance(limiter, SharedSlidingWindowLimiter):
                wait = await limiter.check(keys[name])
            else:
                wait = limiter.check(keys[name])
            if wait is not None:
                raise ApiError(429, "rate_limited", rate_limited_message(chat, clinic, wait),
                               headers={"Retry-After": str(wait)})

    def unavailable(self, clinic: dict, lang: str) -> ApiError:
        return ApiError(503, "unavailable", translate(
            lang, "The assistant is not available right now. If you are worried about your "
                  "child, call the care team on {phone}. In an emergency, call {emergency}.",
            phone=clinic["phone_24h"], emergency=clinic["emergency_number"]))


def source_of(clinic: dict, address: str) -> Optional[str]:
    """Where a message came from, hashed: enough to merge a flood of reports from one address,
    no more. None on loopback: behind a local proxy every family has the proxy's address."""
    try:
        if ipaddress.ip_address(address).is_loopback:
            return None
    except ValueError:
        return None
    return hashlib.sha256(f"{clinic['id']}:{address}".encode()).hexdigest()[:16]


def rate_limited_message(chat: ChatRequest, clinic: dict, wait: int) -> str:
    """In the message's own language; a message that names a warning sign still gets the
    numbers to call now (the detector runs here too: it needs no Rasa)."""
    lang = reply_language(chat.message, chat.lang) or "en"
    text = translate(lang, "Too many messages. Please wait {seconds} seconds.", seconds=wait)
    flags = shared_detector().assess(chat.message, float(clinic.get("fever_threshold_c", 38.0)))
    if flags.status:
        return sentences(lang, text, translate(lang, "If this is about your child now, call the care team now on "
                                                     "{phone}. In an emergency, call {emergency}.",
                                               phone=clinic["phone_24h"], emergency=clinic["emergency_number"]))
    return sentences(lang, text, translate(lang, "If you are worried about your child, call the care team on {phone}.",
                                           phone=clinic["phone_24h"]))


def origin_refused(lang: str) -> ApiError:
    return ApiError(403, "origin_not_allowed",
                    translate(lang, "This website is not allowed to use this clinic's assistant."))


async def read_body(request: Request) -> bytes:
    """The body, refusing anything over the limit without reading it all into memory."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large()
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_large()
    return body


async def chat(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    check_content_type(request.headers.get("content-type", ""))
    chat_request = parse_chat_request(await read_body(request))
    lang = chat_request.lang or "en"
    clinic = gateway.clinic(chat_request.clinic, lang)
    request.state.clinic, request.state.lang = clinic, lang  # for the error handler, if it comes to that
    cors = gateway.check_origin(request, clinic, lang)
    address = request.client.host if request.client else "unknown"
    await gateway.check_rate(chat_request, clinic, address)
    if chat_request.message in (CONFIRM_FORGET, KEEP_CONVERSATION):
        return JSONResponse(forget_reply(gateway, clinic, chat_request), headers=cors)
    conversation = conversation_id(clinic["id"], chat_request.sender)
    metadata = {"clinic": clinic["id"], "lang": chat_request.lang,
                "fever_threshold_c": clinic.get("fever_threshold_c", 38.0),
                "source": source_of(clinic, address)}
    try:
        reply = await gateway.rasa.chat(conversation, chat_request.message, metadata)
    except BackendDown as exc:
        log.warning("backend down: %s", exc)
        raise gateway.unavailable(clinic, lang) from None
    log_turn(gateway.stores.db, clinic["id"], conversation, reply.meta)
    return JSONResponse({"messages": reply.messages, "meta": reply.meta}, headers=cors)


def forget_reply(gateway: Gateway, clinic: dict, chat: ChatRequest) -> dict:
    """The answer to "forget me"'s buttons, given here and not by Rasa: a turn through Rasa
    would store the conversation again right after deleting it."""
    lang = chat.lang or "en"
    if chat.message == KEEP_CONVERSATION:
        text = translate(lang, "Nothing was deleted.")
    elif gateway.stores.conversations.forget(conversation_id(clinic["id"], chat.sender)):
        text = translate(lang, "Your conversation has been deleted.")
    else:
        text = translate(lang, "Nothing is stored about this conversation.")
    return {"messages": [{"text": text}], "meta": meta("chitchat", lang)}


async def chat_preflight(request: Request) -> Response:
    """CORS preflight: the clinic is in the body, which a preflight lacks, so any clinic's
    origin passes here and the POST itself is checked against its own clinic."""
    gateway: Gateway = request.app.state.gateway
    origin = request.headers.get("origin", "")
    if not any(origin in c.get("allowed_origins", []) for c in gateway.stores.clinics.all()):
        raise origin_refused("en")
    return Response(status_code=204, headers={
        "Access-Control-Allow-Origin": origin, "Vary": "Origin",
        "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600"})


async def healthz(request: Request) -> Response:
    not_ready = await request.app.state.gateway.rasa.not_ready()
    if not_ready:
        return JSONResponse({"status": "unavailable", "not_ready": not_ready}, status_code=503)
    return JSONResponse({"status": "ok"})


async def api_error(request: Request, exc: ApiError) -> Response:
    return exc.response()


async def http_error(request: Request, exc: HTTPException) -> Response:
    if request.url.path.startswith("/console"):  # a nurse's browser: a page, not JSON
        return await console_error(request, ConsoleError(exc.status_code, str(exc.detail)))
    codes = {404: "not_found", 405: "method_not_allowed"}
    return ApiError(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail)).response()


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """A bug: log it for us, give the family the care team's number, never a traceback."""
    log.exception("unexpected error on %s", request.url.path)
    gateway: Gateway = request.app.state.gateway
    clinic = getattr(request.state, "clinic", None) or gateway.stores.clinics.get(gateway.settings.default_clinic) \
        or {"phone_24h": "", "emergency_number": ""}
    return gateway.unavailable(clinic, getattr(request.state, "lang", "en")).response()


def create_app(settings: Optional[Settings] = None) -> Starlette:
    gateway = Gateway(settings or load_settings())

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        await gateway.rasa.close()
        if gateway.redis is not None:
            await gateway.redis.close(close_connection_pool=True)

    app = Starlette(
        routes=[
            Route("/api/chat", chat, methods=["POST"]),
            Route("/api/chat", chat_preflight, methods=["OPTIONS"]),
            Route("/healthz", healthz, methods=["GET"]),
            *escalation_routes,
            *status_routes,
            *conversation_routes,
            *widget_routes,
            *console_routes,
        ],
        exception_handlers={ApiError: api_error, ConsoleError: console_error, HTTPException: http_error, Exception: unexpected_error},
        middleware=[Middleware(SecurityHeaders, https=gateway.settings.secure_cookies)],
        lifespan=lifespan,
    )
    app.state.gateway = gateway
    app.state.console = gateway.stores  # the console pages use the same stores
    return app
