"""The review nurses can read: a word diff of what families will read, against what is live.

Unit tests of the diff (words, Chinese characters, escaping), then the pages on a real app and
database: the approval page, the note required to send a change back, rollback only to versions
that were live, and the Review menu with its count.
"""
from __future__ import annotations

import copy
import html
import re
import shutil

import pytest
from sqlalchemy import event

from bot.content.diff import added_and_removed, side, tokens, word_diff
from bot.content.store import ContentStore
from bot.content.workflow import Workflow, WorkflowError, behind_since, last_meaning_changes, left_behind
from bot.console.review import compare
from tests.console_client import client, console_app, console_session
from tests.stack import ROOT

CLINIC = {"id": "demo", "name": {"en": "Ward 7", "zh": "七病区"}, "day_hours": {"en": "9-5", "zh": "9-5"},
          "phone_day": "+1 555 0100", "phone_24h": "+1 555 0199", "emergency_number": "911", "crisis_line": "988"}


# -- the diff ------------------------------------------------------------------------------------

def test_english_is_compared_word_by_word():
    pieces = word_diff("Call the team if the fever is 38 or more.", "Call the care team if the fever is 38.5 or more.")
    old, new = side(pieces, "old"), side(pieces, "new")
    assert old == 'Call the team if the fever is <del class="del">38</del> or more.'
    assert [text.strip() for text in re.findall(r'<ins class="add">(.*?)</ins>', new)] == ["care", "38.5"]
    assert re.sub(r"</?ins[^>]*>", "", new) == "Call the care team if the fever is 38.5 or more."


def test_a_reworded_phrase_is_one_deletion_and_one_insertion():
    pieces = word_diff("Keep the pump dry at all times.", "Keep the bag away from water.")
    assert side(pieces, "old").count("<del") == 1 and side(pieces, "new").count("<ins") == 1


def test_chinese_is_compared_character_by_character():
    assert tokens("发烧38.5度时call us") == ["发", "烧", "38.5", "度", "时", "call", " ", "us"]
    pieces = word_diff("发烧时请马上打电话。", "发烧时请立即打电话给护士。")
    assert side(pieces, "old") == '发烧时请<del class="del">马上</del>打电话。'
    assert side(pieces, "new") == '发烧时请<ins class="add">立即</ins>打电话<ins class="add">给护士</ins>。'


def test_a_long_chinese_text_keeps_an_added_sentence_whole():
    """Common characters are not junk: a sentence added to a long answer is one insertion."""
    old = "如果孩子发烧，请马上给护理团队打电话，不要等。" * 20
    added = "护士提醒：洗澡前先把泵放在干燥的地方。"
    new_side = side(word_diff(old, old + "\n\n" + added), "new")
    assert re.findall(r"<ins[^>]*>(.*?)</ins>", new_side, re.S) == ["\n\n" + added]


def test_article_text_is_escaped_piece_by_piece():
    pieces = word_diff("Wash <b>hands</b>.", "Wash <script>alert(1)</script> hands & dry.")
    for html in (side(pieces, "old"), side(pieces, "new")):
        assert "<script" not in html and "<b>" not in html
    shown = re.sub(r"</?ins[^>]*>", "", side(pieces, "new"))
    assert shown == "Wash &lt;script&gt;alert(1)&lt;/script&gt; hands &amp; dry."


def test_added_and_removed_example_questions():
    added, removed = added_and_removed(["is a fever bad", "when do i call"], ["when do i call", "what temp is a fever"])
    assert added == ["what temp is a fever"] and removed == ["is a fever bad"]


def test_the_comparison_fills_in_the_clinic_and_reports_unchanged_parts():
    live = {lang: {"title": "Fever", "questions": ["q1"], "answer": "Call {{ clinic.phone_24h }}.", "sources": []}
            for lang in ("en", "zh")}
    candidate = copy.deepcopy(live)
    candidate["en"]["answer"] = "Call {{ clinic.phone_24h }} at once."
    en, zh = compare(live, candidate, CLINIC)
    assert en.answer.changed and "+1 555 0199" in en.answer.new and '<ins class="add"> at once</ins>' in en.answer.new
    assert not en.title.changed and not en.questions.changed and not zh.changed
    assert [c.lang for c in compare(live, candidate, CLINIC, first="zh")] == ["zh", "en"]  # the nurse's own first
    first = compare(None, candidate, CLINIC)[0]
    assert first.title.changed and first.title.new == '<ins class="add">Fever</ins>' and first.questions.added == ["q1"]


# -- the pages -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return console_app(tmp_path_factory.mktemp("review"),
                       {"edna": "editor", "rita": "reviewer", "rosa": "reviewer", "ada": "admin"})


