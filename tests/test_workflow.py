"""The editorial workflow on a real store (SQLite and PostgreSQL): four eyes, drafts never served,
reviewed rollback."""
from __future__ import annotations

import copy
import json

import pytest

from bot.content.store import ContentStore
from bot.content.workflow import Workflow, WorkflowError
from tests.stack import ROOT


@pytest.fixture()
def flow(database) -> Workflow:
    store = ContentStore(database)
    store.import_folder(ROOT / "content" / "articles")
    return Workflow(store)


def edited(flow: Workflow, article_id: str, text: str) -> dict:
    article = copy.deepcopy(flow.store.latest(article_id))
    article["zh"]["answer"] += "\n\n" + text
    return article


def test_edit_submit_approve_by_another_person_publishes(flow):
    live = flow.store.published("fever")
    flow.edit(edited(flow, "fever", "新的一句。"), "edna")
    assert flow.store.published("fever") == live  # a draft is never served
    flow.submit("fever", "edna")
    assert flow.store.published("fever") == live  # nor is a change in review
    with pytest.raises(WorkflowError, match="another reviewer"):
        flow.approve("fever", "edna")
    flow.approve("fever", "rita", translation_checked=True)
    published = flow.store.published("fever")
    assert published["zh"]["answer"].endswith("新的一句。") and published["reviewer"] == "rita"
    assert published["review_due"] > published["reviewed_on"]


def test_status_changes_do_not_make_you_the_last_editor(flow):
    flow.edit(edited(flow, "fever", "改动。"), "edna")
    flow.submit("fever", "rita")  # rita only pressed "send for review"
    assert flow.last_editor("fever") == "edna"
    flow.approve("fever", "rita", translation_checked=True)


def test_saving_the_same_words_adds_no_version(flow):
    before = flow.store.current_version("fever")
    flow.edit(copy.deepcopy(flow.store.latest("fever")), "edna")
    assert flow.store.current_version("fever") == before


def test_rollback_brings_back_old_words_and_waits_for_review(flow):
    original = flow.store.published("fever")
    flow.edit(edited(flow, "fever", "错误的一句。"), "edna")
    flow.submit("fever", "edna")
    flow.approve("fever", "rita", translation_checked=True)
    flow.rollback("fever", 1, "rosa")
    assert flow.store.latest("fever")["status"] == "in_review"
    assert "错误的一句" in flow.store.published("fever")["zh"]["answer"]  # still live until reviewed
    with pytest.raises(WorkflowError):
        flow.approve("fever", "rosa")  # the rollback is rosa's change
    flow.approve("fever", "rita", translation_checked=True)
    assert flow.store.published("fever")["zh"]["answer"] == original["zh"]["answer"]


def test_a_change_to_one_language_is_published_only_once_the_other_is_checked(flow):
    flow.edit(edited(flow, "fever", "新的一句。"), "edna")
    assert flow.out_of_date()["fever"] == ["en"]  # the Chinese moved ahead of the English
    flow.submit("fever", "edna")
    with pytest.raises(WorkflowError, match="still says the same"):
        flow.approve("fever", "rita")
    assert flow.store.article_row("fever")["status"] == "in_review"
    version = flow.approve("fever", "rita", translation_checked=True)
    assert flow.out_of_date()["fever"] == []
    [checked] = flow.store.audit.entries(subject="fever", action="translation_checked")
    assert checked["actor"] == "rita" and json.loads(checked["detail"]) == {"version": version, "languages": ["en"]}


def test_wrong_steps_are_refused(flow):
    with pytest.raises(WorkflowError):
        flow.approve("fever", "rita")  # not in review
    with pytest.raises(WorkflowError):
        flow.rollback("fever", 99, "rita")
    with pytest.raises(WorkflowError):
        flow.submit("no_such_article", "rita")


def test_a_new_article_may_start_in_one_language_but_not_be_reviewed_so(flow):
    article = {"id": "dog_at_home", "category": "daily_life",
               "en": {"title": "Pets at home", "questions": ["can the dog sleep in her room"], "answer": "", "sources": []},
               "zh": {"title": "", "questions": [], "answer": "", "sources": []}}
    flow.edit(article, "edna")
    assert flow.store.latest("dog_at_home")["status"] == "draft"
    with pytest.raises(WorkflowError, match="Both languages"):
        flow.submit("dog_at_home", "edna")
    assert flow.store.published("dog_at_home") is None
