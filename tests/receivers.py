"""Real notification receivers on loopback: an HTTP webhook endpoint and an SMTP server."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from bot.escalation.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature


class WebhookReceiver:
    """Checks every request's HMAC signature; can be stopped and started on the same port."""

    def __init__(self, port: int, secret: str):
        self.port, self.secret = port, secret
        self.received: list[dict] = []     # verified deliveries, with their idempotency keys
        self.rejected = 0
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/alerts"

    def start(self) -> "WebhookReceiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                expected = signature(receiver.secret, self.headers.get(TIMESTAMP_HEADER, ""), body)
                if self.headers.get(SIGNATURE_HEADER) != expected:
                    receiver.rejected += 1
                    self.send_response(401)
                else:
                    receiver.received.append({"key": self.headers.get("Idempotency-Key"),
                                              "body": json.loads(body)})
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.allow_reuse_address = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class MailReceiver:
    """aiosmtpd on loopback, keeping every message it accepts; the addresses in `full` are
    refused as a full mailbox is."""

    def __init__(self, port: int, full: frozenset = frozenset()):
        self.messages: list[dict] = []
        receiver = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in full:
                    return "552 mailbox full"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                receiver.messages.append({"to": envelope.rcpt_tos,
                                          "content": envelope.content.decode("utf-8", "replace")})
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def start(self) -> "MailReceiver":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
