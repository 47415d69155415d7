"""What the care team is sent for an escalation, and to whom (from the clinic's settings)."""
from __future__ import annotations

import json

from bot.escalation.outbox import Outbox

DEFAULT_ALERTS = {"webhook_url": None, "webhook_secret": None, "email_to": None,
                  "escalation_email": None, "renotify_minutes": 15.0,
                  "repeat_window_minutes": 30.0, "confirm_seconds": 4.0, "ack_token_sha256": None}


def alert_settings(clinic: dict) -> dict:
    return {**DEFAULT_ALERTS, **(clinic.get("alerts") or {})}


def payload(escalation: dict, clinic: dict, kind: str) -> dict:
    """The webhook body (the e-mail carries the same facts as text)."""
    return {"type": "escalation", "kind": kind, "id": escalation["id"], "clinic": clinic["id"],
            "severity": escalation["severity"], "emergency": bool(escalation["emergency"]),
            "categories": json.loads(escalation["categories"]),
            "evidence": json.loads(escalation["evidence"]), "temperature_c": escalation["temperature_c"],
            "message": escalation["message"], "reports": escalation["reports"],
            "conversation": escalation["conversation"], "lang": escalation["lang"],
            "created_at": escalation["created_at"]}


def email(body: dict, clinic: dict) -> dict:
    prefix = {"alert": "", "update": "UPDATE ", "renotify": "NOT ACKNOWLEDGED "}[body["kind"]]
    subject = (f"[{body['severity'].upper()}] {prefix}Escalation #{body['id']}: "
               f"{', '.join(body['categories'])} ({clinic['name']['en']})")
    lines = [f"{key}: {value}" for key, value in body.items() if key not in ("type",)]
    text = ("A family reported a warning sign through the assistant.\n"
            "Acknowledge it to stop re-notification.\n\n" + "\n".join(lines) + "\n")
    return {"subject": subject, "text": text}


def enqueue_alerts(outbox: Outbox, escalation: dict, clinic: dict, kind: str) -> list[int]:
    """Queue the notifications for one escalation; returns the outbox row ids (maybe none)."""
    alerts, body, ids = alert_settings(clinic), payload(escalation, clinic, kind), []
    if alerts["webhook_url"]:
        ids.append(outbox.enqueue(escalation["id"], "webhook", alerts["webhook_url"], kind, body))
    # A re-notification goes to the escalation contact when the clinic has one.
    recipient = (kind == "renotify" and alerts["escalation_email"]) or alerts["email_to"]
    if recipient:
        ids.append(outbox.enqueue(escalation["id"], "email", recipient, kind, email(body, clinic)))
    return ids