def nurse(app, name: str):
    browser = client(app)
    browser.csrf = console_session(browser, name)
    return browser


def editor_form(article: dict, csrf: str) -> dict:
    form = {"csrf_token": csrf, "category": article["category"]}
    for lang in ("en", "zh"):
        part = article[lang]
        form.update({f"{lang}_title": part["title"], f"{lang}_questions": "\n".join(part["questions"]),
                     f"{lang}_answer": part["answer"], f"{lang}_sources": "\n".join(part["sources"])})
    return form


def save(browser, article_id: str, change) -> None:
    article = ContentStore(browser.app.state.gateway.stores.db).latest(article_id)
    change(article)
    assert browser.post(f"/console/articles/{article_id}", data=editor_form(article, browser.csrf)).status_code == 303


def review_panel(page: str) -> str:
    return page.split('id="review"', 1)[1].split('id="editor"', 1)[0]


def test_the_approval_page_compares_with_the_live_version(app):
    edna, rita = nurse(app, "edna"), nurse(app, "rita")
    save(edna, "fever", lambda a: a["en"].update(title="Fever and chills"))  # an earlier draft
    save(edna, "fever", lambda a: a["zh"].update(answer=a["zh"]["answer"] + "\n\n夜里也可以打电话。"))
    save(edna, "fever", lambda a: a["en"]["questions"].append("is 37.9 a fever"))
    assert edna.post("/console/articles/fever/submit", data={"csrf_token": edna.csrf}).status_code == 303
    panel = review_panel(rita.get("/console/articles/fever").text)
    # The last step only changed the status; the words changed in earlier drafts still show.
    assert 'Fever<ins class="add"> and chills</ins>' in panel
    assert '<ins class="add">\n\n夜里也可以打电话。</ins>' in panel
    assert '<ins class="add">is 37.9 a fever</ins>' in panel and "after the next retrain" in panel
    assert "+1 555 0199" in panel  # the answer as families read it, clinic number filled in
    assert "Live now (v1)" in panel and "After approval (v5)" in panel
    assert "status:" not in panel and "answer: |" not in panel and "in_review" not in panel
    # The decision sits beside the diff, in the same panel; the note is required in the form too.
    assert "Approve and publish" in panel and re.search(r'<textarea name="note"[^>]*required', panel)
    assert re.search(r'<time datetime="[0-9T:+-]+">[0-9T:+-]+</time>', panel)


def test_sending_back_without_a_note_is_refused_with_a_sentence(app):
    edna, rita = nurse(app, "edna"), nurse(app, "rita")
    save(edna, "crs", lambda a: a["en"].update(answer=a["en"]["answer"] + " Call us."))
    edna.post("/console/articles/crs/submit", data={"csrf_token": edna.csrf})
    refused = rita.post("/console/articles/crs/send-back", data={"csrf_token": rita.csrf, "note": "   "})
    assert refused.status_code == 409
    assert "Write a note for the editor saying what needs to change, then send the article back." in refused.text
    store = ContentStore(app.state.gateway.stores.db)
    assert store.article_row("crs")["status"] == "in_review"
    sent = rita.post("/console/articles/crs/send-back", data={"csrf_token": rita.csrf, "note": "Say which number."})
    assert sent.status_code == 303 and store.article_row("crs")["status"] == "draft"
    with pytest.raises(WorkflowError):
        Workflow(store).send_back("crs", "rita", "")


def test_only_versions_that_were_live_can_be_rolled_back_to(app):
    edna, rita, rosa = nurse(app, "edna"), nurse(app, "rita"), nurse(app, "rosa")
    save(edna, "travel", lambda a: a["en"].update(title="Travel and trips"))  # v2 draft
    edna.post("/console/articles/travel/submit", data={"csrf_token": edna.csrf})  # v3 in review
    rita.post("/console/articles/travel/approve", data={"csrf_token": rita.csrf, "translation_checked": "1"})  # v4 live
    save(rosa, "travel", lambda a: a["en"].update(title="Travel, trips and holidays"))  # v5 draft
    history = rita.get("/console/articles/travel/history").text
    offered = set(re.findall(r'name="version" value="(\d+)"', history))
    assert offered == {"1", "4"}  # published once; never v2, v3 (draft only) nor v5 (the working copy)
    assert "Roll back to v2" not in history and "Roll back to v4" in history
    assert "title: Travel" not in history and 'Travel and <ins class="add">trips</ins>' in history
    refused = rita.post("/console/articles/travel/rollback", data={"csrf_token": rita.csrf, "version": "2"})
    assert refused.status_code == 409 and "Only a version that was live can be brought back." in refused.text
    assert rita.post("/console/articles/travel/rollback", data={"csrf_token": rita.csrf, "version": "1"}).status_code == 303


