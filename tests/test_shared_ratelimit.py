"""Rate limits counted in a real Redis: one budget for every gateway, the in-memory limiter's
semantics and Retry-After, keys that expire, and a chat that goes on when Redis stops."""
from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Callable, Optional

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from starlette.testclient import TestClient

from bot.clinics import ClinicRegistry
from bot.conversations import KEEP_CONVERSATION
from bot.storage import open_database, sqlite_url
from bot.gateway.app import create_app
from bot.gateway.ratelimit import SlidingWindowLimiter
from bot.gateway.shared_ratelimit import (KEY_PREFIX, TIMEOUT_SECONDS, RedisHealth,
                                          SharedSlidingWindowLimiter)
from bot.redis_url import parse_redis_url
from bot.settings import load_settings
from tests.services import RedisServer
from tests.stack import free_port, new_sender, wait_until


def shared(url: str, limit: int, window: float, name: str = "sender",
           clock: Optional[Callable[[], float]] = None,
           health: Optional[RedisHealth] = None, timeout: float = TIMEOUT_SECONDS) -> SharedSlidingWindowLimiter:
    """A limiter with its own Redis client, as a separate gateway process would have.
    Create and use it inside one event loop (asyncio.run)."""
    client = parse_redis_url(url).client(timeout)
    return SharedSlidingWindowLimiter(client, name, limit, window, health, clock)


def test_two_gateways_spend_one_budget(redis_server):
    async def scenario():
        a, b = shared(redis_server.url, 3, 60), shared(redis_server.url, 3, 60)
        sequence = [await limiter.check("family-1") for limiter in (a, b, a, b, a)]
        return sequence, await b.check("family-2")
    sequence, other_key = asyncio.run(scenario())
    assert sequence[:3] == [None, None, None]
    # The 4th and 5th, whichever gateway they reach: until the 1st leaves the 60 s window.
    assert all(wait is not None and 1 <= wait <= 60 for wait in sequence[3:])
    assert other_key is None


def test_gateways_racing_for_the_last_places_never_exceed_the_limit(redis_server):
    async def scenario():
        # What is tested is the race, not the time limit: 40 checks at once on a loaded test
        # machine once took longer than the production 0.5 s, and each gateway counted alone.
        gateways = [shared(redis_server.url, 5, 60, timeout=5.0) for _ in range(4)]
        return await asyncio.gather(*(gateways[i % 4].check("burst") for i in range(40)))
    results = asyncio.run(scenario())
    assert sum(wait is None for wait in results) == 5


WINDOWS = [1.0, 2.5, 10.0, 60.0]
# Pauses of whole windows land hits exactly on a window's edge, where off-by-one mistakes show.
PAUSES = st.one_of(st.sampled_from([0.0, 0.25, 0.5, *WINDOWS]), st.floats(0, 20, allow_nan=False))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(1, 4), window=st.sampled_from(WINDOWS),
       steps=st.lists(st.tuples(PAUSES, st.sampled_from("ab")), min_size=1, max_size=30))
def test_same_answers_and_retry_after_as_the_in_memory_limiter(redis_server, limit, window, steps):
    now = [1_700_000_000.0]  # a wall-clock-sized time, as Redis's own clock gives
    local = SlidingWindowLimiter(limit, window, clock=lambda: now[0])
    name = uuid.uuid4().hex  # a fresh key space per example

    async def scenario():
        remote = shared(redis_server.url, limit, window, name=name, clock=lambda: now[0])
        answers = []
        for pause, key in steps:
            now[0] += pause
            answers.append((local.check(key), await remote.check(key)))
        return answers
    for in_memory, in_redis in asyncio.run(scenario()):
        assert in_memory == in_redis


def test_the_in_memory_limiters_example_gives_the_same_retry_after(redis_server):
    """tests/test_ratelimit.py's sequence, through Redis."""
    now = [5000.0]

    async def scenario():
        limiter = shared(redis_server.url, 2, 10, clock=lambda: now[0])
        answers = [await limiter.check("a"), await limiter.check("a"), await limiter.check("a"),
                   await limiter.check("b")]
        now[0] = 5006.0
        answers.append(await limiter.check("a"))
        now[0] = 5010.0
        answers.append(await limiter.check("a"))
        return answers
    assert asyncio.run(scenario()) == [None, None, 10, None, 4, None]


def test_keys_are_namespaced_and_expire_one_window_after_the_last_hit(redis_server):
    async def scenario():
        limiter = shared(redis_server.url, 2, 3.0)
        assert await limiter.check("family") is None
        assert await limiter.check("family") is None
    asyncio.run(scenario())
    client = redis_server.client()
    key = f"{KEY_PREFIX}sender:family"
    assert client.keys("*") == [key]
    assert 0 < client.pttl(key) <= 3000
    assert wait_until(lambda: client.keys("*") == [], seconds=10)


