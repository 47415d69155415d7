"""Console pages on a real app and database: filters, new articles, preview, settings, inbox.

Bad input gets a clear message and the nurse's typing is kept.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import html
import re
from urllib.parse import unquote_plus

import pytest

from bot import clock
from bot.audit import SECRET_CHANGED
from bot.clinics import ClinicRegistry, costs_template
from bot.console.guard import COOKIE
from bot.console.sessions import IDLE_MINUTES, Sessions
from bot.content.store import ContentStore
from bot.escalation.channels import ALLOW_LOOPBACK_ENV
from bot.unanswered import UnansweredLog
from tests.console_client import client, console_app, console_session
from tests.stack import ROOT


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return console_app(tmp_path_factory.mktemp("pages"), {"edna": "editor", "ada": "admin"})


@pytest.fixture()
def editor(app):
    browser = client(app)
    browser.csrf = console_session(browser, "edna")
    return browser


@pytest.fixture()
def admin(app):
    browser = client(app)
    browser.csrf = console_session(browser, "ada")
    return browser


def test_article_filters(editor):
    everything = editor.get("/console/articles").text
    assert everything.count('href="/console/articles/') >= 42 + 1  # + "New article"
    side = editor.get("/console/articles?category=side_effects").text
    assert "/console/articles/crs" in side and "/console/articles/pump_alarm\"" not in side
    found = editor.get("/console/articles?q=泵").text
    assert "/console/articles/pump_alarm" in found and "/console/articles/crs\"" not in found
    assert "/console/articles/" not in editor.get("/console/articles?status=draft").text.split("<tbody>")[1]


def test_a_new_article_with_a_bad_id_keeps_what_was_typed(editor):
    form = {"csrf_token": editor.csrf, "id": "Dogs At Home!", "category": "daily_life", "en_title": "Pets",
            "en_questions": "can the dog sleep in her room", "en_answer": "Ask the team.", "en_sources": "",
            "zh_title": "", "zh_questions": "", "zh_answer": "", "zh_sources": ""}
    response = editor.post("/console/articles/new", data=form)
    assert response.status_code == 400 and "lower_snake_case" in response.text
    assert "can the dog sleep in her room" in response.text and "Ask the team." in response.text
    created = editor.post("/console/articles/new", data={**form, "id": "pets_at_home"})
    assert created.status_code == 303
    page = editor.get("/console/articles?missing=1").text
    assert "pets_at_home" in page and "no Chinese" in page


def test_template_code_in_an_answer_is_refused_when_saved_and_nothing_typed_is_lost(editor):
    form = {"csrf_token": editor.csrf, "id": "template_trick", "category": "daily_life", "en_title": "Trick",
            "en_questions": "what is nine to the power", "en_answer": "{{ 9**(9**7) % 1000 }} and {% for x in range(10**6) %}",
            "en_sources": "", "zh_title": "", "zh_questions": "", "zh_answer": "", "zh_sources": ""}
    response = editor.post("/console/articles/new", data=form, timeout=2)
    assert response.status_code == 400 and "no other template code" in response.text
    assert "what is nine to the power" in response.text
    assert ContentStore(editor.app.state.gateway.stores.db).latest("template_trick") is None


def test_preview_reports_unknown_clinic_settings(editor):
    ok = editor.post("/console/api/preview", json={"lang": "en", "answer": "Call {{ clinic.phone_24h }}."},
                     headers={"X-CSRF-Token": editor.csrf}).json()
    assert ok == {"text": "Call +1 555 0199."}
    bad = editor.post("/console/api/preview", json={"lang": "en", "answer": "{{ clinic.fax }}"},
                      headers={"X-CSRF-Token": editor.csrf}).json()
    assert "The clinic settings have no fax." in bad["error"]
    code = editor.post("/console/api/preview", json={"lang": "en", "answer": "{{ 9**(9**7) % 1000 }}"},
                       headers={"X-CSRF-Token": editor.csrf}, timeout=2).json()
    assert "no other template code" in code["error"]  # refused at once, never evaluated
    garbage = editor.post("/console/api/preview", content=b"[1,2", headers={"X-CSRF-Token": editor.csrf,
                                                                            "Content-Type": "application/json"})
    assert garbage.status_code == 400 and "JSON object" in garbage.json()["error"]["message"]


def settings_form(app, **changes) -> dict:
    clinic = ClinicRegistry(app.state.gateway.stores.db).get("demo")
    form = {"name_en": clinic["name"]["en"], "name_zh": clinic["name"]["zh"], "day_hours_en": clinic["day_hours"]["en"],
            "day_hours_zh": clinic["day_hours"]["zh"], "phone_day": clinic["phone_day"], "phone_24h": clinic["phone_24h"],
            "emergency_number": clinic["emergency_number"], "crisis_line": clinic["crisis_line"],
            "fever_threshold_c": "38", "allowed_origins": "https://clinic.example", "theme_primary": "#0b5fa5",
            "logo_url": "", "webhook_url": "", "webhook_secret": "", "email_to": "", "escalation_email": "",
            "renotify_minutes": "15"}
    return {**form, **changes}


def test_settings_are_validated_and_nothing_typed_is_lost(app, admin):
    secret = "typed-but-not-saved-123"
    response = admin.post("/console/settings", data={**settings_form(
        app, phone_24h="call us!", name_en="Ward 7", webhook_url="https://hooks.clinic.example/x", webhook_secret=secret),
        "csrf_token": admin.csrf})
    assert response.status_code == 400 and "24-hour number must be a phone number" in response.text
    assert "Ward 7" in response.text and "call us!" in response.text
    assert re.search(r'name="phone_24h" aria-invalid="true" aria-describedby="settings-error"', response.text)
    assert response.text.count('aria-invalid="true"') == 1
    # The secret typed is kept for the next try, and the page does not claim one is stored.
    assert f'value="{secret}"' in response.text and "No secret is set." in response.text
    assert ClinicRegistry(app.state.gateway.stores.db).get("demo")["name"]["en"] != "Ward 7"
    # An admin who reads the console in Chinese is told in Chinese, naming the field as the form does.
    admin.post("/console/language", data={"lang": "zh", "csrf_token": admin.csrf, "next": "/console/settings"})
    chinese = admin.post("/console/settings", data={**settings_form(app, fever_threshold_c="41"), "csrf_token": admin.csrf})
    assert chinese.status_code == 400 and "发烧标准（°C）须是 37.5 到 39.0 之间的数字。" in chinese.text
    admin.post("/console/language", data={"lang": "en", "csrf_token": admin.csrf, "next": "/console/settings"})


def test_settings_change_is_saved_and_audited_without_secrets(app, admin):
    secret = "a-very-long-webhook-secret-123"
    response = admin.post("/console/settings", data={**settings_form(
        app, phone_24h="+1 555 0100", webhook_url="https://hooks.clinic.example/x", webhook_secret=secret),
        "csrf_token": admin.csrf})
    assert response.status_code == 303
    clinic = ClinicRegistry(app.state.gateway.stores.db).get("demo")
    assert clinic["phone_24h"] == "+1 555 0100" and clinic["alerts"]["webhook_secret"] == secret
    # Saving again with the secret field blank keeps the secret.
    admin.post("/console/settings", data={**settings_form(app, webhook_url="https://hooks.clinic.example/x"),
                                          "csrf_token": admin.csrf})
    assert ClinicRegistry(app.state.gateway.stores.db).get("demo")["alerts"]["webhook_secret"] == secret
    audit = ContentStore(app.state.gateway.stores.db).audit_log(subject="demo")
    changed = json.loads(next(e for e in audit if e["action"] == "clinic_settings" and "phone_24h" in e["detail"])["detail"])
    assert "alerts.webhook_secret" in changed["changed"]
    assert all(secret not in e["detail"] for e in audit) and secret not in admin.get("/console/settings").text


NO_ALERT_TARGET = "No alert target is set for this clinic"


@pytest.mark.parametrize("url", ["http://example.com/hook", "https://127.0.0.1/hook"])
def test_a_webhook_that_could_never_deliver_is_refused_and_the_banner_stays(app, admin, monkeypatch, url):
    monkeypatch.delenv(ALLOW_LOOPBACK_ENV, raising=False)  # as in production
    registry = ClinicRegistry(app.state.gateway.stores.db)
    registry.save({**registry.get("demo"), "alerts": {}})
    response = admin.post("/console/settings", data={**settings_form(
        app, webhook_url=url, webhook_secret="twenty-characters-00"), "csrf_token": admin.csrf})
    assert response.status_code == 400 and "Webhook URL must start https:// and name a public host" in response.text
    assert re.search(rf'name="webhook_url" aria-invalid="true" aria-describedby="settings-error" value="{url}"',
                     response.text)
    assert "webhook_url" not in registry.get("demo")["alerts"]
    assert NO_ALERT_TARGET in admin.get("/console/settings").text  # nurses still see that nobody is alerted
    admin.post("/console/language", data={"lang": "zh", "csrf_token": admin.csrf, "next": "/console/settings"})
    chinese = admin.post("/console/settings", data={**settings_form(
        app, webhook_url=url, webhook_secret="twenty-characters-00"), "csrf_token": admin.csrf})
    admin.post("/console/language", data={"lang": "en", "csrf_token": admin.csrf, "next": "/console/settings"})
    assert chinese.status_code == 400 and "Webhook 网址须以 https:// 开头，并指向公网上的主机" in chinese.text


def form_values(page: str) -> dict[str, str]:
    """What each input and text area of the settings form shows."""
    inputs = {name: html.unescape(value) for name, value in
              re.findall(r'<input name="([a-z_0-9]+)"[^>]*? value="([^"]*)"', page)}
    areas = {name: html.unescape(text) for name, text in
             re.findall(r'<textarea name="([a-z_0-9]+)"[^>]*>(.*?)</textarea>', page, re.S)}
    return {**inputs, **areas}


@pytest.mark.parametrize("refused", [{"retention_days": "0"}, {"confirm_minutes": "0"},
                                     {"confirm_minutes": "100000"}, {"theme_primary": "#ffffff"}])
def test_after_a_refused_save_every_field_shows_what_was_typed(app, admin, refused):
    typed = {**settings_form(app, name_en="Ward 7", phone_24h="+1 555 0177", fever_threshold_c="38.50",
                          allowed_origins="https://a.example\r\nhttps://b.example", theme_primary="#0b5fa5",
                          logo_url="https://clinic.example/logo.png", privacy_url="https://clinic.example/privacy",
                          retention_days="30", webhook_url="https://hooks.clinic.example/y",
                          webhook_secret="typed-secret-0123456789", email_to="oncall@clinic.example",
                          escalation_email="lead@clinic.example", renotify_minutes="20.0", confirm_minutes="12",
                          costs_contact_en="Billing, +1 555 0111", costs_contact_zh="收费处，+1 555 0111",
                          costs_help_en="Insurance: ask billing.", costs_help_zh="医保：问社工。"), **refused}
    response = admin.post("/console/settings", data={**typed, "csrf_token": admin.csrf})
    assert response.status_code == 400
    shown = form_values(response.text)
    assert {name: shown.get(name) for name in typed} == typed
    marked = re.findall(r'name="([a-z_0-9]+)" aria-invalid="true"', response.text)
    assert marked == [next(iter(refused))]
    assert ClinicRegistry(app.state.gateway.stores.db).get("demo")["name"]["en"] != "Ward 7"


def clinic_audit(app) -> list[dict]:
    return [e for e in ContentStore(app.state.gateway.stores.db).audit_log(subject="demo") if e["action"] == "clinic_settings"]


def test_only_a_change_is_audited_with_its_old_and_new_value_and_never_a_secret(app, admin):
    secret = "another-webhook-secret-456"
    old_number = ClinicRegistry(app.state.gateway.stores.db).get("demo")["phone_24h"]
    form = settings_form(app, webhook_url="https://hooks.clinic.example/z", phone_24h="+1 555 0166")
    assert admin.post("/console/settings", data={**form, "webhook_secret": secret, "csrf_token": admin.csrf}).status_code == 303
    changed = json.loads(clinic_audit(app)[0]["detail"])["changed"]
    assert changed["phone_24h"] == {"old": old_number, "new": "+1 555 0166"}
    assert changed["alerts.webhook_url"]["new"] == "https://hooks.clinic.example/z"
    assert changed["alerts.webhook_secret"] == SECRET_CHANGED and secret not in json.dumps(changed)
    entries = len(clinic_audit(app))
    again = admin.post("/console/settings", data={**form, "csrf_token": admin.csrf})
    assert again.headers["location"] == "/console/settings?saved=none" and len(clinic_audit(app)) == entries
    assert "Nothing was changed." in admin.get(again.headers["location"]).text


def test_saving_the_form_as_shown_with_one_change_audits_that_change_alone(app, admin):
    """The form shows the settings that apply, defaults included (a timing never set shows its
    default), and saving those defaults back is no change: one field edited, one field audited."""
    shown = form_values(admin.get("/console/settings").text)
    assert shown["confirm_minutes"] == "10" and shown["theme_primary"] == "#0b5fa5"
    entries = len(clinic_audit(app))
    edited = {**shown, "day_hours_en": shown["day_hours_en"] + " (and bank holidays)", "csrf_token": admin.csrf}
    assert admin.post("/console/settings", data=edited).status_code == 303
    assert len(clinic_audit(app)) == entries + 1
    assert list(json.loads(clinic_audit(app)[0]["detail"])["changed"]) == ["day_hours"]


def test_the_costs_text_starts_from_the_template_and_keeps_its_lines(app, admin):
    registry = ClinicRegistry(app.state.gateway.stores.db)
    registry.save({**registry.get("demo"), "costs_help": None})
    page = admin.get("/console/settings").text
    assert "异地就医备案：[" in page and "Insurance: [" in page  # the template, in the empty field
    template = costs_template(ROOT / "content")
    untouched = admin.post("/console/settings", data={**settings_form(
        app, costs_help_en=template["en"].replace("\n", "\r\n"), costs_help_zh=template["zh"]), "csrf_token": admin.csrf})
    assert untouched.status_code == 303 and registry.get("demo")["costs_help"] is None
    unfilled = admin.post("/console/settings", data={**settings_form(
        app, costs_help_en="Insurance: [which plans]", costs_help_zh="医保：问社工"), "csrf_token": admin.csrf})
    assert unfilled.status_code == 400 and "bracketed" in unfilled.text and "Insurance: [which plans]" in unfilled.text
    written = {"costs_help_en": "Insurance: ask billing.\r\nParking: free for parents.",
               "costs_help_zh": "医保报销：问社工。\r\n停车：家长免费。"}
    assert admin.post("/console/settings", data={**settings_form(app, **written), "csrf_token": admin.csrf}).status_code == 303
    saved = ClinicRegistry(app.state.gateway.stores.db).get("demo")["costs_help"]
    assert saved == {"en": "Insurance: ask billing.\nParking: free for parents.", "zh": "医保报销：问社工。\n停车：家长免费。"}


def test_the_inbox_groups_similar_questions(app, editor):
    log = UnansweredLog(app.state.gateway.stores.db)
    for text in ["can the dog sleep in her room", "can the dog sleep in his room?", "Can our dog sleep in her room",
                 "狗可以进孩子房间吗", "狗能进孩子的房间吗", "what is the wifi password"]:
        log.add(text, "zh" if "狗" in text else "en", "demo", "s1", None, None)
    log.add("can the dog sleep in her room", "en", "other_clinic", "s2", None, None)
    groups = log.groups("demo")
    assert [g.count for g in groups][:3] == [3, 2, 1] and groups[0].lang == "en" and groups[1].lang == "zh"
    page = editor.get("/console/unanswered").text
    assert "2 other wordings" in page and "狗可以进孩子房间吗" in page
    dismissed = editor.post("/console/unanswered/dismiss", data={"csrf_token": editor.csrf,
                                                                "ids": ",".join(map(str, groups[2].ids))})
    assert dismissed.status_code == 303 and "wifi" not in editor.get("/console/unanswered").text
    assert [g.count for g in log.groups("other_clinic")] == [1]  # another clinic's inbox is untouched


def test_a_dismissal_says_how_many_and_can_be_undone(app, editor):
    log = UnansweredLog(app.state.gateway.stores.db)
    for text in ["where do I park at the hospital", "is there a cafe on the ward"]:
        log.add(text, "en", "demo", "s1", None, None)
    ids = [str(g.ids[0]) for g in log.groups("demo") if "park" in g.texts[0] or "cafe" in g.texts[0]]
    done = editor.post("/console/unanswered/dismiss", data={"csrf_token": editor.csrf, "ids": ids})
    page = editor.get(done.headers["location"]).text
    assert "Dismissed 2 questions." in page and "park" not in page
    tag = done.headers["location"].split("undo=")[1]
    restored = editor.post("/console/unanswered/undo", data={"csrf_token": editor.csrf, "undo": unquote_plus(tag)})
    page = editor.get(restored.headers["location"]).text
    assert "Put back 2 questions." in page and "where do I park at the hospital" in page


def test_a_warning_sign_in_the_inbox_is_flagged_first_and_can_be_escalated(app, editor):
    log = UnansweredLog(app.state.gateway.stores.db)
    log.add("what time does the pharmacy open", "en", "demo", "s9", None, None)
    log.add("black poop since this morning", "en", "demo", "s9", None, None)
    page = editor.get("/console/unanswered").text
    rows = page.split('<tbody>')[1]
    assert rows.index("black poop since this morning") < rows.index("what time does the pharmacy open")
    assert 'class="warning"' in rows.split("black poop")[0].rsplit("<tr", 1)[1]
    flagged = next(g for g in log.groups("demo") if g.texts[0] == "black poop since this morning")
    opened = editor.post("/console/unanswered/escalate", data={"csrf_token": editor.csrf,
                                                              "ids": ",".join(map(str, flagged.ids))})
    assert opened.status_code == 303 and "/console/escalations/" in opened.headers["location"]
    record = editor.get(opened.headers["location"]).text
    assert "black poop since this morning" in record
    assert "black poop since this morning" not in editor.get("/console/unanswered").text


def test_the_inbox_can_be_searched_and_filtered_by_language(app, editor):
    log = UnansweredLog(app.state.gateway.stores.db)
    log.add("can grandma visit with a cold", "en", "demo", "s3", None, None)
    log.add("奶奶感冒了能来看孩子吗", "zh", "demo", "s3", None, None)
    assert "奶奶感冒了" not in editor.get("/console/unanswered?lang=en").text
    found = editor.get("/console/unanswered?q=GRANDMA").text
    assert "can grandma visit with a cold" in found and "奶奶感冒了" not in found


def test_different_questions_in_the_same_pattern_are_not_grouped(app):
    log = UnansweredLog(app.state.gateway.stores.db)
    for text in ["孩子发烧了怎么办啊", "孩子便秘了怎么办啊", "can he eat sushi", "can he eat cake"]:
        log.add(text, "zh" if "孩" in text else "en", "pattern_clinic", "s1", None, None)
    assert [g.count for g in log.groups("pattern_clinic")] == [1, 1, 1, 1]


def test_a_pages_own_refresh_does_not_keep_a_session_alive(app, editor):
    db = app.state.gateway.stores.db
    token = hashlib.sha256(editor.cookies.get(COOKIE).encode()).hexdigest()
    seen = lambda: db.scalar("select seen_at from sessions where token_hash = :t", {"t": token})  # noqa: E731
    almost = (clock.now() - dt.timedelta(minutes=IDLE_MINUTES - 1)).isoformat()
    db.execute("update sessions set seen_at = :at where token_hash = :t", {"at": almost, "t": token})
    polled = editor.get("/console/escalations/rows", headers={"X-Background-Refresh": "1"})
    assert polled.status_code == 200 and seen() == almost  # the page's own refresh: not extended
    assert editor.get("/console").status_code == 200 and seen() > almost  # the nurse herself: extended


def test_an_idle_session_expires(app, editor):
    sessions = Sessions(app.state.gateway.stores.db)
    long_ago = (clock.now() - dt.timedelta(minutes=IDLE_MINUTES + 1)).isoformat()
    app.state.gateway.stores.db.execute("update sessions set seen_at = :at", {"at": long_ago})
    assert editor.get("/console").status_code == 303
    assert sessions.get("anything") is None


def test_an_unknown_console_page_is_a_page_not_json(editor):
    response = editor.get("/console/no-such-page")
    assert response.status_code == 404 and "<html" in response.text and "Back to the overview" in response.text


def test_every_page_says_when_the_clinic_cannot_be_alerted(app, editor):
    registry = ClinicRegistry(app.state.gateway.stores.db)
    demo = registry.get("demo")
    try:
        registry.save({**demo, "alerts": {}})
        for path in ("/console", "/console/articles", "/console/escalations"):
            assert "No alert target is set for this clinic" in editor.get(path).text
        registry.save({**demo, "alerts": {"email_to": "oncall@clinic.example"}})
        assert 'class="banner"' not in editor.get("/console").text
        store = app.state.console
        escalation = store.escalations.report("demo", "c-banner", "en", {"severity": "red", "emergency": False,
                                              "categories": ["fever"], "evidence": ["39"]}, "39", 0).escalation
        row = {"id": store.outbox.enqueue(escalation["id"], "email", "oncall@clinic.example", "alert", {}),
               "attempts": 0, "channel": "email"}
        store.outbox.mark_failed(row, "refused")
        assert "The last alerts could not be delivered (email)" in editor.get("/console").text
        store.outbox.mark_delivered(row)
        assert 'class="banner"' not in editor.get("/console").text
    finally:
        registry.save(demo)


def test_each_step_says_what_it_did(app, editor, admin):
    store = ContentStore(app.state.gateway.stores.db)
    article = store.latest("travel")
    article["en"]["questions"] = article["en"]["questions"] + ["can we take the pump on a ferry"]
    app.state.console.workflow.edit(article, "edna")
    sent = editor.post("/console/articles/travel/submit", data={"csrf_token": editor.csrf})
    assert sent.headers["location"].endswith("?done=submit")
    assert "Sent for review to the reviewers of Demo Children&#39;s Hospital." in editor.get(sent.headers["location"]).text
    published = admin.post("/console/articles/travel/approve", data={"csrf_token": admin.csrf})
    assert "Published: live in the chat now." in admin.get(published.headers["location"]).text


def test_the_same_question_in_both_languages_sits_together_under_its_likely_article(app, editor):
    log = UnansweredLog(app.state.gateway.stores.db)
    log.add("how do I keep the pump dry in the bath tonight", "en", "demo", "s7", None, None)
    log.add("今天晚上洗澡时怎么让输液泵不沾水", "zh", "demo", "s7", None, None)
    rows = editor.get("/console/unanswered").text.split("<tbody>")[1]
    heading = rows.split('class="likely"')
    together = [part for part in heading[1:] if "keep the pump dry" in part and "洗澡" in part]
    assert together, "the English and Chinese question are not under one article"


def test_a_money_question_answered_by_the_costs_reply_is_not_in_the_inbox(app, editor):
    """The costs reply is that question's own answer: nothing for a nurse to add to an article,
    so no article (a travel one, say) is offered for it either."""
    db = app.state.gateway.stores.db
    UnansweredLog(db).add("does insurance cover this?", "en", "demo", "s8", "ask_costs", 0.93)
    UnansweredLog(db).add("can grandpa bring his parrot to the ward", "en", "demo", "s8", "out_of_scope", 0.7)
    page = editor.get("/console/unanswered").text
    assert "insurance" not in page and "can grandpa bring his parrot to the ward" in page
    open_texts = [text for g in UnansweredLog(db).groups("demo") for text in g.texts]
    assert "does insurance cover this?" not in open_texts and "can grandpa bring his parrot to the ward" in open_texts


def audit_rows(page: str) -> list[list[str]]:
    """The rows of the page's audit table (its last table), cell by cell, as text."""
    body = page.rsplit("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_audit_log_reads_as_sentences_in_the_nurses_language(app, admin):
    log = app.state.console.content.log
    log("ada", "clinic_settings", "demo", {"changed": ["alerts.webhook_url", "phone_24h"]})
    log("ada", "approve", "fever", {"version": 4, "status": "published"})
    log("ada", "acknowledge", "escalation 12")
    log("ada", "rollback to v3", "fever", {"version": 9, "status": "in_review"})
    # As the settings page records a secret: only that it changed, in words of the nurse's language.
    log("ada", "clinic_settings", "demo", {"changed": {"alerts.webhook_secret": SECRET_CHANGED}})
    # Keys this page was not written for (what a later change may record) still read as words.
    log("ada", "clinic_settings", "demo", {"changed": {"phone_24h": {"before": "+1 555 0199", "after": "+1 555 0100"}},
                                            "alerts.renotify_minutes": 20, "new_thing_count": 3})
    rows = [(row[2], row[3], row[4]) for row in audit_rows(admin.get("/console/audit").text)]
    assert ("clinic settings changed", "demo", "Changed: 24-hour number (before: +1 555 0199; after: +1 555 0100). "
            "Re-notify after (minutes): 20. new thing count: 3.") in rows
    assert ("clinic settings changed", "demo", "Changed: Webhook URL, 24-hour number.") in rows
    assert ("clinic settings changed", "demo", "Changed: Webhook secret: changed (not shown).") in rows
    assert ("approved and published", "fever", "Version 4. Status: published.") in rows
    assert ("escalation acknowledged", "Escalation #12", "") in rows
    assert ("rolled back to v3", "fever", "Version 9. Status: in review.") in rows
    assert not [details for *_, details in rows if "{" in details or "[" in details]

    admin.post("/console/language", data={"lang": "zh", "csrf_token": admin.csrf, "next": "/console/audit"})
    try:
        chinese = [(row[2], row[3], row[4]) for row in audit_rows(admin.get("/console/audit").text)]
        assert ("修改诊所设置", "demo", "改动了：Webhook 网址、24 小时电话。") in chinese
        assert ("修改诊所设置", "demo", "改动了：Webhook 密钥：已修改（不显示）。") in chinese
        assert ("修改诊所设置", "demo", "改动了：24 小时电话（修改前：+1 555 0199；修改后：+1 555 0100）。"
                "多少分钟后再次提醒：20。new thing count：3。") in chinese
        assert ("审核通过并发布", "fever", "第 4 版。状态：已发布。") in chinese
        assert ("确认上报", "上报 #12", "") in chinese
        # An article's history names its actions in the nurse's language too: "import" as well.
        history = audit_rows(admin.get("/console/articles/fever/history").text)
        assert ["import", "导入内容", "第 1 版。状态：已发布。"] in [row[1:] for row in history]
    finally:
        admin.post("/console/language", data={"lang": "en", "csrf_token": admin.csrf, "next": "/console/audit"})


def test_amber_has_one_chinese_name_on_the_queue(app, editor):
    store = app.state.console
    store.escalations.report("demo", "c-amber", "zh", {"severity": "amber", "emergency": False,
                             "categories": ["rash"], "evidence": ["皮疹"]}, "有点皮疹", 0)
    editor.post("/console/language", data={"lang": "zh", "csrf_token": editor.csrf, "next": "/console/escalations"})
    try:
        queue = editor.get("/console/escalations").text
    finally:
        editor.post("/console/language", data={"lang": "en", "csrf_token": editor.csrf, "next": "/console"})
    badges = set(re.findall(r'<span class="badge amber">([^<]*)</span>', queue))
    assert badges == {"黄色"} and '<option value="amber">黄色</option>' in queue and "再黄色" in queue
    assert "橙色" not in queue


def test_counts_are_said_in_the_right_number(app, editor):
    """"1 message", "2 messages": an English count agrees with its noun (Chinese has one form)."""
    store = app.state.console
    sign = {"severity": "red", "emergency": True, "categories": ["neuro"], "evidence": ["seizure"]}
    one = store.escalations.report("demo", "c-count-1", "en", sign, "he is having a seizure", 0).escalation
    two = store.escalations.report("demo", "c-count-2", "en", sign, "he is having a seizure", 0).escalation
    store.escalations.report("demo", "c-count-2", "en", sign, "still fitting, lips blue", 0)
    assert re.search(r"\b1 message, language", editor.get(f"/console/escalations/{one['id']}").text)
    assert re.search(r"\b2 messages, language", editor.get(f"/console/escalations/{two['id']}").text)
    overview = editor.get("/console").text
    count, noun = re.search(r"<strong>(\d+)</strong>(emergenc(?:y|ies)) not yet acknowledged", overview).groups()
    assert int(count) >= 2 and noun == "emergencies"