def test_a_new_article_is_shown_whole_with_nothing_live(app):
    edna, rita = nurse(app, "edna"), nurse(app, "rita")
    form = {"csrf_token": edna.csrf, "id": "pets_review", "category": "daily_life", "en_title": "Pets",
            "en_questions": "can the dog sleep in her room", "en_answer": "Ask the team <script>x()</script>.",
            "en_sources": "", "zh_title": "宠物", "zh_questions": "狗可以进房间吗", "zh_answer": "请问护理团队。",
            "zh_sources": ""}
    assert edna.post("/console/articles/new", data=form).status_code == 303
    edna.post("/console/articles/pets_review/submit", data={"csrf_token": edna.csrf})
    panel = review_panel(rita.get("/console/articles/pets_review").text)
    assert "Nothing of this article is live yet" in panel and "Live now: nothing" in panel
    assert '<ins class="add">请问护理团队。</ins>' in panel and "&lt;script&gt;x()&lt;/script&gt;" in panel
    assert "<script>x()" not in panel


def test_the_review_menu_counts_what_waits_for_reviewers_only(app):
    rita, edna, ada = nurse(app, "rita"), nurse(app, "edna"), nurse(app, "ada")
    waiting = len(ContentStore(app.state.gateway.stores.db).in_review())
    assert waiting >= 1
    for reviewer in (rita, ada):
        nav = reviewer.get("/console").text.split("</nav>")[0]
        assert f'href="/console/review">Review <span class="count">{waiting}</span></a>' in nav
    assert 'href="/console/review"' not in edna.get("/console").text
    assert edna.get("/console/review").status_code == 403
    queue = rita.get("/console/review").text
    assert 'href="/console/articles/fever#review"' in queue and 'href="/console/articles/crs#review"' not in queue  # sent back: a draft
    assert 'href="/console/review" aria-current="page"' in queue


# -- a change in one language only -------------------------------------------------------------

def language(browser, lang: str) -> None:
    browser.post("/console/language", data={"lang": lang, "csrf_token": browser.csrf, "next": "/console"})


def listed_with_translation_problems(browser) -> str:
    return browser.get("/console/articles?missing=1").text.split("<tbody>", 1)[1]


def test_an_english_only_change_warns_that_the_chinese_was_not_changed_and_asks_before_approval(app):
    ada, rita, rosa = nurse(app, "ada"), nurse(app, "rita"), nurse(app, "rosa")
    store = ContentStore(app.state.gateway.stores.db)
    live_chinese = store.published("bathing_showering")["zh"]["answer"]
    assert "bathing_showering" not in listed_with_translation_problems(rita)
    save(ada, "bathing_showering", lambda a: a["en"].update(answer=a["en"]["answer"] + "\n\nNEW LINE: Swimming is not allowed."))
    # The article list finds it as soon as the English moved ahead of the Chinese.
    listed = listed_with_translation_problems(rita)
    assert "bathing_showering" in listed and "Chinese may be out of date" in listed
    assert ada.post("/console/articles/bathing_showering/submit", data={"csrf_token": ada.csrf}).status_code == 303

    panel = review_panel(rita.get("/console/articles/bathing_showering").text)
    assert ("Only the English text was changed: the Chinese title and answer were not, and may now say something "
            "different. Check that the Chinese answer still says the same.") in panel
    chinese = panel.split('lang="zh-Hans"', 1)[1]
    assert "No change in this language." not in chinese and "check that it still says the same" in chinese
    # ... with the Chinese text to check right there, not only in the editor below.
    first_line = live_chinese.strip().splitlines()[0]
    assert html.escape(first_line[:20], quote=False) in chinese
    assert re.search(r'<input type="checkbox" name="translation_checked" value="1" required', panel)
    assert "I checked: the Chinese text still says the same as the changed English text." in panel
    # A reviewer who reads the console in Chinese is warned in Chinese.
    language(rosa, "zh")
    chinese_panel = review_panel(rosa.get("/console/articles/bathing_showering").text)
    assert "只改动了英文内容：中文的标题和回答没有改动" in chinese_panel and "请核对中文回答是否仍然表达相同的意思" in chinese_panel
    assert "我已核对：中文内容与改动后的英文内容仍然表达相同的意思。" in chinese_panel

    # Not blocked, but not without saying the Chinese still says the same.
    refused = rita.post("/console/articles/bathing_showering/approve", data={"csrf_token": rita.csrf})
    assert refused.status_code == 409 and "Confirm that it still says the same as the changed one" in refused.text
    assert store.article_row("bathing_showering")["status"] == "in_review"
    assert "NEW LINE" not in store.published("bathing_showering")["en"]["answer"]
    approved = rita.post("/console/articles/bathing_showering/approve",
                         data={"csrf_token": rita.csrf, "translation_checked": "1"})
    assert approved.status_code == 303
    published = store.published("bathing_showering")
    assert "NEW LINE: Swimming is not allowed." in published["en"]["answer"] and published["zh"]["answer"] == live_chinese.strip()
    # Checked by a reviewer: no longer out of date, and the audit log says who checked which language.
    assert "bathing_showering" not in listed_with_translation_problems(rita)
    history = rita.get("/console/articles/bathing_showering/history").text
    assert "unchanged language checked" in history and "Checked as still saying the same: Chinese." in history
    language(rosa, "en")


