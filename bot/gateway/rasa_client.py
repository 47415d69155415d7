"""Talking to the Rasa server's REST channel and health endpoints on loopback."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import httpx


class BackendDown(Exception):
    """Rasa or the action server did not give a usable reply."""


@dataclass
class Reply:
    messages: list
    meta: dict


class RasaClient:
    def __init__(self, rasa_url: str, actions_url: str, token: str, timeout: float = 30.0):
        self.rasa_url, self.actions_url, self.token = rasa_url, actions_url, token
        self.http = httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=100))

    async def chat(self, sender: str, message: str, metadata: dict) -> Reply:
        try:
            response = await self.http.post(
                f"{self.rasa_url}/webhooks/gateway/webhook", params={"token": self.token},
                json={"sender": sender, "message": message, "metadata": metadata})
        except httpx.HTTPError as exc:
            raise BackendDown(f"rasa: {exc!r}") from exc
        if response.status_code != 200:
            raise BackendDown(f"rasa answered {response.status_code}")
        return shape_reply(response.json())

    async def not_ready(self) -> list[str]:
        """The parts that are not ready: `rasa` (no model loaded) and/or `actions`."""
        missing = []
        try:
            status = await self.http.get(f"{self.rasa_url}/status", params={"token": self.token}, timeout=3)
            if status.status_code != 200 or not status.json().get("model_file"):
                missing.append("rasa")
        except httpx.HTTPError:
            missing.append("rasa")
        try:
            health = await self.http.get(f"{self.actions_url}/health", timeout=3)
            if health.status_code != 200:
                missing.append("actions")
        except httpx.HTTPError:
            missing.append("actions")
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
