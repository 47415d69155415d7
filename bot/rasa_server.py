"""`python -m bot.rasa_server run ...`: Rasa's own `rasa` command, with one speed fix, and its
API token taken from `CAREBOT_RASA_TOKEN` rather than the command line (which `ps` shows).

Rasa 3.6 checks every action-server reply with `jsonschema.validate()`, which re-validates the
schema itself on each call: measured with py-spy, that was 55 % of the Rasa server's CPU with
one custom action per turn. The fix compiles the same schema once and reports errors the same
way (`ValidationError`, best match first), so behaviour is unchanged and only cost drops.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Dict, Text

from jsonschema import validators
from jsonschema.exceptions import best_match

TOKEN_ENV = "CAREBOT_RASA_TOKEN"


def compile_action_response_validation() -> None:
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator = validators.validator_for(schema)(schema)
    original = RemoteAction._validate_action_result

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is not None:
            original(self, result)  # Rasa's own path builds and raises its usual error
        return True

    RemoteAction._validate_action_result = _validate_action_result


def deployed_model(arguments: list[str]) -> list[str]:
    """`--model` names the model deployed now, not the one deployed when the runner started:
    a Rasa server restarted after a crash, or started after a retrain, serves the same model
    as the others."""
    from bot.settings import load_settings
    from bot.training.deployed import read_deployed

    settings = load_settings()
    deployed = read_deployed(settings)
    if deployed is None or "--model" not in arguments:
        return arguments
    at = arguments.index("--model") + 1
    return [*arguments[:at], str(deployed.path(settings)), *arguments[at + 1:]]


def main() -> None:
    compile_action_response_validation()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *deployed_model(sys.argv[1:])]
    token = os.environ.get(TOKEN_ENV)
    if token and sys.argv[1:2] == ["run"]:
        sys.argv += ["--auth-token", token]  # inside this process: not visible in `ps`
    rasa_main()


if __name__ == "__main__":
    main()
