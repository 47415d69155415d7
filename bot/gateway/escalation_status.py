"""What a family may know about its own alert: did a nurse see it (issue 17).

`GET /api/chat/escalations/{id}?sender=S[&tz=Area/City]` is public, and answers only the
conversation that raised the alert (anyone else gets the same 404 as for no alert at all). The
`message` is in the conversation's language and names no one: "Update: a nurse saw your message
at 02:14" (an update: the reply before it may have said that nobody was reached yet); "call now"
while no page about it has reached the care team (the outbox says which were delivered), or once
the clinic's `confirm_minutes` have passed with nobody acknowledging. It never says more than the
record does.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import zoneinfo
from typing import Optional

from babel.dates import format_time
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import clock
from bot.conversations import conversation_id
from bot.escalation.notify import alert_settings
from bot.escalation.outbox import Outbox
from bot.gateway.errors import ApiError
from bot.gateway.validation import SENDER
from bot.i18n import BABEL_LOCALE, sentences, translate
from bot.redflags.lexicon_store import shared_detector
from bot.redflags.lexicon import CATEGORY_NAMES
from bot.settings import LANGUAGES

OPEN, ACKNOWLEDGED, RESOLVED = "open", "acknowledged", "resolved"
log = logging.getLogger(__name__)


def status_of(escalation: dict) -> str:
    if escalation["resolved_at"]:
        return RESOLVED
    return ACKNOWLEDGED if escalation["acknowledged_at"] else OPEN


def overdue(escalation: dict, clinic: Optional[dict]) -> bool:
    """Open, and nobody acknowledged it within the clinic's `confirm_minutes`."""
    minutes = float(alert_settings(clinic or {})["confirm_minutes"])
    created = dt.datetime.fromisoformat(escalation["created_at"])
    return status_of(escalation) == OPEN and clock.now() - created >= dt.timedelta(minutes=minutes)


def local_time(iso: str, lang: str, zone: Optional[zoneinfo.ZoneInfo]) -> str:
    """`02:14` in the family's time zone (or `02:14 UTC` when the widget did not say which)."""
    moment = dt.datetime.fromisoformat(iso)
    text = format_time(moment.astimezone(zone or dt.timezone.utc), format="short", locale=BABEL_LOCALE[lang])
    return text if zone else f"{text} UTC"


def conversation_language(escalation: dict) -> str:
    return escalation["lang"] if escalation["lang"] in LANGUAGES else "en"


def call_now(escalation: dict, clinic: Optional[dict], alerted: bool) -> bool:
    """Open, and either no page about it reached the care team (no alert target, a page that is
    still failing, a flood's one summary page sent for another report) or nobody acknowledged it
    in time: the family is told to call."""
    return status_of(escalation) == OPEN and (not alerted or overdue(escalation, clinic))


def page_delivered(outbox: Outbox, escalation: dict) -> bool:
    """Has a page about this alert reached the care team? When the outbox cannot be read, no:
    the family is told to call rather than that a nurse will see it."""
    try:
        return outbox.delivered_for(escalation["id"])
    except Exception:  # noqa: BLE001 - a storage error must not turn into "waiting for a nurse"
        log.exception("could not read the outbox for escalation %s", escalation["id"])
        return False


def status_message(escalation: dict, clinic: Optional[dict], zone: Optional[zoneinfo.ZoneInfo],
                   alerted: bool) -> str:
    """`alerted`: a page about this alert was delivered to the care team (the outbox says so)."""
    lang = conversation_language(escalation)
    status = status_of(escalation)
    if status == OPEN:
        if not alerted:
            return translate(lang, "I have not been able to alert the care team about this message. "
                                   "Please call them now.")
        if overdue(escalation, clinic):
            return translate(lang, "No one has confirmed yet. Call now.")
        return translate(lang, "Your message is waiting for a nurse. No one has confirmed yet: "
                               "if you are worried, call now.")
    seen = translate(lang, "Update: a nurse saw your message at {time}.",
                     time=local_time(escalation["acknowledged_at"], lang, zone))
    if status == RESOLVED:
        return sentences(lang, seen, translate(lang, "The care team has closed this alert. Call them if you are still worried."))
    return seen


def time_zone(request: Request, lang: str) -> Optional[zoneinfo.ZoneInfo]:
    name = request.query_params.get("tz")
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ApiError(400, "invalid_tz", translate(lang, "tz must be a time zone name such as Asia/Shanghai.")) from None


def handover(escalation: dict, zone: Optional[zoneinfo.ZoneInfo]) -> dict:
    """For the phone call ("Show to the nurse"): what was reported, when, the temperature and
    the first aid given, in both languages side by side, whichever language the family wrote in."""
    lexicon = shared_detector().lexicon
    categories = json.loads(escalation["categories"])
    return {
        "said": escalation["message"], "said_lang": escalation["lang"],
        "temperature_c": escalation["temperature_c"],
        **{lang: {"at": local_time(escalation["created_at"], lang, zone),
                  "signs": [translate(lang, CATEGORY_NAMES[c]) for c in categories if c in CATEGORY_NAMES],
                  "advice": lexicon.first_aid_advice(categories, lang)}
           for lang in LANGUAGES},
    }


async def escalation_status(request: Request) -> Response:
    gateway = request.app.state.gateway
    sender = request.query_params.get("sender", "")
    escalation = gateway.stores.escalations.get(request.path_params["escalation_id"]) if SENDER.match(sender) else None
    if escalation is None or escalation["conversation"] != conversation_id(escalation["clinic"], sender):
        raise ApiError(404, "unknown_escalation", translate("en", "There is no such alert for this conversation."))
    clinic = gateway.stores.clinics.get(escalation["clinic"])
    lang = conversation_language(escalation)
    zone = time_zone(request, lang)
    alerted = page_delivered(gateway.stores.outbox, escalation)
    return JSONResponse({
        "status": status_of(escalation), "acknowledged_at": escalation["acknowledged_at"],
        "call_now": call_now(escalation, clinic, alerted), "message": status_message(escalation, clinic, zone, alerted),
        "lang": lang, "handover": handover(escalation, zone),
    }, headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})


status_routes = [Route("/api/chat/escalations/{escalation_id:int}", escalation_status, methods=["GET"])]
