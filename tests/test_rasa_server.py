"""Our Rasa server: the compiled validation of action-server replies behaves exactly like Rasa's
own; calls to the action server reuse their connection; a model reads a message in each language
as soon as it is loaded; only the gateway, with its token, can send it messages."""
from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import rasa.core.agent

from bot.rasa_server import (WARM_UP_MESSAGES, close_endpoint_sessions, compile_action_response_validation,
                             reuse_endpoint_sessions, warm_up_loaded_models)
from tests.stack import children_of, free_port

VALID = {"events": [{"event": "slot", "name": "language", "value": "zh"}],
         "responses": [{"text": "你好", "buttons": [], "custom": {"meta": {"kind": "chitchat"}}}]}
INVALID = {"events": [{"name": "language"}], "responses": []}  # an event without its type


def test_same_verdicts_as_rasa():
    action = RemoteAction("action_answer", EndpointConfig("http://127.0.0.1:1"))
    assert action._validate_action_result(VALID)
    with pytest.raises(ValidationError) as rasa_error:
        action._validate_action_result(INVALID)
    original = RemoteAction._validate_action_result
    compile_action_response_validation()
    try:
        assert action._validate_action_result(VALID)
        with pytest.raises(ValidationError) as ours:
            action._validate_action_result(INVALID)
        assert ours.value.message == rasa_error.value.message
    finally:
        RemoteAction._validate_action_result = original


def test_calls_to_an_endpoint_reuse_one_connection_and_survive_its_closing(monkeypatch):
    connections: list = []  # the server side of each request's connection

    async def webhook(request: web.Request) -> web.Response:
        connections.append(request.transport)
        n = (await request.json())["n"]
        return web.json_response({"echo": n}, headers={"Connection": "close"} if n == 2 else {})

    async def conversation() -> list:
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        try:
            answers = [await endpoint.request(json={"n": n}) for n in range(4)]  # the server closes after 2
            await asyncio.sleep(0.5)  # idle longer than this side keeps a connection
            answers.append(await endpoint.request(json={"n": 4}))
            return answers
        finally:
            await close_endpoint_sessions()
            await runner.cleanup()

    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.session)  # undone after the test
    monkeypatch.setattr("bot.rasa_server.KEEP_ALIVE_SECONDS", 0.2)
    reuse_endpoint_sessions()
    assert asyncio.run(conversation()) == [{"echo": n} for n in range(5)]
    first, _, closed, after_close, after_idle = connections
    assert connections[1] is first and closed is first  # one connection for three calls...
    assert after_close is not first and after_idle is not after_close  # ... then a new one each time


class LoadedAgent:
    """What `load_agent` hands back, as far as the warm-up uses it."""

    def __init__(self, ready: bool, broken: bool = False):
        self.ready, self.broken, self.read = ready, broken, []

    def is_ready(self) -> bool:
        return self.ready

    async def parse_message(self, text: str) -> dict:
        if self.broken:
            raise ValueError("this model cannot read")
        self.read.append(text)
        return {}


@pytest.mark.parametrize("agent, read", [(LoadedAgent(True), list(WARM_UP_MESSAGES)), (LoadedAgent(False), []),
                                         (LoadedAgent(True, broken=True), [])], ids=["model", "no model", "broken"])
def test_a_loaded_model_reads_one_message_per_language_before_it_serves(monkeypatch, agent, read):
    async def load_agent(**_kwargs):
        return agent

    monkeypatch.setattr(rasa.core.agent, "load_agent", load_agent)
    warm_up_loaded_models()
    assert asyncio.run(rasa.core.agent.load_agent(model_path="model.tar.gz")) is agent  # whatever the warm-up did
    assert agent.read == read
    assert {"en", "zh"} == {"zh" if any("\u4e00" <= c <= "\u9fff" for c in t) else "en" for t in WARM_UP_MESSAGES}


def test_only_the_gateway_can_talk_to_rasa_and_its_token_is_on_no_command_line(stack):
    rasa = f"http://127.0.0.1:{stack.env['RASA_PORT']}/webhooks/gateway/webhook"
    body = {"sender": "demo:intruder", "message": "/restart"}
    assert httpx.post(rasa, json=body).status_code == 401
    assert httpx.post(rasa, params={"token": "guess"}, json=body).status_code == 401
    token = stack.env["CAREBOT_RASA_TOKEN"]
    assert httpx.post(rasa, params={"token": token}, json={**body, "message": "hello"}).status_code == 200
    for pid in [stack.process.pid, *children_of(stack.process.pid)]:
        assert token.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
