"""Console access control on a real app and database: login, roles, CSRF, throttling, sessions.

The route table test walks every route the app declares under /console, so a new page that
forgets its guard fails here.
"""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess

import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from bot.clinics import ClinicRegistry
from bot.console.accounts import FREE_FAILURES, AccountError, Accounts
from bot.console.guard import COOKIE
from bot.content.store import ContentStore
from bot.escalation.store import EscalationStore
from bot.unanswered import UnansweredLog
from bot.storage import open_database, sqlite_url
from bot.runner import first_admin_hint
from bot.settings import load_settings
from tests.console_client import PASSWORD, client, console_app, console_session, log_in
from tests.stack import BIN, ROOT, carebot

PUBLIC = {"/console/login"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = console_app(tmp_path_factory.mktemp("console"),
                      {"edna": "editor", "rita": "reviewer", "ada": "admin", "gone": "editor"})
    Accounts(app.state.gateway.stores.db).disable("gone")
    return app


def console_routes(app) -> list[tuple[str, str, str]]:
    """(method, example path, role) for every console route."""
    found = []
    for route in app.routes:
        if isinstance(route, Route) and route.path.startswith("/console") and route.path not in PUBLIC:
            path = re.sub(r"\{(\w+)(:int)?\}", lambda m: "1" if m.group(2) else "pump_alarm", route.path)
            found += [(method, path, route.role) for method in route.methods if method != "HEAD"]
    return found


def test_the_route_table_is_the_console(app):
    routes = console_routes(app)
    assert len(routes) >= 20 and {"editor", "reviewer", "admin"} <= {role for *_, role in routes}
    assert [r for r in app.routes if isinstance(r, Mount) and r.path.startswith("/console")] == \
        [r for r in app.routes if getattr(r, "name", "") == "console-static"]  # only static files are mounted


def test_every_console_route_refuses_an_anonymous_request(app):
    anonymous = client(app)
    for method, path, _ in console_routes(app):
        response = anonymous.request(method, path)
        if method == "GET" and not path.startswith("/console/api/"):
            assert response.status_code == 303 and response.headers["location"].startswith("/console/login"), (method, path)
        else:
            assert response.status_code == 401, (method, path, response.status_code)
        assert "pump" not in response.text.lower() or response.status_code == 303, (method, path)


def test_every_route_needs_its_role(app):
    editor = client(app)
    csrf = console_session(editor, "edna")
    for method, path, role in console_routes(app):
        if role == "editor":
            continue
        response = editor.request(method, path, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 403, (method, path)


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(app):
    editor = client(app)
    console_session(editor, "edna")
    store = ContentStore(app.state.gateway.stores.db)
    before = store.latest("pump_alarm")
    form = {"category": "pump_line", "en_title": "HACKED", "en_questions": "x", "en_answer": "x", "en_sources": "",
            "zh_title": "x", "zh_questions": "x", "zh_answer": "x", "zh_sources": ""}
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        response = editor.post("/console/articles/pump_alarm", data=form, headers=headers)
        assert response.status_code == 403 and "expired" in response.text
    assert store.latest("pump_alarm") == before


def test_login_refuses_a_form_from_elsewhere(app):
    """Login CSRF: a post without the token from our own login form is refused."""
    response = client(app).post("/console/login", data={"username": "edna", "password": PASSWORD})
    assert response.status_code == 401 and COOKIE not in response.cookies


def test_session_cookie_is_http_only_and_same_site(app):
    response = log_in(client(app), "edna")
    cookie = response.headers["set-cookie"]
    assert COOKIE in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie


def test_wrong_password_and_disabled_account_are_refused_alike(app):
    for name, password in [("edna", "wrong password!"), ("nobody", PASSWORD), ("gone", PASSWORD)]:
        response = log_in(client(app), name, password)
        assert response.status_code == 401 and "do not match an active account" in response.text


def test_repeated_failures_slow_down_that_address_but_never_lock_the_nurse_out(app):
    Accounts(app.state.gateway.stores.db).add("target", "demo", "editor", PASSWORD)
    for _ in range(FREE_FAILURES + 2):
        log_in(client(app), "target", "not the password")  # from the test client's address
    response = log_in(client(app), "target", PASSWORD)
    assert response.status_code == 401 and "Too many failed attempts. Wait" in response.text
    # The nurse on another computer is not affected by someone guessing elsewhere.
    elsewhere = TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False, client=("10.9.8.7", 5000))
    assert log_in(elsewhere, "target", PASSWORD).status_code == 303


def test_logout_ends_the_session_on_the_server(app):
    browser = client(app)
    csrf = console_session(browser, "edna")
    stolen = browser.cookies[COOKIE]
    out = browser.post("/console/logout", data={"csrf_token": csrf})
    assert "You have logged out." in browser.get(out.headers["location"]).text  # says so, in her language
    thief = client(app)
    thief.cookies.set(COOKIE, stolen, path="/console")
    assert thief.get("/console").status_code == 303


def test_no_open_redirect_after_login(app):
    browser = client(app)
    form = browser.get("/console/login?next=//evil.example/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    response = browser.post("/console/login", data={"username": "edna", "password": PASSWORD, "csrf_token": token,
                                                    "next": "//evil.example/"})
    assert response.headers["location"] == "/console"


def test_passwords_are_stored_as_argon2_hashes(app):
    row = app.state.gateway.stores.db.first("select password_hash from users where username = 'edna'")
    assert row["password_hash"].startswith("$argon2id$") and PASSWORD not in row["password_hash"]
    with pytest.raises(AccountError):
        Accounts(app.state.gateway.stores.db).add("weak", "demo", "editor", "short")


