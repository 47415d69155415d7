"""The gateway's channel into Rasa: Rasa's REST channel, but only for whoever holds the token.

Rasa listens on loopback only, yet anything else on the machine could otherwise post messages
as any conversation (and any intent) past the gateway's checks. The token is the one the
supervisor gives Rasa and the gateway (`CAREBOT_RASA_TOKEN`), compared in constant time.
"""
from __future__ import annotations

import hmac
import os
from typing import Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_ENV = "CAREBOT_RASA_TOKEN"


class GatewayInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "gateway"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        expected = os.environ.get(TOKEN_ENV, "")

        @webhook.middleware("request")
        async def require_token(request: Request) -> Optional[HTTPResponse]:
            sent = request.args.get("token") or ""
            if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
                return response.json({"error": "a valid token is required"}, status=401)
            return None

        return webhook
