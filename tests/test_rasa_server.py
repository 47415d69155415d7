"""Our Rasa server: the compiled validation of action-server replies behaves exactly like Rasa's
own; only the gateway, with its token, can send it messages."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import compile_action_response_validation
from tests.stack import children_of

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


def test_only_the_gateway_can_talk_to_rasa_and_its_token_is_on_no_command_line(stack):
    rasa = f"http://127.0.0.1:{stack.env['RASA_PORT']}/webhooks/gateway/webhook"
    body = {"sender": "demo:intruder", "message": "/restart"}
    assert httpx.post(rasa, json=body).status_code == 401
    assert httpx.post(rasa, params={"token": "guess"}, json=body).status_code == 401
    token = stack.env["CAREBOT_RASA_TOKEN"]
    assert httpx.post(rasa, params={"token": token}, json={**body, "message": "hello"}).status_code == 200
    for pid in [stack.process.pid, *children_of(stack.process.pid)]:
        assert token.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