def test_a_change_in_both_languages_needs_no_confirmation(app):
    edna, rita = nurse(app, "edna"), nurse(app, "rita")
    store = ContentStore(app.state.gateway.stores.db)

    def both(article: dict) -> None:
        article["en"]["answer"] += "\n\nKeep the pump bag zipped."
        article["zh"]["answer"] += "\n\n泵包的拉链要拉好。"
    save(edna, "pump_basics", both)
    edna.post("/console/articles/pump_basics/submit", data={"csrf_token": edna.csrf})
    panel = review_panel(rita.get("/console/articles/pump_basics").text)
    assert 'id="left-behind"' not in panel and 'name="translation_checked"' not in panel
    assert rita.post("/console/articles/pump_basics/approve", data={"csrf_token": rita.csrf}).status_code == 303
    assert store.published("pump_basics")["zh"]["answer"].endswith("泵包的拉链要拉好。")
    assert "pump_basics" not in listed_with_translation_problems(rita)


def test_a_new_example_question_in_one_language_is_not_a_translation_to_check(app):
    """Families of each language ask in their own words: an English example question added
    from the inbox leaves the Chinese nothing to catch up on."""
    edna, rita = nurse(app, "edna"), nurse(app, "rita")
    save(edna, "nausea_vomiting", lambda a: a["en"]["questions"].append("she keeps throwing up after breakfast"))
    edna.post("/console/articles/nausea_vomiting/submit", data={"csrf_token": edna.csrf})
    assert 'name="translation_checked"' not in review_panel(rita.get("/console/articles/nausea_vomiting").text)
    assert rita.post("/console/articles/nausea_vomiting/approve", data={"csrf_token": rita.csrf}).status_code == 303


def statements_to_list_articles(app) -> int:
    """How many SQL statements one view of the article list runs (logging in aside)."""
    rita, engine, statements = nurse(app, "rita"), app.state.console.db.engine, []

    def count(*_args) -> None:
        statements.append(1)
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert rita.get("/console/articles").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_the_article_list_reads_as_many_statements_for_two_articles_as_for_all(app, tmp_path):
    """Its translation warnings are read for every article at once, not with two queries per
    article (124 more statements for the 62 shipped articles on every view)."""
    shipped = ROOT / "content" / "articles"
    two = tmp_path / "two"
    two.mkdir()
    for name in ("fever.yml", "pump_basics.yml"):
        shutil.copy(shipped / name, two / name)
    small = console_app(tmp_path / "small", {"edna": "editor", "rita": "reviewer"}, two)
    save(nurse(small, "edna"), "fever", lambda a: a["en"].update(answer=a["en"]["answer"] + "\n\nCall at night too."))
    listed = listed_with_translation_problems(nurse(small, "rita"))
    assert "fever" in listed and "Chinese may be out of date" in listed and "pump_basics" not in listed
    assert len(list(shipped.glob("*.yml"))) > 40
    assert statements_to_list_articles(small) == statements_to_list_articles(app)


def test_which_language_last_changed_is_read_from_the_versions():
    def version(number: int, en: str, zh: str) -> dict:
        return {"version": number, "document": {lang: {"title": "T", "answer": text} for lang, text in (("en", en), ("zh", zh))}}
    history = [version(4, "new", "旧"), version(3, "new", "旧"), version(2, "old ", "旧"), version(1, "old", "旧")]
    assert last_meaning_changes(history) == {"en": 3, "zh": 1}  # v2 only added a space
    assert behind_since({"en": 3, "zh": 1}, 0) == ["zh"] and behind_since({"en": 3, "zh": 1}, 4) == []
    assert left_behind(history[3]["document"], history[0]["document"]) == ["zh"]
    assert left_behind(None, history[0]["document"]) == []  # a first publication is new in both
