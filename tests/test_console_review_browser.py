"""A reviewer reads the change in a real browser against the real stack: what will change for
families against what is live, with the decision beside it, in English and in Chinese.

Screenshots: tests/artifacts/console-review-en.png and console-review-zh.png.
"""
from __future__ import annotations

import copy
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from bot.console.accounts import Accounts
from bot.content.store import ContentStore
from bot.content.workflow import Workflow
from tests.browser import AXE, shoot
from tests.console_client import PASSWORD
from tests.stack import articles_restored
from tests.test_console_browser import log_in

ARTICLE = "vaccines"
TALL = {"width": 1280, "height": 1300}  # the panel, both languages and the buttons in one screenshot


@pytest.fixture(scope="module", autouse=True)
def shared_content_restored(stack):
    """The article is put in review here; other modules read it: put it back."""
    with articles_restored(stack, ARTICLE):
        yield


@pytest.fixture(scope="module")
def nurses(stack) -> dict:
    """An editor and a reviewer of the demo clinic (names unique to this module)."""
    tag = uuid.uuid4().hex[:6]
    names = {"editor": f"eve{tag}", "reviewer": f"ruth{tag}"}
    accounts = Accounts(stack.database())
    for key, name in names.items():
        accounts.add(name, "demo", key, PASSWORD)
    return names


@pytest.fixture(scope="module")
def in_review(stack, nurses) -> str:
    """Two drafts, then "send for review": the words changed in the first draft, not the last step."""
    flow = Workflow(ContentStore(stack.database()))
    article = copy.deepcopy(flow.store.published(ARTICLE))
    marker = f"pharmacist {uuid.uuid4().hex[:4]}"
    article["en"]["title"] = "Vaccines and immunisations during and after treatment"
    assert "Ask the team which" in article["en"]["answer"] and "请问医生护士哪些" in article["zh"]["answer"]
    article["en"]["answer"] = article["en"]["answer"].replace("Ask the team which", f"Ask the care team or the {marker} which")
    article["zh"]["answer"] = article["zh"]["answer"].replace("请问医生护士哪些", "请问医生护士或药剂师哪些")
    article["en"]["questions"] = [q for q in article["en"]["questions"] if q != "vaccines?"] + ["can she have the hpv vaccine"]
    article["zh"]["questions"].append("能打HPV疫苗吗")
    flow.edit(article, nurses["editor"])
    article["en"]["answer"] = article["en"]["answer"].replace("Always tell", "Always remind")
    flow.edit(article, nurses["editor"])
    flow.submit(ARTICLE, nurses["editor"])
    return marker


def approval_page(page: Page, stack) -> Page:
    """From the Review menu to the article waiting, as a reviewer finds it."""
    page.get_by_role("navigation").get_by_role("link", name=re.compile(r"^(Review|审核) \d+$")).click()
    expect(page).to_have_url(stack.url + "/console/review")
    page.locator(f'a[href="/console/articles/{ARTICLE}#review"]').click()
    expect(page.locator("#review")).to_be_visible()
    page.set_viewport_size(TALL)
    page.evaluate("window.scrollTo(0, 0)")
    return page


def test_a_reviewer_sees_what_changes_against_live_beside_the_buttons(browser, stack, nurses, in_review):
    page = approval_page(log_in(browser, stack, nurses["reviewer"]), stack)
    diff = page.locator("#review .review-diff")
    expect(diff.locator("ins.add").filter(has_text=in_review)).to_be_visible()
    expect(diff.locator("ins.add").filter(has_text="或药剂师")).to_be_visible()
    expect(diff.locator("del.del").filter(has_text="vaccines?")).to_be_visible()  # a removed example question
    expect(diff.locator("ins.add").filter(has_text="can she have the hpv vaccine")).to_be_visible()
    expect(diff).not_to_contain_text("answer: |")
    approve = page.get_by_role("button", name="Approve and publish")
    expect(approve).to_be_in_viewport()
    # Beside the diff: to its right, level with it.
    box, button = diff.bounding_box(), approve.bounding_box()
    assert button["x"] >= box["x"] + box["width"] and box["y"] <= button["y"] < box["y"] + box["height"]
    # Times in the nurse's locale, not ISO UTC.
    expect(page.locator("#review time").first).not_to_have_text(re.compile(r"\d{4}-\d\d-\d\dT"))
    shoot(page, "console-review-en")

    # Sending back needs a note: the browser will not send the form without one.
    page.get_by_role("button", name="Send back").click()
    assert page.locator("textarea[name=note]").evaluate("box => box.validity.valueMissing")
    assert ContentStore(stack.database()).article_row(ARTICLE)["status"] == "in_review"


def test_the_same_review_in_chinese_then_approved_and_live(browser, stack, nurses, in_review):
    page = approval_page(log_in(browser, stack, nurses["reviewer"], "zh-CN", bypass_csp=True), stack)
    expect(page.locator("#review ins.add").filter(has_text="或药剂师")).to_be_visible()
    expect(page.get_by_role("button", name="批准并发布")).to_be_in_viewport()
    shoot(page, "console-review-zh")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], v["nodes"][0]["target"]) for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
    page.get_by_role("button", name="批准并发布").click()
    expect(page.locator(".badge.published").first).to_be_visible()
    reply = stack.chat('/faq{"topic": "%s"}' % ARTICLE, lang="en")
    assert in_review in reply["messages"][0]["text"]
