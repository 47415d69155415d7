"""The chat widget in a real browser (Debian's chromium driven by Playwright), on a phone and
a desktop viewport, against the real stack. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import contextlib
import functools
import gzip
import json
import os
import re
import signal
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import Page, expect

from bot.runner import gateway_command
from tests.browser import ARTIFACTS, AXE, DESKTOP, PHONE, shoot
from tests.conftest import ACK_TOKEN
from tests.stack import ROOT, free_port, review_label


def open_widget(browser, stack, device: dict, lang: str = "en", **context_options) -> Page:
    context = browser.new_context(**device, locale="zh-CN" if lang == "zh" else "en-US", **context_options)
    page = context.new_page()
    page.goto(stack.url + "/")
    page.get_by_role("button", name="提问" if lang == "zh" else "Ask a question").click()
    return page


def ask(page: Page, text: str) -> None:
    before = page.locator(".msg.bot, .msg.notice").count()
    page.get_by_label("您的消息" if page.locator("section.panel[lang=zh]").count() else "Your message").fill(text)
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot, .msg.notice")).to_have_count(before + 1, timeout=30_000)


def last_reply(page: Page):
    return page.locator(".msg.bot, .msg.notice").last


def test_english_answer_on_a_phone_is_full_screen_with_review_date(browser, stack):
    page = open_widget(browser, stack, PHONE)
    panel = page.locator("section.panel").bounding_box()
    assert panel["width"] == 390 and panel["height"] == 844
    expect(page.get_by_role("link", name="Call care team +1 555 0199")).to_have_attribute("href", "tel:+15550199")
    header = page.locator("section.panel header").bounding_box()
    assert header["height"] <= 64, header        # one row: under 8 % of the phone's height
    ask(page, "can my son take a shower with his line")
    reply = last_reply(page)
    expect(reply).to_contain_text("dry")
    expect(reply.locator("summary")).to_contain_text(review_label(stack, "bathing_showering", "en"))
    shoot(page, "phone-en")


def test_chinese_interface_and_answer(browser, stack):
    for name, device in (("phone", PHONE), ("desktop", DESKTOP)):
        page = open_widget(browser, stack, device)
        page.get_by_role("button", name="Switch to Chinese").click()
        expect(page.get_by_role("link", name="打给医护团队 +1 555 0199")).to_be_visible()
        ask(page, "泵一直在响怎么办")
        expect(last_reply(page)).to_contain_text("泵")
        expect(last_reply(page).locator("summary")).to_contain_text(review_label(stack, "pump_alarm", "zh"))
        shoot(page, f"{name}-zh")


def test_escalation_is_an_urgent_card_with_working_call_links(browser, stack):
    for name, device in (("phone", PHONE), ("desktop", DESKTOP)):
        page = open_widget(browser, stack, device)
        ask(page, "he is having a seizure right now")
        card = last_reply(page)
        expect(card).to_have_class("msg bot urgent")
        expect(card.locator("a.tel").first).to_have_attribute("href", "tel:911")
        expect(card.locator("a.tel").nth(1)).to_have_attribute("href", "tel:+15550199")
        # The call buttons come before any words of advice.
        assert card.locator("a.tel").first.bounding_box()["y"] < card.locator("p:not(.label)").first.bounding_box()["y"]
        shoot(page, f"{name}-escalation")


def test_the_urgent_label_is_in_the_language_of_the_reply(browser, stack):
    page = open_widget(browser, stack, PHONE)  # an English interface
    ask(page, "孩子抽搐了，叫不醒")
    expect(last_reply(page).locator(".label")).to_have_text("紧急")


def test_history_survives_a_reload_and_can_be_cleared(browser, stack):
    page = open_widget(browser, stack, DESKTOP)
    ask(page, "what is CRS")
    shoot(page, "desktop-en")
    page.reload()
    expect(page.locator(".msg.user")).to_have_text(["what is CRS"])
    expect(page.locator(".msg.bot")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.dismiss())   # "Clear this conversation?" — no
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name="Clear").click()
    expect(page.locator(".msg.user")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name="Clear").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    expect(page.get_by_role("group", name="Common questions")).to_be_visible()


def test_html_from_anyone_is_shown_as_text(browser, stack):
    page = open_widget(browser, stack, DESKTOP)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attack = "<img src=x onerror=alert(1)>"
    ask(page, attack)
    expect(page.locator(".msg.user").last).to_have_text(attack)
    assert page.locator("img").count() == 0 and dialogs == []


def test_a_message_near_the_limit_says_how_much_is_left_and_by_how_much_it_is_over(browser, stack):
    """A parent who pastes a long message learns, in her language, what is left, then how much is
    over; nothing is cut from the box, and Send sends the part that fits and keeps the rest."""
    page = open_widget(browser, stack, PHONE, "zh")
    box = page.get_by_label("您的消息")
    box.fill("我家孩子" * 200)  # 800 characters: nothing said yet
    expect(page.locator(".limit")).to_be_hidden()
    box.fill("我家孩子" * 230)  # 920
    expect(page.locator(".limit")).to_have_text("这条消息还能写 80 个字。")
    box.fill("🌡" * 950)  # counted as the server counts: 950 characters, not 1,900 UTF-16 units
    expect(page.locator(".limit")).to_have_text("这条消息还能写 50 个字。")
    box.fill("我家孩子" * 300)  # 1200 pasted: all of it stays
    expect(box).to_have_value("我家孩子" * 300)
    expect(page.locator(".limit")).to_contain_text("比一条消息最多能写的多了 200 个字")
    page.keyboard.press("Enter")
    expect(page.locator(".msg.user")).to_have_text(["我家孩子" * 250])  # no sentence or space: cut at 1000
    expect(box).to_have_value("我家孩子" * 50)
    expect(page.locator(".limit")).to_be_hidden()


def test_a_long_paste_goes_in_parts_cut_at_sentences_and_nothing_is_lost(browser, stack):
    page = open_widget(browser, stack, PHONE)
    box = page.get_by_label("Your message")
    pasted = " ".join(f"Day {day:02d}: she ate rice and soup, drank her water and played with her sister."
                      for day in range(1, 30))[:2040]
    box.fill(pasted)
    expect(box).to_have_value(pasted)
    expect(page.locator(".limit")).to_contain_text("This is 1040 characters more than one message can hold. "
                                                   "Send will send the first part")
    parts = []
    while box.input_value():
        page.keyboard.press("Enter")
        expect(page.locator(".msg.bot")).to_have_count(len(parts) + 1, timeout=30_000)
        parts.append(page.locator(".msg.user").last.inner_text())
    assert len(parts) == 3 and all(len(part) <= 1000 for part in parts), [len(part) for part in parts]
    assert all(part.endswith("sister.") for part in parts[:2]), parts  # each cut after a sentence
    assert " ".join(parts) == pasted


def test_keyboard_only_conversation(browser, stack):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(stack.url + "/")
    page.locator("#carebot-widget").wait_for(state="attached")
    for _ in range(10):  # Tab from the page into the widget's launcher
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id === 'carebot-widget'"):
            break
    page.keyboard.press("Enter")
    expect(page.locator("textarea")).to_be_focused()
    page.keyboard.type("can she go to school")
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot")).to_have_count(1, timeout=30_000)
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Ask a question")).to_be_focused()


def test_a_bare_sign_gets_first_aid_and_yes_escalates_it(browser, stack):
    page = open_widget(browser, stack, PHONE)
    ask(page, "seizure")
    card = last_reply(page)
    expect(card).to_have_class("msg bot urgent")
    expect(card).to_contain_text("Is this happening to your child now?")
    expect(card.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    before = page.locator(".msg.bot").count()
    card.get_by_role("button", name="Yes, it is happening now").click()
    expect(page.locator(".msg.bot")).to_have_count(before + 1, timeout=30_000)
    expect(last_reply(page)).to_contain_text("Call the care team now")
    shoot(page, "phone-clarify-yes")


def test_quick_reply_chip_asks_its_topic(browser, stack):
    page = open_widget(browser, stack, PHONE)
    page.get_by_role("group", name="Common questions").get_by_role("button").first.click()
    expect(page.locator(".msg.bot")).to_have_count(1, timeout=30_000)
    expect(page.locator(".msg.bot summary")).to_contain_text("Reviewed")


def test_gateway_unreachable_shows_what_to_do(browser, stack):
    page = open_widget(browser, stack, PHONE)
    page.route("**/api/chat", lambda route: route.abort())
    ask(page, "is it safe to travel")
    notice = last_reply(page)
    expect(notice).to_have_class("msg notice")
    expect(notice).to_contain_text("cannot check for warning signs")
    expect(notice.locator("a.tel").first).to_have_attribute("href", "tel:+15550199")
    expect(notice.locator("a.tel").nth(1)).to_have_attribute("href", "tel:911")
    expect(page.get_by_label("Your message")).to_have_value("is it safe to travel")  # nothing is lost
    expect(page.locator(".msg.user")).to_have_count(0)
    shoot(page, "phone-offline")
    page.unroute("**/api/chat")
    notice.get_by_role("button", name="Retry").click()
    expect(page.locator(".msg.bot")).to_have_count(1, timeout=30_000)
    expect(page.locator(".msg.user")).to_have_text(["is it safe to travel"])
    expect(page.locator(".msg.notice")).to_have_count(0)


def held_chats(page: Page) -> list:
    """Requests to /api/chat, held unanswered until the test continues or aborts them: a slow
    network (an aborted one fails the way the widget's own 30-second timeout does)."""
    held = []
    page.route("**/api/chat", lambda route: held.append(route))
    return held


def wait_for(page: Page, condition) -> None:
    for _ in range(200):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the widget sent nothing")


def test_the_draft_survives_a_language_change_by_the_switch(browser, stack):
    page = open_widget(browser, stack, PHONE)
    page.get_by_label("Your message").fill("my draft question about the pump")
    page.get_by_role("button", name="Switch to Chinese").click()
    expect(page.get_by_label("您的消息")).to_have_value("my draft question about the pump")


def test_the_draft_survives_a_reply_that_changes_the_language_while_the_parent_types(browser, stack):
    page = open_widget(browser, stack, PHONE)
    held = held_chats(page)
    box = page.locator("textarea")
    box.fill("孩子可以洗澡吗")
    page.keyboard.press("Enter")
    page.keyboard.type("and about swimming in the sea")
    for _ in range(len("about swimming in the sea")):   # the caret goes back after "and "
        page.keyboard.press("ArrowLeft")
    wait_for(page, lambda: held)
    held[0].continue_()                                   # the Chinese reply arrives mid-sentence
    expect(page.locator("section.panel")).to_have_attribute("lang", "zh")
    page.keyboard.type("what ")
    expect(box).to_have_value("and what about swimming in the sea")
    expect(box).to_be_focused()


def test_retry_sends_the_text_as_the_parent_edited_it(browser, stack):
    page = open_widget(browser, stack, PHONE)
    page.route("**/api/chat", lambda route: route.abort())
    ask(page, "my son is burning up, 39.2")
    box = page.get_by_label("Your message")
    expect(box).to_have_value("my son is burning up, 39.2")    # back in the box, to edit
    box.press("End")
    page.keyboard.type(" and shivering")
    page.unroute("**/api/chat")
    with page.expect_request("**/api/chat") as request:
        last_reply(page).get_by_role("button", name="Retry").click()
    assert request.value.post_data_json["message"] == "my son is burning up, 39.2 and shivering"
    expect(page.locator(".msg.bot")).to_have_count(1, timeout=30_000)
    expect(page.locator(".msg.user")).to_have_text(["my son is burning up, 39.2 and shivering"])
    expect(page.locator(".msg.notice")).to_have_count(0)
    expect(box).to_have_value("")


def test_a_slow_network_loses_nothing_the_parent_wrote(browser, stack):
    first, second = "is the pump supposed to hum at night", "and can he sleep on his side"
    page = open_widget(browser, stack, PHONE)
    held = held_chats(page)
    box = page.get_by_label("Your message")
    box.fill(first)
    page.keyboard.press("Enter")
    wait_for(page, lambda: held)
    box.fill(second)
    page.keyboard.press("Enter")       # one message at a time: this one waits in the box
    expect(page.get_by_role("status").filter(has_text="Your last message is still on its way")).to_be_visible()
    expect(page.get_by_role("link", name="Call care team +1 555 0199")).to_be_visible()
    send = page.get_by_role("button", name="Send")
    assert float(send.evaluate("b => getComputedStyle(b).opacity")) < 1   # it looks held, too
    page.keyboard.type(", and a third thought")
    held[0].abort()                    # the first message fails while the parent is writing
    unsent = page.locator(".unsent")
    expect(unsent.locator(".msg.user")).to_contain_text(first)
    expect(unsent.locator(".tag")).to_have_text("Not sent")
    expect(box).to_have_value(second + ", and a third thought")   # the draft is not overwritten
    assert len(held) == 1
    page.unroute("**/api/chat")
    page.route("**/api/chat", lambda route: route.abort())
    expect(page.get_by_role("button", name="Send")).to_have_attribute("aria-disabled", "false")
    box.press("Enter")                 # the draft fails too, and comes back to the empty box
    expect(page.locator(".msg.notice")).to_have_count(2)
    expect(box).to_have_value(second + ", and a third thought")
    page.unroute("**/api/chat")
    unsent.get_by_role("button", name="Retry").click()    # the older one: its own notice goes
    expect(page.locator(".msg.bot")).to_have_count(1, timeout=30_000)
    expect(page.locator(".unsent")).to_have_count(0)
    expect(page.locator(".msg.notice")).to_have_count(1)
    expect(box).to_have_value(second + ", and a third thought")
    page.locator(".msg.notice").get_by_role("button", name="Retry").click()
    expect(page.locator(".msg.bot")).to_have_count(2, timeout=30_000)
    expect(page.locator(".msg.user")).to_have_text([first, second + ", and a third thought"])
    expect(page.locator(".msg.notice")).to_have_count(0)


def test_on_a_phone_tab_stays_in_the_chat_and_the_menu_follows_the_arrow_keys(browser, stack):
    page = open_widget(browser, stack, PHONE)
    expect(page.locator("section.panel")).to_have_attribute("aria-modal", "true")
    send, call = page.get_by_role("button", name="Send"), page.get_by_role("link", name="Call care team +1 555 0199")
    send.focus()
    page.keyboard.press("Tab")         # not out to the page hidden behind the chat
    expect(call).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(send).to_be_focused()
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    items = [page.get_by_role("menuitem", name=name) for name in ("What is stored about me", "Delete my conversation", "Clear")]
    for key, item in (("ArrowDown", 0), ("ArrowDown", 1), ("ArrowDown", 2), ("ArrowDown", 0), ("ArrowUp", 2),
                      ("Home", 0), ("End", 2)):
        page.keyboard.press(key)
        expect(items[item]).to_be_focused()
    page.keyboard.press("Escape")      # closes the menu, not the chat
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(items[0]).to_be_hidden()
    expect(page.locator("section.panel")).to_be_visible()
    page.keyboard.press("ArrowUp")
    expect(items[2]).to_be_focused()
    page.locator("#carebot-input").click()   # a tap anywhere else closes it
    expect(items[0]).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    items[2].click()                          # a tap on an item is still the item's
    expect(items[0]).to_be_hidden()


def test_the_clinic_name_is_whole_on_a_phone(browser, stack):
    page = open_widget(browser, stack, PHONE)
    for name in ("Demo Children's Hospital", "演示儿童医院"):
        title = page.locator("#carebot-title .name")
        expect(title).to_have_text(name)
        assert title.evaluate("n => n.scrollWidth <= n.clientWidth && n.scrollHeight <= n.clientHeight"), name
        assert title.bounding_box()["x"] + title.bounding_box()["width"] <= page.locator("header a.call").bounding_box()["x"]
        assert page.locator("section.panel header").bounding_box()["height"] <= 64
        shoot(page, "phone-title-" + ("en" if name.isascii() else "zh"))
        page.locator("header button.tool").first.click()   # EN / 中文


def test_the_interface_follows_the_language_the_parent_writes_unless_chosen(browser, stack):
    page = open_widget(browser, stack, PHONE)
    ask(page, "泵一直在响怎么办")
    expect(page.locator("section.panel")).to_have_attribute("lang", "zh")
    expect(page.get_by_label("您的消息")).to_be_visible()
    page.get_by_role("button", name="切换到英文").click()  # a choice: it stays
    ask(page, "泵的电池怎么换")
    expect(page.locator("section.panel")).to_have_attribute("lang", "en")


def test_a_long_answer_lands_on_its_first_line(browser, stack):
    page = open_widget(browser, stack, PHONE)
    for question in ("what are the common side effects", "what are the warning signs i should call about"):
        ask(page, question)
    reply = last_reply(page)
    offset = reply.evaluate("n => n.getBoundingClientRect().top - n.parentNode.getBoundingClientRect().top")
    assert 0 <= offset < 200, offset  # its first line is on screen, not scrolled past


def serious_violations(page: Page, name: str) -> list[dict]:
    """axe-core's serious and critical findings (all findings go to tests/artifacts/NAME.json).
    The page must be opened with bypass_csp: the page's CSP would refuse axe itself."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(result["violations"], indent=1))
    return [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_no_serious_accessibility_violations(browser, stack):
    page = open_widget(browser, stack, DESKTOP, bypass_csp=True)
    ask(page, "what is CRS")
    assert serious_violations(page, "axe") == []


def test_the_widget_is_small():
    size = len(gzip.compress((ROOT / "bot" / "gateway" / "static" / "widget.js").read_bytes(), 9))
    assert size <= 30 * 1024


def test_each_clinic_sets_its_own_name_colours_logo_and_numbers(browser, stack, webhook):
    from bot.clinics import ClinicRegistry
    from tests.conftest import demo_clinic_alerting

    registry = ClinicRegistry(stack.database())
    own = {**demo_clinic_alerting(webhook), "name": {"en": "St Elsewhere", "zh": "圣别处医院"},
           "phone_24h": "+44 20 7946 0000", "theme": {"primary": "#6a1b9a"}, "logo_url": stack.url + "/logo.png"}
    registry.save(own)
    try:
        page = open_widget(browser, stack, DESKTOP)
        expect(page.locator("#carebot-title")).to_have_text("St Elsewhere")
        expect(page.locator("#carebot-title img")).to_have_attribute("src", stack.url + "/logo.png")
        assert page.locator("header").evaluate("h => getComputedStyle(h).backgroundColor") == "rgb(106, 27, 154)"
        expect(page.get_by_role("link", name="Call care team +44 20 7946 0000")).to_have_attribute("href", "tel:+442079460000")
    finally:
        registry.save(demo_clinic_alerting(webhook))


ACKNOWLEDGED = {"zh": ("孩子刚才抽搐了，现在叫不醒", "护士已于", "给护士看", "打印", "Asia/Shanghai"),
                "en": ("he had a seizure and now we can't wake him", "Update: a nurse saw your message at",
                       "Show to the nurse", "Print", "Europe/London")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_urgent_card_shows_when_a_nurse_saw_the_alert(browser, stack, lang):
    said, seen, show, print_label, zone = ACKNOWLEDGED[lang]
    page = open_widget(browser, stack, PHONE, lang=lang, timezone_id=zone, bypass_csp=True)
    ask(page, said)
    card = last_reply(page)
    expect(card).to_have_class("msg bot urgent")
    shoot(page, f"phone-{lang}-urgent")
    escalation_id = card.get_attribute("data-escalation")
    acknowledged = httpx.post(f"{stack.url}/api/clinics/demo/escalations/{escalation_id}/ack",
                              headers={"Authorization": f"Bearer {ACK_TOKEN}"})
    assert acknowledged.status_code == 200
    status = card.get_by_role("status")
    expect(status).to_contain_text(seen, timeout=20_000)
    expect(status).not_to_contain_text("UTC")  # the family's own time zone
    shoot(page, f"phone-{lang}-acknowledged")
    card.get_by_role("button", name=show).click()
    handover = card.get_by_role("region", name=show)
    expect(handover.locator(".side[lang=en]")).to_contain_text("Neurological signs")
    expect(handover.locator(".side[lang=en]")).to_contain_text("on their side")
    expect(handover.locator(".side[lang=zh]")).to_contain_text("侧躺")
    expect(handover).to_contain_text(said)
    shoot(page, f"phone-{lang}-handover")
    assert serious_violations(page, f"axe-{lang}-handover") == []
    handover.get_by_role("button", name=print_label).click()   # prints the card alone, not the page
    printed = next(frame for frame in page.frames if frame.parent_frame is not None)
    expect(printed.locator("body > section.handover")).to_contain_text(said)
    expect(printed.locator(".side[lang=en]")).to_contain_text("Neurological signs")
    expect(printed.locator(".side[lang=zh]")).to_contain_text("侧躺")
    assert printed.locator(".msg, textarea, header").count() == 0    # the card alone
    page.reload()
    expect(last_reply(page).get_by_role("status")).to_contain_text(seen)


def test_with_no_acknowledgement_in_time_the_card_says_call_now(browser, stack, webhook):
    from bot.clinics import ClinicRegistry
    from tests.conftest import demo_clinic_alerting

    registry = ClinicRegistry(stack.database())
    registry.save(demo_clinic_alerting(webhook, confirm_minutes=0.02))  # 1.2 s
    try:
        page = open_widget(browser, stack, PHONE, lang="zh")
        ask(page, "她喘不上气，嘴唇发紫")
        status = last_reply(page).get_by_role("status")
        expect(status).to_contain_text("请现在就打电话", timeout=20_000)
        expect(status.locator("a.tel").first).to_have_attribute("href", "tel:911")
        shoot(page, "phone-zh-call-now")
    finally:
        registry.save(demo_clinic_alerting(webhook))


def test_a_card_that_already_says_call_now_does_not_say_it_twice(browser, stack, webhook):
    """No alert target: the reply says the alert could not be confirmed, with its call buttons;
    the status line adds nothing while the alert is open, and says so once a nurse saw it."""
    from bot.clinics import ClinicRegistry
    from tests.conftest import demo_clinic_alerting

    registry = ClinicRegistry(stack.database())
    alerting = demo_clinic_alerting(webhook)  # no alert target; the care team's API token stays
    registry.save({**alerting, "alerts": {"ack_token_sha256": alerting["alerts"]["ack_token_sha256"]}})
    try:
        page = open_widget(browser, stack, PHONE, lang="zh")
        ask(page, "她喘不上气，嘴唇发紫")
        card = last_reply(page)
        expect(card).to_contain_text("我无法确认医护团队已收到通知")
        calls = card.locator("a.tel").count()
        page.wait_for_timeout(7_000)  # two polls of the alert's status
        expect(card.locator(".ack")).to_have_count(0)
        assert card.locator("a.tel").count() == calls and "我还没能" not in card.inner_text()
        escalation_id = card.get_attribute("data-escalation")
        acknowledged = httpx.post(f"{stack.url}/api/clinics/demo/escalations/{escalation_id}/ack",
                                  headers={"Authorization": f"Bearer {ACK_TOKEN}"})
        assert acknowledged.status_code == 200
        expect(card.get_by_role("status")).to_contain_text("最新情况：护士已于", timeout=30_000)
        shoot(page, "phone-zh-unconfirmed-then-seen")
    finally:
        registry.save(demo_clinic_alerting(webhook))


@contextlib.contextmanager
def lone_gateway(stack):
    """A second gateway of the stack's, on its own port, that the test can stop like a server
    that went down."""
    port = free_port()
    process = subprocess.Popen(gateway_command("127.0.0.1", port),
                               cwd=ROOT, env={**stack.env, "PORT": str(port)}, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/widget.js").status_code == 200:
                    break
            assert process.poll() is None, "the second gateway did not start"
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@contextlib.contextmanager
def clinic_site(folder):
    """The clinic's own web site (another origin), which stays up when the assistant is down."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def versioned_script(base_url: str) -> str:
    """The script address the demo page tells clinics to embed."""
    return re.search(r'<script src="(/widget/[0-9a-f]{12}\.js)"', httpx.get(base_url + "/").text).group(1)


def test_the_versioned_script_is_cached_for_a_year_and_the_stable_one_briefly(stack):
    script = versioned_script(stack.url)
    versioned, stable = httpx.get(stack.url + script), httpx.get(stack.url + "/widget.js")
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert stable.headers["Cache-Control"] == "public, max-age=300" and stable.content == versioned.content
    old = httpx.get(stack.url + "/widget/000000000000.js")  # a page still naming an older version
    assert old.headers["Cache-Control"] == "public, max-age=300" and old.content == versioned.content


def test_a_returning_family_can_still_call_when_the_server_is_down(browser, stack, tmp_path):
    page = browser.new_context(**PHONE, locale="zh-CN").new_page()
    with clinic_site(tmp_path) as site:
        with lone_gateway(stack) as gateway:
            script = versioned_script(gateway)
            (tmp_path / "index.html").write_text(
                f'<!doctype html><html lang="zh"><meta charset="utf-8"><meta name="viewport" '
                f'content="width=device-width, initial-scale=1"><title>诊所</title><body><h1>诊所</h1>'
                f'<script src="{gateway}{script}" data-clinic="demo"></script></body></html>')
            page.goto(site)
            page.get_by_role("button", name="提问").click()
            expect(page.get_by_role("note")).to_contain_text("保存 90 天")
            shoot(page, "phone-zh-privacy")
        page.goto(site)                                 # the assistant's server is down now
        expect(page.locator("section.panel")).to_be_visible()       # open, as the family left it
        notice = page.locator(".msg.notice").last
        expect(notice).to_contain_text("无法检查危险信号")
        expect(notice.locator("a.tel").first).to_have_attribute("href", "tel:+15550199")
        expect(notice.locator("a.tel").nth(1)).to_have_attribute("href", "tel:911")
        expect(page.locator("header a.call")).to_have_attribute("href", "tel:+15550199")
        shoot(page, "phone-zh-offline")


def test_the_family_is_told_what_is_stored_and_can_see_and_delete_it(browser, stack):
    page = open_widget(browser, stack, PHONE)
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("for 90 days")
    expect(notice.get_by_role("link", name="Privacy notice")).to_have_attribute("href", "https://clinic.example/privacy")
    shoot(page, "phone-en-privacy")
    ask(page, "what is CRS")
    expect(notice).to_be_visible()                       # until the family has read it
    notice.get_by_role("button", name="OK").click()
    expect(page.get_by_role("note")).to_have_count(0)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name="What is stored about me").click()
    summary = page.locator(".msg.notice").last
    expect(summary).to_contain_text(re.compile(r"[2-9] messages and replies"))
    expect(summary.get_by_role("link", name="Download a copy")).to_have_attribute("download", "conversation.json")
    sender = page.evaluate("() => JSON.parse(localStorage.getItem('carebot:demo')).sender")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name="Delete my conversation").click()
    expect(page.locator(".msg.notice").last).to_contain_text("Your conversation has been deleted.")
    expect(page.locator(".msg.user")).to_have_count(0)
    assert httpx.get(f"{stack.url}/api/chat/conversations/{sender}").status_code == 404


def test_session_history_lasts_only_for_the_tab(browser, stack):
    html = ('<!doctype html><html lang="en"><title>t</title><body>'
            '<script src="/widget.js" data-clinic="demo" data-history="session"></script></body></html>')
    context = browser.new_context(**PHONE)
    context.route(stack.url + "/session.html", lambda route: route.fulfill(body=html, content_type="text/html"))
    page = context.new_page()
    page.goto(stack.url + "/session.html")
    page.get_by_role("button", name="Ask a question").click()
    ask(page, "what is CRS")
    assert page.evaluate("() => sessionStorage.getItem('carebot:demo') !== null && localStorage.getItem('carebot:demo') === null")
    other = context.new_page()                            # another tab: nothing carried over
    other.goto(stack.url + "/session.html")
    other.get_by_role("button", name="Ask a question").click()
    expect(other.locator(".msg.user")).to_have_count(0)
