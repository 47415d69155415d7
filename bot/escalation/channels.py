"""How a notification reaches the care team: a signed webhook, or an e-mail over SMTP.

Each `send_*` returns normally only when the other side confirmed receipt (HTTP 2xx, SMTP
accepted); anything else raises DeliveryError and the outbox retries later.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import time
from email.message import EmailMessage

import httpx

WEBHOOK_TIMEOUT_SECONDS = 5.0
SMTP_TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Carebot-Signature"
TIMESTAMP_HEADER = "X-Carebot-Timestamp"


class DeliveryError(Exception):
    pass


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`, so a captured request cannot be replayed later."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def send_webhook(url: str, secret: str, payload: dict, idempotency_key: str) -> None:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
               SIGNATURE_HEADER: signature(secret, timestamp, body), "Idempotency-Key": idempotency_key}
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook: {type(exc).__name__}: {exc}") from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"webhook answered {response.status_code}")


def send_email(to: str, subject: str, text: str, idempotency_key: str) -> None:
    host = os.environ.get("CAREBOT_SMTP_HOST", "127.0.0.1")
    port = int(os.environ.get("CAREBOT_SMTP_PORT", "25"))
    message = EmailMessage()
    message["From"] = os.environ.get("CAREBOT_SMTP_FROM", "carebot@localhost")
    message["To"] = to
    message["Subject"] = subject
    message["X-Carebot-Notification"] = idempotency_key
    message.set_content(text)
    try:
        with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"smtp: {type(exc).__name__}: {exc}") from None
