"""What the care team is sent for an escalation, and to whom (from the clinic's settings).

A flood (many new escalations for one clinic in a few minutes: an outbreak of worry, a script,
a bug) must not drown the team in pages, nor hide one report among sixty notifications: past
FLOOD_PAGES in FLOOD_MINUTES for a clinic, or SOURCE_FLOOD_PAGES from one address, each new
escalation is still recorded and listed in the queue, but the team gets one page per window
that says how many reports came in.
"""
from __future__ import annotations

import json

from bot.clinics import email_addresses
from bot.escalation.outbox import Outbox
from bot.escalation.store import EscalationStore

FLOOD_PAGES = 10          # per clinic, unless its settings say otherwise (`alerts.flood_pages`)
SOURCE_FLOOD_PAGES = 3    # per address: one family does not report many children at once
FLOOD_MINUTES = 10
DEFAULT_ALERTS = {"webhook_url": None, "webhook_secret": None, "email_to": None,
                  "escalation_email": None, "renotify_minutes": 15.0,
                  "repeat_window_minutes": 30.0, "confirm_seconds": 4.0, "confirm_minutes": 10.0, "ack_token_sha256": None,
                  "flood_pages": FLOOD_PAGES}


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
    prefix = {"alert": "", "update": "UPDATE ", "renotify": "NOT ACKNOWLEDGED ",
              "flood": f"{body.get('reports_in_window')} REPORTS IN {FLOOD_MINUTES} MIN, LATEST "}[body["kind"]]
    subject = (f"[{body['severity'].upper()}] {prefix}Escalation #{body['id']}: "
               f"{', '.join(body['categories'])} ({clinic['name']['en']})")
    lines = [f"{key}: {value}" for key, value in body.items() if key not in ("type",)]
    text = ("A family reported a warning sign through the assistant.\n"
            "Acknowledge it to stop re-notification.\n\n" + "\n".join(lines) + "\n")
    return {"subject": subject, "text": text}


def enqueue_new_alert(outbox: Outbox, escalations: EscalationStore, escalation: dict, clinic: dict) -> list[int]:
    """The page for a new escalation, or during a flood the window's one summary page. Returns
    the outbox rows that tell the team about this report: none when an earlier summary already
    went out (the report is in the queue, but no page was sent about it, so the family is told
    to call rather than that the team was alerted)."""
    recent = escalations.opened_since(clinic["id"], FLOOD_MINUTES)
    from_source = escalations.opened_since(clinic["id"], FLOOD_MINUTES, escalation.get("source")) \
        if escalation.get("source") else 0
    if recent <= alert_settings(clinic)["flood_pages"] and from_source <= SOURCE_FLOOD_PAGES:
        return enqueue_alerts(outbox, escalation, clinic, "alert")
    if outbox.recent_of_kind(clinic["id"], "flood", FLOOD_MINUTES):
        return []
    return enqueue_alerts(outbox, escalation, clinic, "flood", reports_in_window=recent)


def enqueue_alerts(outbox: Outbox, escalation: dict, clinic: dict, kind: str, **extra) -> list[int]:
    """Queue the notifications for one escalation; returns the outbox row ids (maybe none)."""
    alerts, body, ids = alert_settings(clinic), {**payload(escalation, clinic, kind), **extra}, []
    if alerts["webhook_url"]:
        ids.append(outbox.enqueue(escalation["id"], "webhook", alerts["webhook_url"], kind, body))
    # A re-notification goes to the escalation contacts when the clinic has them.
    recipients = (kind == "renotify" and alerts["escalation_email"]) or alerts["email_to"]
    for address in email_addresses(recipients):
        ids.append(outbox.enqueue(escalation["id"], "email", address, kind, email(body, clinic)))
    return ids
