"""Analytics: the chat-turn log, the figures on known rows, the console page and CSV downloads."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from starlette.testclient import TestClient

from bot import clock
from bot.analytics.chat_log import FORGOTTEN, log_turn, record_turn, unlink
from bot.analytics.figures import (Period, acknowledge_time, activity, escalations_by_category,
                                   escalations_by_severity, fallback_rate, top_articles)
from bot.clinics import ClinicRegistry
from bot.console.accounts import Accounts
from bot.gateway.app import create_app
from bot.settings import load_settings
from bot.storage import sqlite_url
from bot.storage.schema import escalations
from tests.console_client import PASSWORD, console_session
from tests.stack import new_sender

TODAY = dt.date(2026, 3, 10)


def at(day: str, time: str = "12:00:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}+00:00")


def turn(db, day: str, conversation: str, lang: str, kind: str, topic: str | None = None,
         clinic: str = "demo") -> None:
    record_turn(db, clinic, f"{clinic}:{conversation}", {"lang": lang, "kind": kind, "topic": topic}, at(day))


def escalation(db, created: str, severity: str, category: str, acknowledged: str | None = None,
               clinic: str = "demo") -> None:
    db.insert(escalations, {"clinic": clinic, "conversation": f"{clinic}:x", "lang": "zh",
                            "severity": severity, "category": category, "categories": f'["{category}"]',
                            "created_at": created, "updated_at": created, "acknowledged_at": acknowledged})


@pytest.fixture
def db(database):
    """Known rows: two days in the period, one long before it, and another clinic's rows."""
    turn(database, "2026-03-09", "a", "en", "answer", "pump_alarm")
    turn(database, "2026-03-09", "a", "en", "answer", "pump_alarm")
    turn(database, "2026-03-09", "a", "en", "fallback")
    turn(database, "2026-03-09", "b", "zh", "answer", "pump_alarm")
    turn(database, "2026-03-09", "b", "zh", "chitchat")
    turn(database, "2026-03-10", "a", "en", "answer", "bathing_showering")
    turn(database, "2026-03-10", "c", "zh", "fallback")
    turn(database, "2026-01-01", "old", "en", "answer", "fever")
    turn(database, "2026-03-10", "z", "en", "answer", "fever", clinic="other")
    escalation(database, "2026-03-09T10:00:00+00:00", "red", "fever", "2026-03-09T10:04:00+00:00")
    escalation(database, "2026-03-10T08:00:00+00:00", "red", "breathing", "2026-03-10T08:10:00+00:00")
    escalation(database, "2026-03-10T09:00:00+00:00", "amber", "vomiting")
    escalation(database, "2026-03-08T23:00:00+00:00", "amber", "vomiting", "2026-03-08T23:30:00+00:00")
    escalation(database, "2026-03-10T09:00:00+00:00", "red", "fever", "2026-03-10T12:00:00+00:00", clinic="other")
    escalation(database, "2025-12-01T09:00:00+00:00", "red", "bleeding", "2025-12-01T09:01:00+00:00")
    return database


PERIOD = Period.last(30, TODAY)


def test_period_covers_the_last_days_including_today():
    assert PERIOD.start == dt.date(2026, 2, 9) and len(PERIOD.dates()) == 30
    assert PERIOD.dates()[-1] == "2026-03-10"


def test_activity_counts_distinct_conversations_and_messages_per_day_and_language(db):
    rows = activity(db, "demo", PERIOD)
    assert len(rows) == 30 * 2  # every day and language, zeros included
    by = {(r["day"], r["lang"]): (r["conversations"], r["messages"]) for r in rows}
    assert by[("2026-03-09", "en")] == (1, 3) and by[("2026-03-09", "zh")] == (1, 2)
    assert by[("2026-03-10", "en")] == (1, 1) and by[("2026-03-10", "zh")] == (1, 1)
    assert by[("2026-03-01", "en")] == (0, 0)
    assert sum(r["messages"] for r in rows) == 7  # not the old turn, not the other clinic's


def test_top_articles_and_fallback_rate(db):
    assert top_articles(db, "demo", PERIOD, {"pump_alarm": "泵报警"}) == [
        {"topic": "pump_alarm", "title": "泵报警", "answers": 3},
        {"topic": "bathing_showering", "title": "bathing_showering", "answers": 1}]
    assert fallback_rate(db, "demo", PERIOD) == [
        {"lang": "en", "turns": 4, "fallbacks": 1, "rate": 0.25},
        {"lang": "zh", "turns": 3, "fallbacks": 1, "rate": 0.3333},
        {"lang": "all", "turns": 7, "fallbacks": 2, "rate": 0.2857}]
    assert fallback_rate(db, "nobody", PERIOD)[2] == {"lang": "all", "turns": 0, "fallbacks": 0, "rate": None}


