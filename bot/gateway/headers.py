"""Security headers on every gateway response (an ASGI middleware, so no route can forget them).

- `nosniff` everywhere; a Content-Security-Policy on the demo page and on widget.js (console
  pages set their own, stricter one);
- `Cache-Control: no-store` on API answers, which carry a family's words and replies, unless a
  route chose its own caching (the public widget-config);
- HSTS when the service runs behind HTTPS (`CAREBOT_SECURE_COOKIES=1`).
"""
from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEMO_PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data: https:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
                 "frame-ancestors 'self'")
SCRIPT_CSP = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, https: bool = False):
        self.app, self.https = app, https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if path == "/":
                    headers.setdefault("Content-Security-Policy", DEMO_PAGE_CSP)
                elif path == "/widget.js" or path.startswith("/widget/"):
                    headers.setdefault("Content-Security-Policy", SCRIPT_CSP)
                if path.startswith("/api/"):
                    headers.setdefault("Cache-Control", "no-store")
                if self.https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
