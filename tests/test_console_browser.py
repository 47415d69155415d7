"""The nurse console in a real browser against the real stack: what nurses do on a shift.

Screenshots of each page go to tests/artifacts/console-*.png.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from playwright.sync_api import Page, expect

from bot.console.accounts import Accounts
from bot.content.store import ContentStore
from bot.escalation.store import EscalationStore
from tests.browser import AXE, DESKTOP, shoot
from tests.console_client import PASSWORD, console_session
from tests.stack import articles_restored, letters_tag, new_sender, wait_until

ARTICLE = "bathing_showering"


@pytest.fixture(scope="module", autouse=True)
def shared_content_restored(stack):
    """These tests edit, publish and draft articles that other modules read: put them back."""
    with articles_restored(stack, ARTICLE, "fatigue", "travel"):
        yield


@pytest.fixture(scope="module")
def nurses(stack):
    """An editor and two reviewers of the demo clinic (names unique to this module)."""
    tag = uuid.uuid4().hex[:6]
    accounts = Accounts(stack.database())
    names = {"editor": f"edna{tag}", "reviewer": f"rita{tag}", "second_reviewer": f"rosa{tag}"}
    for key, name in names.items():
        accounts.add(name, "demo", "editor" if key == "editor" else "reviewer", PASSWORD)
    return names


def log_in(browser, stack, username: str, locale: str = "en-US", **context) -> Page:
    page = browser.new_context(**DESKTOP, locale=locale, **context).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(stack.url + "/console")
    expect(page).to_have_url(stack.url + "/console/login?next=/console")
    page.get_by_label("用户名" if locale.startswith("zh") else "Username").fill(username)
    page.get_by_label("密码" if locale.startswith("zh") else "Password").fill(PASSWORD)
    page.get_by_role("button", name="登录" if locale.startswith("zh") else "Log in").click()
    expect(page).to_have_url(stack.url + "/console")
    return page


def test_login_page_and_wrong_password(browser, stack, nurses):
    page = browser.new_context(**DESKTOP, locale="zh-CN").new_page()
    page.goto(stack.url + "/console/login")
    shoot(page, "console-login-zh")
    page.get_by_label("用户名").fill(nurses["editor"])
    page.get_by_label("密码").fill("not the password at all")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("不匹配")


def test_chinese_edit_is_reviewed_by_someone_else_and_live_at_once(browser, stack, nurses):
    marker = f"护士提醒{uuid.uuid4().hex[:4]}：洗澡前先把泵放在干燥的地方。"
    editor = log_in(browser, stack, nurses["editor"], "zh-CN")
    shoot(editor, "console-overview-zh")
    editor.goto(stack.url + f"/console/articles/{ARTICLE}")
    answer = editor.locator("textarea[name=zh_answer]")
    answer.fill(answer.input_value() + "\n\n" + marker + "\n\n24小时电话：{{ clinic.phone_24h }}")
    # The preview is the widget's own card, with the clinic's number filled in.
    preview = editor.locator("#preview-zh .msg.bot")
    expect(preview).to_contain_text(marker)
    expect(preview).to_contain_text("+1 555 0199")
    shoot(editor, "console-editor-zh", full_page=True)
    editor.get_by_role("button", name="保存草稿").click()
    expect(editor.locator(".flash")).to_contain_text("已保存")
    editor.get_by_role("button", name="提交审核").click()
    expect(editor.get_by_text("等待审核人。")).to_be_visible()

    # Families still see the published answer until a reviewer approves.
    before = stack.chat('/faq{"topic": "%s"}' % ARTICLE, lang="zh")
    assert marker not in before["messages"][0]["text"]

    reviewer = log_in(browser, stack, nurses["reviewer"])
    reviewer.goto(stack.url + f"/console/articles/{ARTICLE}/history")
    expect(reviewer.locator(".diff .add").filter(has_text=marker)).to_be_visible()
    shoot(reviewer, "console-history-en", full_page=True)
    reviewer.goto(stack.url + f"/console/articles/{ARTICLE}")
    # Only the Chinese changed: the reviewer is told, and says the English still says the same.
    expect(reviewer.locator("#left-behind")).to_contain_text("Check that the English answer still says the same.")
    shoot(reviewer, "console-review-one-language-en", full_page=True)
    reviewer.get_by_role("button", name="Approve and publish").click()
    checked = reviewer.get_by_label(re.compile("I checked: the English text still says the same"))
    assert checked.evaluate("box => box.validity.valueMissing")  # the browser did not send the form
    assert ContentStore(stack.database()).article_row(ARTICLE)["status"] == "in_review"
    checked.check()
    reviewer.get_by_role("button", name="Approve and publish").click()
    expect(reviewer.locator(".badge.published").first).to_be_visible()

    after = stack.chat('/faq{"topic": "%s"}' % ARTICLE, lang="zh")
    assert marker in after["messages"][0]["text"] and after["meta"]["kind"] == "answer"


def test_a_reviewer_cannot_approve_their_own_change(browser, stack, nurses):
    reviewer = log_in(browser, stack, nurses["reviewer"])
    reviewer.goto(stack.url + "/console/articles/fatigue")
    title = reviewer.locator("input[name=en_title]")
    title.fill(title.input_value() + " (tiredness)")
    reviewer.get_by_role("button", name="Save draft").click()
    reviewer.get_by_role("button", name="Send for review").click()
    expect(reviewer.get_by_text("You made the last change, so another reviewer must approve it.").first).to_be_visible()
    expect(reviewer.get_by_role("button", name="Approve and publish")).to_have_count(0)
    shoot(reviewer, "console-own-change-en")
    # Nor by posting the form directly.
    client = httpx.Client(base_url=stack.url)
    csrf = console_session(client, nurses["reviewer"])
    refused = client.post("/console/articles/fatigue/approve", data={"csrf_token": csrf})
    assert refused.status_code == 409
    assert ContentStore(stack.database()).article_row("fatigue")["status"] == "in_review"
    # A second reviewer can.
    second = log_in(browser, stack, nurses["second_reviewer"])
    second.goto(stack.url + "/console/articles/fatigue")
    second.get_by_label(re.compile("I checked: the Chinese text still says the same")).check()  # an English-only change
    second.get_by_role("button", name="Approve and publish").click()
    expect(second.locator(".badge.published").first).to_be_visible()


def test_an_unanswered_question_becomes_an_example(browser, stack, nurses):
    question = f"can we bring the pump bag on a boat trip {letters_tag()}"
    reply = stack.chat(question, lang="en")
    if reply["meta"]["kind"] != "fallback":  # the model may already know it; make sure one is logged
        from bot.unanswered import UnansweredLog
        UnansweredLog(stack.database()).add(question, "en", "demo", "t-x", "faq", 0.2)
    editor = log_in(browser, stack, nurses["editor"])
    editor.goto(stack.url + "/console/unanswered")
    group = editor.locator("table.inbox tr").filter(has_text=question)
    expect(group).to_be_visible()
    shoot(editor, "console-unanswered-en", full_page=True)
    group.get_by_label("Article").select_option("travel")
    group.get_by_role("button", name="Add as example").click()
    expect(editor.locator(".flash")).to_contain_text("after the next retrain")  # says what happens next
    store = ContentStore(stack.database())
    assert store.article_row("travel")["status"] == "draft" and question in store.latest("travel")["en"]["questions"]
    expect(editor.locator("table.inbox tr").filter(has_text=question)).to_have_count(0)


def test_a_warning_sign_in_the_inbox_is_flagged_in_both_languages(browser, stack, nurses):
    from bot.unanswered import UnansweredLog
    log = UnansweredLog(stack.database())
    tag = letters_tag()
    log.add(f"导管破了一个口子 {tag}", "zh", "demo", new_sender(), None, None)
    log.add(f"what time is the car park open {tag}", "en", "demo", new_sender(), None, None)
    for locale, shot in (("zh-CN", "console-inbox-triage-zh"), ("en-US", "console-inbox-triage-en")):
        nurse = log_in(browser, stack, nurses["editor"], locale)
        nurse.goto(stack.url + "/console/unanswered")
        flagged = nurse.locator("table.inbox tbody tr").filter(has_text=f"导管破了一个口子 {tag}")
        expect(flagged).to_have_class("warning")
        texts = nurse.locator("table.inbox tbody tr").all_inner_texts()
        assert [i for i, t in enumerate(texts) if f"破了一个口子 {tag}" in t] < \
            [i for i, t in enumerate(texts) if f"car park open {tag}" in t]  # warning signs first
        shoot(nurse, shot, full_page=True)
    flagged.get_by_role("button", name="Open an escalation record").click()
    expect(nurse.locator("blockquote.said")).to_contain_text(f"导管破了一个口子 {tag}")
    nurse.get_by_label("What was done").fill("Test record: rang the family.")
    nurse.get_by_role("button", name="Resolve").click()


def test_an_escalation_appears_by_itself_and_is_acknowledged(browser, stack, nurses):
    nurse = log_in(browser, stack, nurses["editor"], timezone_id="Asia/Shanghai")
    nurse.goto(stack.url + "/console/escalations")
    sender = new_sender()
    reply = stack.chat("my daughter has a fever of 39.4 and she is shaking", sender=sender, lang="en")
    escalation_id = reply["meta"]["escalation_id"]
    row = nurse.locator("#queue table.queue-table tr").filter(
        has=nurse.locator(f'a[href="/console/escalations/{escalation_id}"]'))
    expect(row).to_be_visible(timeout=20_000)  # no reload: the queue refreshes itself
    shoot(nurse, "console-escalations-en")
    row.get_by_role("link").click()
    expect(nurse.locator(".transcript")).to_contain_text("fever of 39.4")
    # The conversation's times are the nurse's own (her browser's zone), not UTC.
    said_at = nurse.locator(".transcript time").first
    expect(said_at).not_to_contain_text("UTC")
    utc = dt.datetime.fromisoformat(said_at.get_attribute("datetime"))
    local = utc.replace(tzinfo=utc.tzinfo or dt.timezone.utc).astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert said_at.inner_text().startswith(f"{local.hour % 12 or 12}:{local.minute:02d}")
    nurse.get_by_role("button", name="Acknowledge (stops re-notification)").click()
    expect(nurse.get_by_text(f"Acknowledged by {nurses['editor']}.")).to_be_visible()
    shoot(nurse, "console-escalation-en", full_page=True)
    store = EscalationStore(stack.database())
    assert store.get(escalation_id)["acknowledged_by"] == nurses["editor"]
    assert all(e["id"] != escalation_id for e in store.due_for_renotification("demo", minutes=0))
    nurse.get_by_label("What was done").fill("Called the family; coming in to the ward.")
    nurse.get_by_role("button", name="Resolve").click()
    expect(nurse.locator(".flash")).to_contain_text("Called the family")
    assert wait_until(lambda: store.get(escalation_id)["resolved_at"] is not None)


def test_console_pages_have_no_serious_accessibility_violations(browser, stack, nurses):
    page = log_in(browser, stack, nurses["reviewer"], "zh-CN", bypass_csp=True)  # to inject axe
    for path in ("/console", f"/console/articles/{ARTICLE}", "/console/escalations", "/console/unanswered",
                 "/console/analytics", "/console/model", "/console/articles", "/console/audit"):
        page.goto(stack.url + path)
        shoot(page, "console" + path.replace("/console", "").replace("/", "-") + "-zh", full_page=True)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], v["nodes"][0]["target"]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (path, serious)


def test_a_new_emergency_behind_110_open_escalations_is_on_the_first_screen(browser, stack, nurses):
    """110 reports raised through the chat (every eleventh an emergency), then one new emergency."""
    store = EscalationStore(stack.database())

    def report(i: int) -> int:
        said = "he is having a fit and his lips are blue" if i % 11 == 0 else f"my daughter has a fever of 39.{i % 10}"
        return stack.chat(said, lang="en")["meta"]["escalation_id"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        backlog = list(pool.map(report, range(110)))
    try:
        nurse = log_in(browser, stack, nurses["reviewer"])
        nurse.goto(stack.url + "/console/escalations")
        total = store.queue_size("demo")
        assert total >= 110
        expect(nurse.get_by_text(f"Showing 1–50 of {total}.")).to_be_visible()
        expect(nurse.locator(".pager")).to_contain_text(f"Page 1 of {-(-total // 50)}")
        reply = stack.chat("my son is having a seizure right now and he won't wake up", lang="en")
        emergency_id = reply["meta"]["escalation_id"]
        backlog.append(emergency_id)
        pinned = nurse.locator("table.urgent tr").filter(has=nurse.locator(f'a[href="/console/escalations/{emergency_id}"]'))
        expect(pinned).to_be_in_viewport(timeout=20_000)  # no paging, no reload, no typing its address
        expect(pinned).to_contain_text("emergency")
        expect(nurse.locator("#new-red")).to_be_visible()
        shoot(nurse, "console-queue-en")
        nurse.get_by_role("button", name="Mute the alert sound").click()
        expect(nurse.locator("#mute")).to_have_attribute("aria-pressed", "true")
        nurse_zh = log_in(browser, stack, nurses["reviewer"], "zh-CN")
        nurse_zh.goto(stack.url + "/console/escalations?status=new&severity=emergency")
        expect(nurse_zh.locator("table.queue-table")).to_contain_text(f"#{emergency_id}")
        shoot(nurse_zh, "console-queue-zh")
    finally:  # resolved, so that nobody is re-notified about test records
        for escalation_id in backlog:
            store.resolve(escalation_id, nurses["reviewer"], "test backlog")
