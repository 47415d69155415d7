"""What clinics embed: widget.js, its public per-clinic config, and a demo page at `/`.

The script is served twice: at `/widget/{version}.js`, where the version is a hash of its
content, with a one-year immutable cache, so a returning family still has the widget (and its
call buttons) when the server cannot be reached; and at `/widget.js`, for embeds that prefer
a stable address, with a five-minute cache."""
from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.clinics import retention_days
from bot.gateway.errors import ApiError
from bot.gateway.validation import MAX_MESSAGE_CHARS
from bot.i18n import N_, translate
from bot.settings import LANGUAGES

HERE = Path(__file__).parent
DEFAULT_QUICK_TOPICS = ("pump_alarm", "fever", "bathing_showering", "common_side_effects", "contact_care_team")
DEFAULT_THEME = {"primary": "#0b5fa5"}


def theme_of(clinic: dict) -> dict:
    """The colours the widget uses for this clinic: its own, else the defaults."""
    return {**DEFAULT_THEME, **(clinic.get("theme") or {})}

_templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape())
SCRIPT = (HERE / "static" / "widget.js").read_bytes()
SCRIPT_VERSION = hashlib.sha256(SCRIPT).hexdigest()[:12]
SCRIPT_PATH = f"/widget/{SCRIPT_VERSION}.js"
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"


# The widget's interface text; the widget receives it in both languages with its config.
WIDGET_STRINGS = {
    "open": N_("Ask a question"),
    "call": N_("Call care team"),
    "switch_language": N_("Switch to Chinese"),  # the zh catalog says "switch to English"
    "clear": N_("Clear"),
    "close": N_("Close chat"),
    "conversation": N_("Conversation"),
    "typing": N_("The assistant is typing…"),
    "placeholder": N_("Type your question"),
    "message_label": N_("Your message"),
    "send": N_("Send"),
    "suggestions": N_("Common questions"),
    "welcome": N_("Hello! Ask me about the pump, side effects or warning signs. I give general "
                  "information and do not replace your child's care team. In an emergency, call "
                  "your emergency number."),
    "urgent": N_("Urgent"),
    "reviewed": N_("Reviewed"),
    "sources": N_("Sources"),
    "offline": N_("The assistant cannot be reached right now, so it cannot check for warning signs. "
                  "If you are worried about your child, call the care team on {phone}. In an "
                  "emergency, call {emergency}."),
    "retry": N_("Retry"),
    "not_sent": N_("Not sent"),
    "wait_for_answer": N_("Your last message is still on its way. Send this one when the answer has come. If it "
                          "is urgent, call the care team."),
    "privacy": N_("What is stored: your messages and the assistant's replies, for {days} days. The care "
                  "team can read them, and reads them when you report a warning sign. You can see or "
                  "delete them at any time from the menu."),
    "privacy_link": N_("Privacy notice"),
    "privacy_ok": N_("OK"),
    "menu": N_("Menu"),
    "my_data": N_("What is stored about me"),
    "delete_data": N_("Delete my conversation"),
    "delete_confirm": N_("Delete this conversation from the assistant's records? The care team keeps "
                         "any warning sign you reported, as a clinical record."),
    "deleted": N_("Your conversation has been deleted."),
    "nothing_stored": N_("Nothing is stored about this conversation."),
    "stored_summary": N_("Stored for this conversation: {turns} messages and replies, and {escalations} "
                         "warning-sign report(s). Conversations are kept for {days} days after the last "
                         "message."),
    "download": N_("Download a copy"),
    "handover": N_("Show to the nurse"),
    "handover_title": N_("For the nurse"),
    "handover_at": N_("Reported at"),
    "handover_said": N_("What the family wrote"),
    "handover_signs": N_("Warning signs"),
    "handover_temperature": N_("Temperature"),
    "handover_advice": N_("First aid the assistant gave"),
    "print": N_("Print"),
    "clear_confirm": N_("Clear this conversation? It cannot be undone."),
    "chars_left": N_("{left} characters left in this message."),
    "too_long": N_("This is {over} characters more than one message can hold. Send will send the first part "
                   "(up to {limit} characters, ending at a sentence or a word) and keep the rest here for your "
                   "next message."),
}


def widget_config(clinic: dict, articles) -> dict:
    """Public settings the widget needs: no alert targets, tokens or secrets."""
    quick = {lang: [] for lang in LANGUAGES}
    for topic in clinic.get("quick_topics") or DEFAULT_QUICK_TOPICS:
        article = articles.published(topic)
        for lang in LANGUAGES if article else ():
            quick[lang].append({"title": article[lang]["title"], "payload": '/faq{"topic": "%s"}' % topic})
    return {
        "clinic": clinic["id"], "name": clinic["name"], "day_hours": clinic["day_hours"],
        "phone_day": clinic["phone_day"], "phone_24h": clinic["phone_24h"],
        "emergency_number": clinic["emergency_number"],
        "theme": theme_of(clinic), "logo_url": clinic.get("logo_url"),
        "privacy_url": clinic.get("privacy_url"), "retention_days": retention_days(clinic),
        "max_message_chars": MAX_MESSAGE_CHARS,
        "strings": {lang: {key: translate(lang, text) for key, text in WIDGET_STRINGS.items()} for lang in LANGUAGES},
        "quick_replies": quick,
    }


async def config(request: Request) -> Response:
    gateway = request.app.state.gateway
    clinic = gateway.stores.clinics.get(request.path_params["clinic"])
    if clinic is None:
        raise ApiError(404, "unknown_clinic", translate("en", "There is no clinic with this id."))
    return JSONResponse(widget_config(clinic, gateway.stores.content),
                        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=60"})


async def script(request: Request) -> Response:
    """An old version's address gets today's script, briefly cached: never a stale one for a year."""
    current = request.path_params.get("version") == SCRIPT_VERSION
    return Response(SCRIPT, media_type="text/javascript",
                    headers={"Cache-Control": LONG_CACHE if current else SHORT_CACHE})


async def demo_page(request: Request) -> Response:
    clinic = request.app.state.gateway.settings.default_clinic
    return HTMLResponse(_templates.get_template("demo.html").render(clinic=clinic, script=SCRIPT_PATH))


widget_routes = [
    Route("/", demo_page, methods=["GET"]),
    Route("/widget.js", script, methods=["GET"]),
    Route("/widget/{version}.js", script, methods=["GET"]),
    Route("/api/clinics/{clinic}/widget-config", config, methods=["GET"]),
]
