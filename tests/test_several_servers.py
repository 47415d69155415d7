"""Two Rasa servers on PostgreSQL and Redis, started as `RASA_SERVERS=2 make run` starts them:
they answer the dev set as one server does; one killed with SIGKILL under load costs the families
(almost) nothing, and nobody is paged twice."""
from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import httpx
import pytest

from tests.conftest import stack_beside
from tests.test_eval import dev_set_metrics
from tests.services import RedisServer
from tests.stack import carebot, free_ports, new_sender, wait_until

QUESTIONS = ["can he have a bath with the pump?", "what is CRS", "孩子可以吃水果吗", "how long is the infusion",
             "the pump is beeping", "can she go to school", "怎么换药袋", "what should we eat"]


@pytest.fixture(scope="module")
def two_servers(stack, postgres, webhook, mail, tmp_path_factory):
    redis = RedisServer(tmp_path_factory.mktemp("redis")).start()
    rasa_port = free_ports(1, 10, 11)
    running = stack_beside(stack, tmp_path_factory.mktemp("var2"), postgres.database(), mail, webhook,
                           RASA_SERVERS="2", CAREBOT_REDIS_URL=redis.url, RASA_PORT=str(rasa_port),
                           ACTIONS_PORT=str(rasa_port + 10))  # room for both pairs
    # The gateway is ready as soon as one server is; the tests need both.
    deployed = running.database().scalar("select model from deployed_models order by id desc limit 1")
    assert wait_until(lambda: all(serving(running, rasa_port + i).endswith(deployed) for i in (0, 1)), seconds=180)
    yield running
    running.stop()
    redis.stop()


def rasa_server_pid(port: int) -> int:
    """The pid of the Rasa server listening on `port`, from /proc."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"bot.rasa_server" in arguments and str(port).encode() in arguments:
            return int(cmdline.parent.name)
    raise LookupError(f"no Rasa server on port {port}")


def test_several_servers_without_postgresql_and_redis_are_refused(tmp_path):
    env = {**os.environ, "CAREBOT_VAR": str(tmp_path), "RASA_SERVERS": "2",
           "CAREBOT_DATABASE_URL": f"sqlite:///{tmp_path}/c.db"}
    refused = carebot(env, "run", check=False)
    assert refused.returncode == 1 and "needs CAREBOT_DATABASE_URL=postgresql" in refused.stderr
    assert "whole number" in carebot({**env, "RASA_SERVERS": "two"}, "run", check=False).stderr
    overlap = carebot({**env, "RASA_SERVERS": "1", "RASA_PORT": "5005", "ACTIONS_PORT": "5005"}, "run", check=False)
    assert overlap.returncode == 1 and "must not overlap" in overlap.stderr


def serving(stack, port: int) -> str:
    """The model file the Rasa server on `port` serves ("" while it is not up)."""
    try:
        return httpx.get(f"http://127.0.0.1:{port}/status", params={"token": stack.env["CAREBOT_RASA_TOKEN"]},
                         timeout=10).json().get("model_file") or ""
    except (httpx.HTTPError, ValueError):
        return ""


def test_both_rasa_servers_serve_the_deployed_model(two_servers):
    first = int(two_servers.env["RASA_PORT"])
    deployed = two_servers.database().scalar("select model from deployed_models order by id desc limit 1")
    assert serving(two_servers, first).endswith(deployed) and serving(two_servers, first + 1).endswith(deployed)


def test_the_dev_set_is_answered_as_on_one_server(two_servers, stack):
    """Same model, same decisions: every figure but the latency is the single server's."""
    timing = ("p50_ms",)
    several = {k: v for k, v in dev_set_metrics(two_servers.url, "dev_eval_two_servers").items() if k not in timing}
    single = {k: v for k, v in dev_set_metrics(stack.url, "dev_eval_one_server").items() if k not in timing}
    assert several["errors"] == 0 and several["cases"] > 100
    assert several == single


def test_a_rasa_server_killed_under_load_loses_no_turn_and_pages_nobody_twice(two_servers, webhook):
    senders = [new_sender() for _ in range(20)]
    reporter = senders[0]

    async def family(sender: str, client: httpx.AsyncClient, results: list) -> None:
        for turn in range(6):
            message = "my son is burning up, 39.4" if sender == reporter and turn == 3 else \
                QUESTIONS[(turn + len(results)) % len(QUESTIONS)]
            response = await client.post(two_servers.url + "/api/chat", json={"sender": sender, "message": message})
            results.append((sender, message, response.status_code, response.json()))

    async def load_and_kill() -> list:
        results: list = []
        async with httpx.AsyncClient(timeout=90) as client:
            families = asyncio.gather(*(family(s, client, results) for s in senders))
            await asyncio.sleep(1.0)
            os.kill(rasa_server_pid(int(two_servers.env["RASA_PORT"]) + 1), signal.SIGKILL)
            await families
        return results

    for i in range(12):  # both servers warm, as after any first minutes: many turns in flight at the kill
        two_servers.chat("what is CRS", f"warm-{i}-{new_sender()}")
    results = asyncio.run(load_and_kill())
    failed = [r for r in results if r[2] != 200]
    assert len(results) == 120 and len(failed) <= 1, failed[:3]
    report = next(r[3]["meta"] for r in results if r[0] == reporter and "39.4" in r[1])
    assert report["kind"] == "escalation"
    pages = lambda: [r for r in webhook.received if r["body"]["conversation"] == f"demo:{reporter}"]  # noqa: E731
    assert wait_until(lambda: len(pages()) >= 1)
    assert [page["body"]["id"] for page in pages()] == [report["escalation_id"]]  # one page, not two
    assert two_servers.chat("can he have a bath with the pump?", reporter)["meta"]["kind"] != "fallback"
