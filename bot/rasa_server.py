"""`python -m bot.rasa_server run ...`: Rasa's own `rasa` command, with three speed fixes, and its
API token taken from `CAREBOT_RASA_TOKEN` rather than the command line (which `ps` shows).

Rasa 3.6 checks every action-server reply with `jsonschema.validate()`, which re-validates the
schema itself on each call: measured with py-spy, that was 55 % of the Rasa server's CPU with
one custom action per turn. The fix compiles the same schema once and reports errors the same
way (`ValidationError`, best match first), so behaviour is unchanged and only cost drops.

Rasa 3.6 also opens a new HTTP session, and so a new connection, for every call to the action
server (`EndpointConfig.request`): with py-spy, the connections cost the Rasa server about 6 %
of its CPU and the action server about a fifth. The second fix gives each endpoint one session per
event loop, kept open, with Rasa's own headers, authentication and timeout.

A loaded model's first message costs about a second and a half (Jieba reads its dictionary,
TensorFlow traces its graphs), the next ones a few milliseconds: the first family after a start
or a retrain waited for it, and a burst of conversations right after a start ran at half speed.
The third fix reads one message per language with each model as soon as it is loaded, before
the server (which answers nothing while it loads) or the new model takes a turn. Reading a
message stores nothing.
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Any, Dict, Text

from jsonschema import validators
from jsonschema.exceptions import best_match

TOKEN_ENV = "CAREBOT_RASA_TOKEN"
WARM_UP_MESSAGES = ("Can he have a bath with the pump on?", "泵一直在响怎么办")
log = logging.getLogger("carebot.rasa_server")


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


# Shorter than the action server's keep-alive (Sanic's 5 s): a connection is always dropped by
# this side first, never reused just as the server closes it.
KEEP_ALIVE_SECONDS = 2.0
_SESSIONS: Dict[tuple, Any] = {}  # (event loop, endpoint) -> its open aiohttp session


class _OpenSession:
    """`async with` hands out the shared session and leaves it open."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


def reuse_endpoint_sessions() -> None:
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    def session(self: EndpointConfig) -> _OpenSession:
        key = (asyncio.get_running_loop(), self.url, repr(self.headers), repr(self.basic_auth))
        if key not in _SESSIONS or _SESSIONS[key].closed:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
                if self.basic_auth else None
            _SESSIONS[key] = aiohttp.ClientSession(
                headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE_SECONDS))
        return _OpenSession(_SESSIONS[key])

    EndpointConfig.session = session


async def close_endpoint_sessions() -> None:
    """Close the sessions of the running event loop (Rasa's server keeps them to its end)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _SESSIONS if k[0] is loop]:
        await _SESSIONS.pop(key).close()


def warm_up_loaded_models() -> None:
    import rasa.core.agent

    load_agent = rasa.core.agent.load_agent

    async def load_warm_agent(*args: Any, **kwargs: Any) -> Any:
        agent = await load_agent(*args, **kwargs)
        if agent.is_ready():
            try:
                for text in WARM_UP_MESSAGES:
                    await agent.parse_message(text)
            except Exception:  # a model that cannot read a message fails on the family's turn, as before
                log.exception("warming the model up failed")
        return agent

    rasa.core.agent.load_agent = load_warm_agent


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
    reuse_endpoint_sessions()
    warm_up_loaded_models()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *deployed_model(sys.argv[1:])]
    token = os.environ.get(TOKEN_ENV)
    if token and sys.argv[1:2] == ["run"]:
        sys.argv += ["--auth-token", token]  # inside this process: not visible in `ps`
    rasa_main()


if __name__ == "__main__":
    main()
