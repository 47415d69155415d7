"""How a notification reaches the care team: a signed webhook, or an e-mail over SMTP.

Each `send_*` returns normally only when the other side confirmed receipt (HTTP 2xx from the
intended host, SMTP accepted); anything else raises DeliveryError with a short category ("timed
out", "HTTP 503"), never the exception's text: it is shown to nurses and in the care-team API,
and must not reveal internal hosts or ports.

Webhooks go only to public https addresses, checked when sent: never to loopback, private,
link-local (cloud metadata) or other reserved ranges, so a clinic setting cannot make the
service call itself or its neighbours. `CAREBOT_WEBHOOK_ALLOW_LOOPBACK=1` (tests only) allows
http://127.0.0.1. Clinic settings refuse at save what the URL alone shows to break this rule
(`check_webhook_url`).
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
from urllib.parse import SplitResult, urlsplit

import httpx

WEBHOOK_TIMEOUT_SECONDS = 5.0
SMTP_TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-Carebot-Signature"
TIMESTAMP_HEADER = "X-Carebot-Timestamp"
ALLOW_LOOPBACK_ENV = "CAREBOT_WEBHOOK_ALLOW_LOOPBACK"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class DeliveryError(Exception):
    """A short category of why a delivery failed (safe to show)."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`, so a captured request cannot be replayed later."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def check_webhook_url(url: str) -> SplitResult:
    """The part of the rule the URL alone decides: an http(s) URL whose host, when written as an
    address or `localhost`, is allowed, and https (http only to loopback, with the tests' switch).

    Saving clinic settings checks this (bot.clinics), so a webhook that can never deliver is
    refused then; a host name is not resolved at save time (what it resolves to may change, and
    a save must not depend on DNS): its addresses are checked every time an alert is sent."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise DeliveryError("not an http(s) URL")
    written = written_address(parts.hostname)
    check_addresses(parts.scheme, [] if written is None else [written])
    return parts


def check_webhook_target(url: str) -> None:
    """Refuse a URL that is not https to a public address (resolved now, as it will be used)."""
    parts = check_webhook_url(url)
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (socket.gaierror, UnicodeError):
        raise DeliveryError("host not found") from None
    check_addresses(parts.scheme, [ipaddress.ip_address(address.split("%")[0]) for address in addresses])


def written_address(host: str) -> IPAddress | None:
    """The address a host stands for without asking DNS: an IP address, or loopback for
    `localhost` (RFC 6761: never anything else); None for any other name."""
    if host.rstrip(".") == "localhost" or host.rstrip(".").endswith(".localhost"):
        return ipaddress.ip_address("127.0.0.1")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


def check_addresses(scheme: str, addresses: list[IPAddress]) -> None:
    """Every address public (loopback too with the tests' switch); plain http only when the
    switch is on and every address is loopback (`addresses` empty: not known yet, so not)."""
    loopback_ok = os.environ.get(ALLOW_LOOPBACK_ENV) == "1"
    for ip in addresses:
        if not (ip.is_global or (loopback_ok and ip.is_loopback)):
            raise DeliveryError("refused address (not public)")
    if scheme == "http" and not (loopback_ok and addresses and all(ip.is_loopback for ip in addresses)):
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
