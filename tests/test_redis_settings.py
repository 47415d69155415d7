"""CAREBOT_REDIS_URL: read with clear errors, and turned into Rasa's own Redis lock store,
which Rasa really opens against a real Redis."""
from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from pathlib import Path

import pytest
import yaml

from bot.cli import check_redis
from bot.redis_url import PASSWORD_ENV, RedisAddress, RedisUrlError, parse_redis_url
from bot.rasa_tracker import TRACKER_STORE_CLASS
from bot.runner import services, write_endpoints
from bot.settings import load_settings
from bot.storage import sqlite_url
from tests.services import RedisServer
from tests.stack import carebot, free_port


def test_a_redis_url_is_taken_apart():
    assert parse_redis_url("redis://127.0.0.1:6380/2") == RedisAddress("127.0.0.1", 6380, 2)
    assert parse_redis_url("redis://cache.internal") == RedisAddress("cache.internal", 6379, 0)
    assert parse_redis_url(" rediss://carebot:p%40ss%3Aword@cache:6390/ ") == RedisAddress(
        "cache", 6390, 0, username="carebot", password="p@ss:word", tls=True)
    assert parse_redis_url("redis://:only-a-password@cache").password == "only-a-password"


@pytest.mark.parametrize("url,problem", [
    ("http://cache:6379", "must start with redis://"),
    ("127.0.0.1:6379", "must start with redis://"),
    ("redis://:6379/0", "names no host"),
    ("redis://cache:port/0", "bad port"),
    ("redis://cache:70000", "bad port"),
    ("redis://cache:6379/zero", "bad database"),
    ("redis://cache:6379/0?timeout=1", "no options"),
    ("redis://[::1", "not a URL"),
])
def test_a_bad_redis_url_says_what_is_wrong_and_never_shows_the_password(url, problem):
    with_password = url.replace("://", "://user:hunter2-secret@", 1) if "://" in url else url
    for candidate in {url, with_password}:
        with pytest.raises(RedisUrlError) as error:
            parse_redis_url(candidate)
        assert problem in str(error.value) and "redis://" in str(error.value)  # with an example
        assert "hunter2" not in str(error.value)


def test_carebot_run_refuses_a_bad_redis_url_in_one_line(tmp_path):
    env = {**carebot_env(tmp_path), "CAREBOT_REDIS_URL": "redis://cache:port/0"}
    result = carebot(env, "run", check=False)
    assert result.returncode == 1
    assert "Error: CAREBOT_REDIS_URL has a bad port" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "carebot.db").exists()  # stopped before doing anything


def test_carebot_run_warns_when_redis_does_not_answer(redis_server, capsys):
    check_redis(redis_server.url)
    assert capsys.readouterr().out == ""
    check_redis(f"redis://127.0.0.1:{free_port()}/0")
    assert "does not answer" in capsys.readouterr().out


def carebot_env(tmp_path: Path) -> dict:
    return {**os.environ, "CAREBOT_VAR": str(tmp_path), "CAREBOT_DATABASE_URL": sqlite_url(tmp_path / "carebot.db"),
            "CAREBOT_MODELS": str(tmp_path / "models")}


def endpoints(tmp_path: Path, redis_url: str) -> dict:
    settings = dataclasses.replace(load_settings(), var_dir=tmp_path, database_url=sqlite_url(tmp_path / "carebot.db"),
                                   redis_url=redis_url)
    return yaml.safe_load(write_endpoints(settings).read_text())


def test_without_redis_the_endpoints_have_no_lock_store(tmp_path):
    written = endpoints(tmp_path, "")
    assert set(written) == {"action_endpoint", "tracker_store"}  # Rasa's in-memory lock store


def test_with_redis_the_endpoints_name_rasas_redis_lock_store(tmp_path):
    written = endpoints(tmp_path, "redis://carebot:secret@cache:6390/3")
    assert written["lock_store"] == {"type": "bot.rasa_lock_store.RedisLockStoreWithFallback", "url": "cache",
                                     "port": 6390, "db": 3, "key_prefix": "carebot", "use_ssl": False,
                                     "socket_timeout": 2, "username": "carebot",
                                     "password": "${%s}" % PASSWORD_ENV}
    assert written["tracker_store"]["type"] == TRACKER_STORE_CLASS  # the rest is unchanged
    assert "secret" not in (tmp_path / "endpoints.yml").read_text()


def test_rasa_opens_its_redis_lock_store_from_the_written_endpoints(tmp_path, monkeypatch):
    """What Rasa's server does with --endpoints: the password comes from the variable the
    runner gives the Rasa process alone, and locks land in Redis under carebot:lock:."""
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.utils.endpoints import read_endpoint_config

    server = RedisServer(tmp_path, password="s3cret-pw").start()
    try:
        settings = dataclasses.replace(load_settings(), var_dir=tmp_path, database_url=sqlite_url(tmp_path / "c.db"),
                                       redis_url=server.url)
        rasa_env = next(s.env for s in services(settings, tmp_path / "model.tar.gz") if s.name == "rasa")
        # (and a conversation lock that a killed server held outlives it by 20 s, not Rasa's 60)
        assert rasa_env == {PASSWORD_ENV: "s3cret-pw", "TICKET_LOCK_LIFETIME": "20"}
        assert all(PASSWORD_ENV not in s.env for s in services(settings, tmp_path / "m") if s.name != "rasa")
        monkeypatch.setenv(PASSWORD_ENV, rasa_env[PASSWORD_ENV])
        store = LockStore.create(read_endpoint_config(str(tmp_path / "endpoints.yml"), "lock_store"))
        assert isinstance(store, RedisLockStore)

        async def hold_a_lock() -> list:
            async with store.lock("family-1"):
                return server.client().keys("*")
        assert asyncio.run(hold_a_lock()) == ["carebot:lock:family-1"]
    finally:
        server.stop()

    async def one_turn_after_another() -> list:  # Redis is down now: the locks live in memory
        order = []

        async def turn(name: str) -> None:
            async with store.lock("family-1", wait_time_in_seconds=0.01):
                order.append(f"{name} in")
                await asyncio.sleep(0.05)
                order.append(f"{name} out")
        await asyncio.gather(turn("a"), turn("b"))
        return order
    assert asyncio.run(one_turn_after_another()) == ["a in", "a out", "b in", "b out"]


def test_a_turn_queued_behind_a_killed_servers_lock_gets_it_when_that_lock_expires(redis_server):
    """A killed server's ticket stays until it expires; the retried turn's ticket, issued a moment
    later, expires with it. Rasa's own wait then never ends (the gateway gives up after 30 s);
    ours issues the expired ticket again and takes the lock."""
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_lock_store import RedisLockStoreWithFallback

    store = RedisLockStoreWithFallback(EndpointConfig(url="127.0.0.1", port=redis_server.port, key_prefix="t"))
    store.issue_ticket("family-1", 0.5)  # the killed server's turn: never finished, never cleaned up

    async def retried_turn() -> float:
        started = time.monotonic()
        async with store.lock("family-1", lock_lifetime=0.55, wait_time_in_seconds=0.3):
            return time.monotonic() - started

    assert asyncio.run(asyncio.wait_for(retried_turn(), timeout=10)) < 3
    assert redis_server.client().keys("*") == []  # and nothing is left behind
