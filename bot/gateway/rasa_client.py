"""Talking to the Rasa servers' REST channel and health endpoints on loopback.

With several Rasa servers (RASA_SERVERS), a conversation goes to the same server each time
(its sender's hash picks it) while that server works; when it does not answer, the turn is sent
to the next one, and the failed server is passed over for a few seconds. Every server reads and
writes conversations in the one tracker store, under Rasa's Redis lock, so any of them can take
any turn. A turn retried after a server died mid-turn may reach the escalation action twice; the
escalation store merges a repeat report into the open escalation, so nobody is paged twice.
"""
from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from typing import Optional

import httpx

PASS_OVER_SECONDS = 5.0


class BackendDown(Exception):
    """Rasa or the action server did not give a usable reply."""


@dataclass
class Reply:
    messages: list
    meta: dict


@dataclass
class Server:
    """One Rasa server and the action server it calls, named as the runner names them
    (`rasa`/`actions`, then `rasa2`/`actions2`, …)."""
    suffix: str
    rasa_url: str
    actions_url: str
    passed_over_until: float = 0.0

    def name(self, part: str = "rasa") -> str:
        return part + self.suffix


def servers(rasa_urls: list[str], actions_urls: list[str]) -> list[Server]:
    return [Server(str(i + 1) if i else "", rasa, actions)
            for i, (rasa, actions) in enumerate(zip(rasa_urls, actions_urls))]


class RasaClient:
    def __init__(self, backends: list[Server], token: str, timeout: float = 30.0):
        self.backends, self.token = backends, token
        self.http = httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=100))

    def order(self, sender: str) -> list[Server]:
        """The conversation's own server first, then the others; recently failed ones last."""
        start = zlib.crc32(sender.encode()) % len(self.backends)
        turn = self.backends[start:] + self.backends[:start]
        now = time.monotonic()
        return sorted(turn, key=lambda server: server.passed_over_until > now)

    async def chat(self, sender: str, message: str, metadata: dict) -> Reply:
        problems = []
        for server in self.order(sender):
            try:
                return await self._chat(server, sender, message, metadata)
            except BackendDown as exc:
                server.passed_over_until = time.monotonic() + PASS_OVER_SECONDS
                problems.append(f"{server.name()}: {exc}")
        raise BackendDown("; ".join(problems))

    async def _chat(self, server: Server, sender: str, message: str, metadata: dict) -> Reply:
        try:
            response = await self.http.post(
                f"{server.rasa_url}/webhooks/gateway/webhook", params={"token": self.token},
                json={"sender": sender, "message": message, "metadata": metadata})
        except httpx.HTTPError as exc:
            raise BackendDown(repr(exc)) from exc
        if response.status_code != 200:
            raise BackendDown(f"answered {response.status_code}")
        return shape_reply(response.json())

    async def not_ready(self) -> list[str]:
        """The parts that are not ready (`rasa`: no model loaded, `actions`; `rasa2`, `actions2`
        … with several servers) when no server with its action server is ready; empty when at
        least one can take turns."""
        missing = []
        for server in self.backends:
            down = await self._not_ready(server)
            if not down:
                return []
            missing += down
        return missing

    async def _not_ready(self, server: Server) -> list[str]:
        missing = []
        try:
            status = await self.http.get(f"{server.rasa_url}/status", params={"token": self.token}, timeout=3)
            if status.status_code != 200 or not status.json().get("model_file"):
                missing.append(server.name())
        except httpx.HTTPError:
            missing.append(server.name())
        try:
            health = await self.http.get(f"{server.actions_url}/health", timeout=3)
            if health.status_code != 200:
                missing.append(server.name("actions"))
        except httpx.HTTPError:
            missing.append(server.name("actions"))
        return missing

    async def close(self) -> None:
        await self.http.aclose()


def shape_reply(items: list) -> Reply:
    """Rasa's list of bot messages → the chat API's `messages` + `meta`.

    Rasa's REST channel cuts every text at blank lines into separate items; consecutive text
    items are joined back into one message, and an item with buttons closes that message.
    The actions end every turn with a `custom` item holding the meta. Without it the action
    server failed, and a turn with no meta must not reach a family as if it were an answer.
    """
    messages: list = []
    meta: Optional[dict] = None
    parts: list[str] = []
    for item in items:
        if isinstance(item.get("custom"), dict) and "meta" in item["custom"]:
            meta = item["custom"]["meta"]
            continue
        if item.get("text"):
            parts.append(item["text"])
        if item.get("buttons"):
            messages.append({"text": "\n\n".join(parts), "buttons": [
                {"title": b.get("title"), "payload": b.get("payload")} for b in item["buttons"]]})
            parts = []
    if parts:
        messages.append({"text": "\n\n".join(parts)})
    if meta is None or not messages:
        raise BackendDown("no reply from the action server")
    return Reply(messages, meta)