def test_escalation_figures_and_median_time_to_acknowledge(db):
    assert escalations_by_category(db, "demo", PERIOD) == [
        {"category": "vomiting", "escalations": 2}, {"category": "breathing", "escalations": 1},
        {"category": "fever", "escalations": 1}]
    assert escalations_by_severity(db, "demo", PERIOD) == [
        {"severity": "red", "escalations": 2}, {"severity": "amber", "escalations": 2}]
    figure = acknowledge_time(db, "demo", PERIOD)
    assert [{k: r[k] for k in ("severity", "escalations", "acknowledged", "median_minutes", "open")} for r in figure] == [
        {"severity": "red", "escalations": 2, "acknowledged": 2, "median_minutes": 7.0, "open": 0},      # 4 and 10
        {"severity": "amber", "escalations": 2, "acknowledged": 1, "median_minutes": 30.0, "open": 1},
        {"severity": "all", "escalations": 4, "acknowledged": 3, "median_minutes": 10.0, "open": 1}]     # 4, 10, 30
    open_one = next(r for r in db.query("select created_at from escalations where acknowledged_at is null"))
    waited = (clock.now() - dt.datetime.fromisoformat(open_one["created_at"])).total_seconds() / 60
    assert figure[0]["longest_open_minutes"] is None and abs(figure[1]["longest_open_minutes"] - waited) <= 1


def test_figures_work_before_anything_is_logged(database):
    assert activity(database, "demo", Period.last(7))[0]["messages"] == 0
    assert top_articles(database, "demo", PERIOD) == [] and escalations_by_category(database, "demo", PERIOD) == []
    assert acknowledge_time(database, "demo", PERIOD)[2]["median_minutes"] is None


def test_a_logging_failure_never_breaks_the_chat(database, caplog):
    database.execute("drop table chat_turns")  # the log cannot write
    log_turn(database, "demo", "demo:s", {"kind": "answer", "lang": "en"})
    assert "could not log a chat turn" in caplog.text


def test_a_forgotten_conversation_still_counts_but_is_no_longer_named(db):
    unlink(db, "demo:a")
    assert db.query("select distinct conversation from chat_turns where conversation in ('demo:a', :gone)",
                    {"gone": FORGOTTEN}) == [{"conversation": FORGOTTEN}]
    assert sum(r["messages"] for r in activity(db, "demo", PERIOD)) == 7


# --- the console routes -------------------------------------------------------------------------

@pytest.fixture
def client(tmp_path):
    settings = dataclasses.replace(load_settings(), database_url=sqlite_url(tmp_path / "carebot.db"), rate_limit="off")
    app = create_app(settings)
    db = app.state.gateway.stores.db
    today = clock.today().isoformat()
    turn(db, today, "a", "en", "answer", "pump_alarm")
    turn(db, today, "b", "zh", "fallback")
    turn(db, today, "b", "zh", "answer", "=cmd|calc")
    escalation(db, f"{today}T01:00:00+00:00", "red", "fever", f"{today}T01:06:00+00:00")
    Accounts(db).add("nurse.li", "demo", "editor", PASSWORD)
    ClinicRegistry(db).seed_demo()
    with TestClient(app) as test_client:
        yield test_client


def log_in(client: TestClient) -> str:
    """Log in as the demo clinic's nurse; the session's CSRF token."""
    return console_session(client, "nurse.li")


def test_anonymous_visitors_are_sent_to_the_login(client):
    for path in ("/console/analytics", "/console/analytics/fallback-rate.csv"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/console/login")
        assert "turns" not in response.text


def test_the_page_draws_every_chart_with_its_numbers_and_csv_link(client):
    log_in(client)
    response = client.get("/console/analytics?days=7")
    assert response.status_code == 200
    html = response.text
    assert html.count("<svg") >= 6 and 'role="img"' in html and "<desc" in html
    assert "Fallback rate" in html and "<details>" in html
    assert 'href="/console/analytics/fallback-rate.csv?days=7"' in html
    assert "script" not in html.split("</head>")[1]  # the charts need no script


def test_the_page_in_chinese(client):
    csrf = log_in(client)
    client.post("/console/language", data={"lang": "zh", "csrf_token": csrf, "next": "/console/analytics"})
    html = client.get("/console/analytics").text
    assert "回退率" in html and "每天的消息" in html and "中文" in html
    assert "演示儿童医院" in html  # the clinic by its name in the nurse's language, not its id


def test_the_csv_has_the_header_and_the_numbers(client):
    log_in(client)
    response = client.get("/console/analytics/fallback-rate.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="carebot-demo-fallback-rate-')
    assert response.content.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == ["lang,turns,fallbacks,rate", "en,1,0,0.0", "zh,2,1,0.5", "all,3,1,0.3333"]
    articles = client.get("/console/analytics/top-articles.csv").content.decode("utf-8-sig")
    assert "'=cmd|calc" in articles  # a formula is neutralised for spreadsheets
    acknowledge = client.get("/console/analytics/acknowledge-time.csv").content.decode("utf-8-sig")
    assert "red,1,1,6.0,0," in acknowledge.splitlines()  # none open: no "open for"


def test_an_unknown_figure_is_a_404(client):
    log_in(client)
    assert client.get("/console/analytics/passwords.csv").status_code == 404


# --- through the real stack ---------------------------------------------------------------------

def test_a_chat_turn_is_logged_without_the_message(stack):
    sender = new_sender()
    reply = stack.chat("what does the pump alarm mean", sender=sender, lang="en")
    rows = stack.database().query("select * from chat_turns where conversation = :c", {"c": f"demo:{sender}"})
    assert len(rows) == 1
    assert rows[0]["kind"] == reply["meta"]["kind"] and rows[0]["topic"] == reply["meta"]["topic"]
    assert rows[0]["lang"] == "en" and rows[0]["clinic"] == "demo"
    assert rows[0]["day"] == rows[0]["at"][:10]
    assert "pump alarm" not in " ".join(str(v) for v in rows[0].values())
