"""How a notification reaches the care team: a signed webhook, or an e-mail over SMTP.

Each `send_*` returns normally only when the other side confirmed receipt (HTTP 2xx from the
intended host, SMTP accepted); anything else raises DeliveryError with a short category ("timed
out", "HTTP 503"), never the exception's text: it is shown to nurses and in the care-team API,
and must not reveal internal hosts or ports.

Webhooks go only to public https addresses, checked when sent: never to loopback, private,
link-local (cloud metadata) or other reserved ranges, so a clinic setting cannot make the
service call itself or its neighbours. `CAREBOT_WEBHOOK_ALLOW_LOOPBACK=1` (tests only) allows
http://127.0.0.1.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import smtplib
import socket
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

import httpx

WEBHOOK_TIMEOUT_SECONDS = 5.0
SMTP_TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Carebot-Signature"
TIMESTAMP_HEADER = "X-Carebot-Timestamp"
ALLOW_LOOPBACK_ENV = "CAREBOT_WEBHOOK_ALLOW_LOOPBACK"


class DeliveryError(Exception):
    """A short category of why a delivery failed (safe to show)."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`, so a captured request cannot be replayed later."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def check_webhook_target(url: str) -> None:
    """Refuse a URL that is not https to a public address (resolved now, as it will be used)."""
    parts = urlsplit(url)
    loopback_ok = os.environ.get(ALLOW_LOOPBACK_ENV) == "1"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise DeliveryError("not an http(s) URL")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (socket.gaierror, UnicodeError):
        raise DeliveryError("host not found") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if loopback_ok and ip.is_loopback:
            continue
        if not ip.is_global:
            raise DeliveryError("refused address (not public)")
    if parts.scheme == "http" and not loopback_ok:
        raise DeliveryError("refused: webhooks must use https")


def send_webhook(url: str, secret: str, payload: dict, idempotency_key: str) -> None:
    if not secret:
        raise DeliveryError("no webhook secret configured")  # never sign with an empty key
    check_webhook_target(url)
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
               SIGNATURE_HEADER: signature(secret, timestamp, body), "Idempotency-Key": idempotency_key}
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT_SECONDS,
                              follow_redirects=False)
    except httpx.TimeoutException:
        raise DeliveryError("timed out") from None
    except httpx.ConnectError:
        raise DeliveryError("could not connect") from None
    except httpx.HTTPError:
        raise DeliveryError("network error") from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code}")


def send_email(to: str, subject: str, text: str, idempotency_key: str) -> None:
    host = os.environ.get("CAREBOT_SMTP_HOST", "127.0.0.1")
    port = int(os.environ.get("CAREBOT_SMTP_PORT", "25"))
    message = EmailMessage()
    try:
        message["From"] = os.environ.get("CAREBOT_SMTP_FROM", "carebot@localhost")
        message["To"] = to
        message["Subject"] = " ".join(subject.split())  # no line breaks in a header, whatever a name holds
        message["X-Carebot-Notification"] = idempotency_key
        message.set_content(text)
    except (ValueError, TypeError):
        raise DeliveryError("invalid message") from None
    try:
        with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused:
        raise DeliveryError("recipient refused") from None
    except smtplib.SMTPException:
        raise DeliveryError("mail server error") from None
    except (socket.timeout, TimeoutError):
        raise DeliveryError("timed out") from None
    except OSError:
        raise DeliveryError("could not connect") from None
