"""Console accounts, login throttling and sessions, stored on both engines (SQLite and PostgreSQL)."""
from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot import clock
from bot.console.accounts import FAILURE_MEMORY_MINUTES, FREE_FAILURES, FREE_FAILURES_PER_ADDRESS, \
    AccountError, Accounts
from bot.console.sessions import IDLE_MINUTES, Sessions
from bot.storage.schema import login_failures

PASSWORD = "correct horse battery staple"


def test_accounts_are_added_listed_changed_and_disabled(database):
    accounts = Accounts(database)
    assert not accounts.any_admin()
    edna = accounts.add(" Edna ", "demo", "editor", PASSWORD)
    ada = accounts.add("ada", "demo", "admin", PASSWORD)
    assert (edna.username, edna.role) == ("edna", "editor") and accounts.any_admin()
    with pytest.raises(AccountError, match="already exists"):
        accounts.add("edna", "demo", "editor", PASSWORD)
    assert [(u["username"], u["disabled"]) for u in accounts.all()] == [("ada", 0), ("edna", 0)]
    assert accounts.by_id(edna.id) == edna and accounts.get("EDNA") == edna

    accounts.disable("ada")
    assert accounts.get("ada") is None and accounts.by_id(ada.id) is None and not accounts.any_admin()
    assert accounts.authenticate("ada", PASSWORD, "10.0.0.1") is None
    accounts.set_password("ada", "a brand new long phrase")  # enables the account again
    assert accounts.authenticate("ada", "a brand new long phrase", "10.0.0.1") == ada
    assert asyncio.run(accounts.authenticate_off_loop("ada", PASSWORD, "10.0.0.1")) is None
    with pytest.raises(AccountError, match="no user"):
        accounts.disable("nobody")


def test_failed_logins_slow_down_one_account_from_one_address_until_a_success(database, monkeypatch):
    frozen = clock.now().replace(microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: frozen)  # argon2 takes a while on a busy machine
    accounts = Accounts(database)
    accounts.add("edna", "demo", "editor", PASSWORD)
    for _ in range(FREE_FAILURES - 1):
        assert accounts.authenticate("edna", "not the password", "10.0.0.1") is None
    assert accounts.wait_seconds("edna", "10.0.0.1") == 0
    accounts.authenticate("edna", "not the password", "10.0.0.1")
    assert accounts.wait_seconds("Edna", "10.0.0.1") == 2
    assert accounts.wait_seconds("edna", "10.0.0.2") == 0  # nobody elsewhere locks her out
    assert accounts.authenticate("edna", PASSWORD, "10.0.0.1") is not None
    assert accounts.wait_seconds("edna", "10.0.0.1") == 0


def test_an_address_trying_many_accounts_waits_and_old_failures_are_forgotten(database):
    accounts = Accounts(database)
    long_ago = (clock.now() - dt.timedelta(minutes=FAILURE_MEMORY_MINUTES + 1)).isoformat(timespec="seconds")
    fail_many_times(database, long_ago)
    assert accounts.wait_seconds("someone", "10.0.0.9") == 0
    fail_many_times(database, clock.now_iso())
    assert accounts.wait_seconds("someone", "10.0.0.9") > 0
    assert accounts.wait_seconds("someone", "10.0.0.8") == 0


def fail_many_times(database, at: str) -> None:
    with database.begin():
        for n in range(FREE_FAILURES_PER_ADDRESS):
            database.insert(login_failures, {"at": at, "username": f"user{n}", "address": "10.0.0.9"})


def test_sessions_start_expire_and_end(database):
    sessions = Sessions(database)
    token, idle, elsewhere = sessions.start(1, "en"), sessions.start(1, "en"), sessions.start(2, "en")
    session = sessions.get(token)
    assert (session.user_id, session.lang) == (1, "en") and len(session.csrf) > 20
    assert sessions.get(None) is None and sessions.get("not a token") is None
    sessions.set_lang(session, "zh")
    assert sessions.get(token).lang == "zh"

    def seen(cookie: str) -> str:
        return database.scalar("select seen_at from sessions where token_hash = :hash",
                               {"hash": sessions.get(cookie, touch=False).token_hash})

    almost = (clock.now() - dt.timedelta(minutes=IDLE_MINUTES - 1)).isoformat()
    database.execute("update sessions set seen_at = :at", {"at": almost})
    assert seen(token) == almost  # a background refresh does not extend the session
    sessions.get(token)
    assert seen(token) > almost  # the nurse herself does
    long_ago = (clock.now() - dt.timedelta(minutes=IDLE_MINUTES + 1)).isoformat()
    database.execute("update sessions set seen_at = :at where token_hash = :hash",
                     {"at": long_ago, "hash": sessions.get(idle).token_hash})
    assert sessions.get(idle, touch=False) is None
    assert database.scalar("select count(*) from sessions") == 2  # the idle one is deleted

    other = sessions.start(1, "en")
    sessions.end_others(1, token)
    assert sessions.get(token) is not None and sessions.get(other) is None
    sessions.end_all(1)
    assert sessions.get(token) is None and sessions.get(elsewhere) is not None
    sessions.end(elsewhere)
    assert sessions.get(elsewhere) is None
