"""The compiled validation of action-server replies behaves exactly like Rasa's own."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import compile_action_response_validation

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
