"""The care team's API for escalations: list them, acknowledge one (per-clinic bearer token).

An acknowledgement stops re-notification. Tokens are stored hashed in the clinic settings
(`alerts.ack_token_sha256`, set with `carebot clinic token CLINIC`).
"""
from __future__ import annotations

import hmac
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.clinics import token_hash
from bot.escalation.notify import alert_settings
from bot.escalation.outbox import Outbox
from bot.gateway.errors import ApiError
from bot.i18n import translate


def authorised_clinic(request: Request) -> dict:
    """The clinic named in the path, if the bearer token is that clinic's."""
    gateway = request.app.state.gateway
    clinic = gateway.stores.clinics.get(request.path_params["clinic"])
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    expected = alert_settings(clinic)["ack_token_sha256"] if clinic else None
    if not token or not expected or not hmac.compare_digest(token_hash(token), expected):
        raise ApiError(401, "unauthorized", translate("en", "A valid care-team token for this clinic is required."),
                       headers={"WWW-Authenticate": "Bearer"})
    return clinic


def public(escalation: dict, outbox: Outbox) -> dict:
    fields = ("id", "clinic", "conversation", "lang", "severity", "category", "temperature_c",
              "message", "reports", "created_at", "updated_at", "acknowledged_at", "acknowledged_by",
              "resolved_at", "renotified_at")
    view = {key: escalation[key] for key in fields}
    view.update(emergency=bool(escalation["emergency"]), categories=json.loads(escalation["categories"]),
                evidence=json.loads(escalation["evidence"]), deliveries=outbox.for_escalation(escalation["id"]))
    return view


async def list_escalations(request: Request) -> Response:
    clinic = authorised_clinic(request)
    escalations, outbox = request.app.state.gateway.stores.escalations, request.app.state.gateway.stores.outbox
    return JSONResponse({"escalations": [public(e, outbox) for e in escalations.list(clinic["id"])]})


async def acknowledge(request: Request) -> Response:
    clinic = authorised_clinic(request)
    escalations, outbox = request.app.state.gateway.stores.escalations, request.app.state.gateway.stores.outbox
    escalation_id = request.path_params["escalation_id"]
    escalation = escalations.get(escalation_id)
    if escalation is None or escalation["clinic"] != clinic["id"]:
        raise ApiError(404, "unknown_escalation", translate("en", "There is no such escalation for this clinic."))
    by = "care team"
    body = await request.body()
    if body:
        try:
            by = str(json.loads(body).get("by") or by)[:100]
        except (ValueError, AttributeError):
            raise ApiError(400, "invalid_json", translate("en", "The request body is not valid JSON.")) from None
    acknowledged = escalations.acknowledge(escalation_id, by)
    request.app.state.gateway.stores.content.log(f"care-team API: {by}", "acknowledge", f"escalation {escalation_id}")
    return JSONResponse(public(acknowledged, outbox))


escalation_routes = [
    Route("/api/clinics/{clinic}/escalations", list_escalations, methods=["GET"]),
    Route("/api/clinics/{clinic}/escalations/{escalation_id:int}/ack", acknowledge, methods=["POST"]),
]