def test_redis_stopped_mid_run_the_requests_still_pass_and_one_warning_is_logged(tmp_path, caplog):
    server = RedisServer(tmp_path).start()
    health = RedisHealth(retry_seconds=0)  # try Redis again at every request, to see it come back

    async def scenario():
        sender = shared(server.url, 2, 60, "sender", health=health)
        address = shared(server.url, 100, 60, "address", health=health)
        assert await sender.check("family") is None and await address.check("10.0.0.1") is None
        server.stop()
        during = [(await sender.check("family"), await address.check("10.0.0.1")) for _ in range(3)]
        server.start()  # the same port, empty
        after = await sender.check("family")
        return during, after, server.client().keys("*")
    try:
        with caplog.at_level(logging.WARNING, logger="carebot.gateway"):
            during, after, keys = asyncio.run(scenario())
    finally:
        server.stop()
    # Counted in this process meanwhile: allowed, then the same limit applies.
    assert during[0] == (None, None) and during[1] == (None, None)
    assert during[2][0] is not None and 1 <= during[2][0] <= 60
    warnings = [r.getMessage() for r in caplog.records if "Redis does not answer" in r.getMessage()]
    assert len(warnings) == 1
    assert after is None and keys == [f"{KEY_PREFIX}sender:family"]  # shared again
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_a_redis_that_never_answers_costs_one_attempt_per_pause(caplog):
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    health = RedisHealth()

    async def scenario():
        limiter = shared(nowhere, 1, 60, health=health)
        first = await limiter.check("family")
        assert not health.usable()  # the next requests do not wait for Redis
        return first, await limiter.check("family")
    with caplog.at_level(logging.WARNING, logger="carebot.gateway"):
        first, second = asyncio.run(scenario())
    assert first is None and second is not None and 1 <= second <= 60
    assert sum("Redis does not answer" in r.getMessage() for r in caplog.records) == 1


# Two gateway processes, as behind a load balancer: the same app, each its own instance.

def gateway(tmp_path, monkeypatch, redis_url: str) -> TestClient:
    """A gateway on a test database; no Rasa: rate limits are checked before Rasa is asked,
    and the "keep my conversation" button is answered by the gateway itself."""
    url = sqlite_url(tmp_path / "carebot.db")
    ClinicRegistry(open_database(url)).seed_demo()
    for key, value in {"CAREBOT_DATABASE_URL": url,
                       "RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port()),
                       "CAREBOT_RATE_LIMIT": "sender=2/60,address=100/60",
                       "CAREBOT_REDIS_URL": redis_url}.items():
        monkeypatch.setenv(key, value)
    return TestClient(create_app(load_settings()))


def post(client: TestClient, sender: str):
    return client.post("/api/chat", json={"sender": sender, "message": KEEP_CONVERSATION})


def test_two_gateways_share_the_budget_and_the_429_says_when_to_come_back(tmp_path, monkeypatch, redis_server):
    with gateway(tmp_path, monkeypatch, redis_server.url) as a, gateway(tmp_path, monkeypatch, redis_server.url) as b:
        family = new_sender()
        assert post(a, family).status_code == 200
        assert post(b, family).status_code == 200
        for limited in (post(a, family), post(b, family)):
            assert limited.status_code == 429 and 1 <= int(limited.headers["retry-after"]) <= 60
            assert limited.json()["error"]["code"] == "rate_limited"
        assert post(b, new_sender()).status_code == 200  # another family is not held up


def test_without_redis_each_gateway_counts_alone(tmp_path, monkeypatch):
    with gateway(tmp_path, monkeypatch, "") as a, gateway(tmp_path, monkeypatch, "") as b:
        assert a.app.state.gateway.redis is None
        assert all(isinstance(limiter, SlidingWindowLimiter) for limiter in a.app.state.gateway.limiters.values())
        family = new_sender()
        assert [post(c, family).status_code for c in (a, b, a, b)] == [200, 200, 200, 200]
        assert post(a, family).status_code == 429


def test_gateways_go_on_answering_when_redis_stops(tmp_path, monkeypatch, redis_server, caplog):
    with gateway(tmp_path, monkeypatch, redis_server.url) as a, gateway(tmp_path, monkeypatch, redis_server.url) as b:
        family = new_sender()
        assert post(a, family).status_code == 200
        redis_server.stop()
        with caplog.at_level(logging.WARNING, logger="carebot.gateway"):
            statuses = [post(c, family).status_code for c in (a, b, a, b)]
    assert statuses == [200, 200, 200, 200]  # each gateway now counts alone: 1 + 1 of 2 each
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert sum("Redis does not answer" in r.getMessage() for r in caplog.records) == 2  # once per gateway


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "redis://127.0.0.1:port/0"])
def test_a_gateway_with_a_bad_redis_url_refuses_to_start(tmp_path, monkeypatch, url):
    with pytest.raises(ValueError, match="CAREBOT_REDIS_URL"):
        gateway(tmp_path, monkeypatch, url)
