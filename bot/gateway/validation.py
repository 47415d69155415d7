"""Validation of `POST /api/chat` at the boundary: every bad input gets a clear 4xx."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from bot.gateway.errors import ApiError
from bot.i18n import translate
from bot.settings import LANGUAGES

MAX_BODY_BYTES = 8 * 1024
MAX_MESSAGE_CHARS = 1000
SENDER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CLINIC = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
# The only messages that may name an intent: the buttons the widget and the console send.
BUTTON_PAYLOAD = re.compile(r'^/(?:confirm_report|deny_report|forget_me|confirm_forget|keep_conversation'
                            r'|faq\{"topic": ?"[a-z0-9_]{1,64}"\})$')
FULLWIDTH_SOLIDUS = "\uff0f"
SURROGATE = re.compile("[\ud800-\udfff]")  # a lone half of a UTF-16 pair is not text


@dataclass(frozen=True)
class ChatRequest:
    sender: str
    message: str
    clinic: Optional[str]
    lang: Optional[str]


def _bad(code: str, message: str, lang: str = "en", **values: object) -> ApiError:
    return ApiError(400, code, translate(lang, message, **values))


def check_content_type(content_type: str) -> None:
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       translate("en", "Send the request as JSON (Content-Type: application/json)."))


def too_large() -> ApiError:
    return ApiError(413, "body_too_large",
                    translate("en", "The request body can be at most {limit} bytes.", limit=MAX_BODY_BYTES))


def parse_chat_request(body: bytes) -> ChatRequest:
    """Turn the raw body into a ChatRequest or raise the ApiError the contract names."""
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad("invalid_json", "The request body is not valid JSON.") from None
    if not isinstance(doc, dict):
        raise _bad("invalid_json", "The request body must be a JSON object.")
    lang = doc.get("lang")
    if lang is not None and lang not in LANGUAGES:
        raise _bad("invalid_lang", "lang must be \"en\" or \"zh\".")
    ui = lang or "en"
    sender = doc.get("sender")
    if sender is None:
        raise _bad("missing_sender", "The field sender is required.", ui)
    if not isinstance(sender, str) or not SENDER.match(sender):
        raise _bad("invalid_sender", "sender must be 1 to 64 letters, digits, - or _.", ui)
    message = doc.get("message")
    if message is None:
        raise _bad("missing_message", "The field message is required.", ui)
    if not isinstance(message, str) or not message.strip() or SURROGATE.search(message):
        raise _bad("invalid_message", "message must be non-empty text.", ui)
    # The limit applies to the text as it will be read: "ⅷ" is one character that NFKC makes four.
    if len(unicodedata.normalize("NFKC", message.strip()[:MAX_MESSAGE_CHARS * 2])) > MAX_MESSAGE_CHARS:
        raise _bad("message_too_long", "Messages can be at most {limit} characters.", ui,
                   limit=MAX_MESSAGE_CHARS)
    clinic = doc.get("clinic")
    if clinic is not None and (not isinstance(clinic, str) or not CLINIC.match(clinic)):
        raise _bad("invalid_clinic", "clinic must be a clinic id.", ui)
    return ChatRequest(sender=sender, message=as_text_unless_button(message.strip()), clinic=clinic, lang=lang)


def as_text_unless_button(message: str) -> str:
    """Rasa reads any message that starts with "/" as an intent, skipping the red-flag detector
    ("/ my child is not breathing") or reaching built-in intents ("/restart"). Anything but an
    exact button payload is sent as text: its "/" becomes "／", which reads the same in the
    transcript and which the detector normalises back."""
    if message.startswith("/") and not BUTTON_PAYLOAD.match(message):
        return FULLWIDTH_SOLIDUS + message[1:]
    return message