def test_console_speaks_chinese(app):
    browser = client(app)
    csrf = console_session(browser, "rita")
    browser.post("/console/language", data={"csrf_token": csrf, "lang": "zh", "next": "/console/articles"})
    page = browser.get("/console/articles")
    assert '<html lang="zh-Hans">' in page.text and "文章" in page.text


def test_users_command_line(tmp_path):
    env = {**os.environ, "CAREBOT_VAR": str(tmp_path), "CAREBOT_DB": str(tmp_path / "c.db")}
    carebot(env, "content", "import")
    added = carebot(env, "users", "add", "Nurse.Li", "--role", "reviewer", "--password-stdin", check=False)
    assert added.returncode == 1  # no password on stdin: refused, nothing created
    added = subprocess.run([str(BIN / "carebot"), "users", "add", "nurse.li", "--role", "reviewer",
                            "--password-stdin"], input=PASSWORD + "\n", env=env, capture_output=True, text=True, cwd=ROOT)
    assert added.returncode == 0, added.stderr
    assert "nurse.li" in carebot(env, "users", "list").stdout
    assert carebot(env, "users", "disable", "nurse.li").returncode == 0
    assert "disabled" in carebot(env, "users", "list").stdout
    bad_role = carebot(env, "users", "add", "x1", "--role", "boss", "--password-stdin", check=False)
    assert bad_role.returncode == 2 and "boss" in bad_role.stderr


def test_make_run_says_how_to_create_the_first_admin(tmp_path):
    settings = dataclasses.replace(load_settings(), database_url=sqlite_url(tmp_path / "c.db"))
    assert "carebot users add YOUR_NAME --clinic demo --role admin" in first_admin_hint(settings)
    Accounts(open_database(settings.database_url)).add("boss", "demo", "admin", PASSWORD)
    assert first_admin_hint(settings) == ""


def test_a_nurse_changes_her_password_and_her_other_sessions_end(app):
    Accounts(app.state.gateway.stores.db).add("petra", "demo", "editor", PASSWORD)
    here, elsewhere = client(app), client(app)
    csrf = console_session(here, "petra")
    console_session(elsewhere, "petra")
    form = {"csrf_token": csrf, "current": "not it at all", "new": "a brand new long phrase", "again": "a brand new long phrase"}
    assert "current password is not right" in here.post("/console/account", data=form).text
    common = here.post("/console/account", data={**form, "current": PASSWORD, "new": "password1234", "again": "password1234"})
    assert common.status_code == 400 and "leaked passwords" in common.text
    changed = here.post("/console/account", data={**form, "current": PASSWORD})
    assert changed.status_code == 303
    assert here.get("/console").status_code == 200 and elsewhere.get("/console").status_code == 303
    assert log_in(client(app), "petra", "a brand new long phrase").status_code == 303
    actions = [e["action"] for e in ContentStore(app.state.gateway.stores.db).audit_log(subject="demo")]
    assert "password changed" in actions


def test_security_events_go_to_an_audit_log_nobody_can_rewrite(app):
    log_in(client(app), "edna", "wrong password!")
    audit = ContentStore(app.state.gateway.stores.db).audit_log()
    assert any(e["actor"] == "edna" and e["action"] == "login failed" for e in audit)
    db = app.state.gateway.stores.db
    with pytest.raises(Exception, match="append-only"):
        db.execute("update audit set action = 'nothing' where actor = 'edna'")
    with pytest.raises(Exception, match="append-only"):
        db.execute("delete from audit")


def test_another_clinics_nurses_read_the_shared_library_but_cannot_change_it_or_see_our_audit_log(app):
    db = app.state.gateway.stores.db
    demo = ClinicRegistry(db).get("demo")
    ClinicRegistry(db).save({**demo, "id": "clinic-b", "phone_24h": "+1 555 0222"})
    accounts = Accounts(db)
    accounts.add("bella", "clinic-b", "admin", PASSWORD)  # clinic B's most powerful role
    log_in(client(app), "edna", "a wrong password")  # a security event of the demo clinic
    b = client(app)
    csrf = console_session(b, "bella")
    assert b.get("/console/articles/fever").status_code == 200  # reading is fine
    library_routes = [(m, p) for r in app.routes if getattr(r, "library", False) for m in r.methods if m != "HEAD"
                      for p in [r.path.replace("{article_id}", "fever")]]
    assert len(library_routes) >= 7
    for method, path in library_routes:
        response = b.request(method, path, headers={"X-CSRF-Token": csrf}, data={"csrf_token": csrf})
        assert response.status_code == 403 and "shared by every clinic" in response.text, (method, path)
    assert ContentStore(db).article_row("fever")["status"] == "published"
    audit = b.get("/console/audit").text
    assert "edna" not in audit and "bella" in audit
    # Everything else is per clinic: demo's escalation and unanswered question stay with demo.
    demo_escalation = EscalationStore(db).report("demo", "demo:fam-1", "en", {
        "severity": "red", "emergency": False, "categories": ["fever"], "evidence": ["39"], "temperature_c": 39.0},
        "she is 39 degrees", 30).escalation
    UnansweredLog(db).add("a question only demo families asked", "en", "demo", "demo:fam-1", "faq", 0.1)
    assert f"/console/escalations/{demo_escalation['id']}" not in b.get("/console/escalations/rows").text
    assert b.get(f"/console/escalations/{demo_escalation['id']}").status_code == 404
    assert "only demo families asked" not in b.get("/console/unanswered").text
    assert "+1 555 0222" in b.get("/console/settings").text
