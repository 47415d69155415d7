"""The editorial workflow: draft → in review → published, with a second pair of eyes.

Rules a clinic relies on:
- whoever last changed an article's words cannot approve it (four-eyes principle);
- a rollback is itself a change, so it goes through review like any edit;
- approving publishes at once: the chat reads the published version at run time;
- a change to one language's title or answer that leaves the other's as it is may leave that one
  saying something different: the reviewer says the other still says the same before approving
  (a typo fix in one language is legitimate, so this asks, it does not refuse).
"""
from __future__ import annotations

import datetime as dt
import json

from bot import clock
from bot.content.articles import validate_article
from bot.content.store import ContentStore
from bot.i18n import N_
from bot.settings import LANGUAGES

REVIEW_INTERVAL_DAYS = 365
# Fields that record the workflow rather than what families read.
WORKFLOW_FIELDS = ("status", "reviewer", "reviewed_on", "review_due")
# What must say the same in both languages. Example questions and sources are not: they are
# how families of each language ask, and where each language's text comes from.
MEANING_KEYS = ("title", "answer")
# The audit action that records "the other language still says the same" at an approval.
TRANSLATION_CHECKED = "translation_checked"


class WorkflowError(ValueError):
    """A step the workflow does not allow; the message is shown to the nurse."""


def words(article: dict) -> dict:
    """An article without its workflow fields: what an edit changes and a review approves."""
    return {key: value for key, value in article.items() if key not in WORKFLOW_FIELDS}


class Workflow:
    def __init__(self, store: ContentStore):
        self.store = store

    def edit(self, article: dict, actor: str) -> int:
        """Save changed words as a draft (a new article starts here too)."""
        current = self.store.latest(str(article.get("id", "")))
        base = current or {"reviewer": "", "reviewed_on": today(), "review_due": today()}
        changed = validate_article({**base, **article, "status": "draft"}, str(article.get("id", "article")))
        if current and words(changed) == words(current):
            return self.store.current_version(current["id"])
        return self.store.save(changed, actor, "edit")

    def submit(self, article_id: str, actor: str) -> int:
        article = self._latest(article_id)
        if article["status"] != "draft":
            raise WorkflowError(N_("Only a draft can be sent for review."))
        if missing_translation(article):
            raise WorkflowError(N_("Both languages need a title, example questions and an answer before review."))
        return self.store.save({**article, "status": "in_review"}, actor, "submit")

    def approve(self, article_id: str, reviewer: str, translation_checked: bool = False) -> int:
        """Publish; `translation_checked`: the reviewer confirmed that a language this change
        leaves as it was still says the same as the changed one."""
        article = self._latest(article_id)
        if article["status"] != "in_review":
            raise WorkflowError(N_("Only an article in review can be approved."))
        if self.last_editor(article_id) == reviewer:
            raise WorkflowError(N_("You made the last change, so another reviewer must approve it."))
        behind = left_behind(self.store.published(article_id), article)
        if behind and not translation_checked:
            raise WorkflowError(N_("This change leaves one language as it was. Confirm that it still says "
                                   "the same as the changed one, then approve."))
        due = clock.today() + dt.timedelta(days=REVIEW_INTERVAL_DAYS)
        version = self.store.save({**article, "status": "published", "reviewer": reviewer,
                                   "reviewed_on": today(), "review_due": due.isoformat()}, reviewer, "approve")
        if behind:
            self.store.log(reviewer, TRANSLATION_CHECKED, article_id, {"version": version, "languages": behind})
        return version

    def send_back(self, article_id: str, reviewer: str, note: str) -> int:
        """Return a change to its editor as a draft, with a note saying why (required)."""
        article = self._latest(article_id)
        if article["status"] != "in_review":
            raise WorkflowError(N_("Only an article in review can be sent back."))
        if not note.strip():  # the editor must learn what to change
            raise WorkflowError(N_("Write a note for the editor saying what needs to change, "
                                   "then send the article back."))
        version = self.store.save({**article, "status": "draft"}, reviewer, "send_back")
        self.store.log(reviewer, "send_back_note", article_id, {"version": version, "note": note[:1000]})
        return version

    def rollback(self, article_id: str, to_version: int, actor: str) -> int:
        """Bring back the words of a version that was live, as a change waiting for review."""
        old = self.store.version(article_id, to_version)
        if old is None:
            raise WorkflowError(N_("There is no such version."))
        if old["status"] != "published":  # a draft never reviewed must not come back by this door
            raise WorkflowError(N_("Only a version that was live can be brought back."))
        current = self._latest(article_id)
        return self.store.save({**current, **words(old), "status": "in_review"}, actor, f"rollback to v{to_version}")

    def out_of_date(self) -> dict[str, list[str]]:
        """For every article, the languages whose title and answer last changed before the other
        language's, and that no reviewer has since confirmed as still saying the same. Two
        queries for all articles: the article list shows this for each one."""
        checked: dict[str, int] = {}
        for entry in self.store.audit.entries(limit=None, action=TRANSLATION_CHECKED):
            version = json.loads(entry["detail"]).get("version", 0)
            checked[entry["subject"]] = max(version, checked.get(entry["subject"], 0))
        return {article_id: behind_since(last_meaning_changes(history), checked.get(article_id, 0))
                for article_id, history in self.store.histories().items()}

    def last_editor(self, article_id: str) -> str | None:
        """Who last changed the words (status changes and approvals do not count)."""
        history = self.store.history(article_id)
        for newer, older in zip(history, history[1:] + [None]):
            if older is None or words(newer["document"]) != words(older["document"]):
                return newer["actor"]
        return None

    def _latest(self, article_id: str) -> dict:
        article = self.store.latest(article_id)
        if article is None:
            raise WorkflowError(N_("There is no such article."))
        return article


def today() -> str:
    return clock.today().isoformat()


def meaning(article: dict, lang: str) -> tuple[str, ...]:
    """What must say the same in every language (surrounding spaces aside)."""
    return tuple(article[lang][key].strip() for key in MEANING_KEYS)


def left_behind(live: dict | None, candidate: dict) -> list[str]:
    """Languages whose title and answer stay as they are live while another language's change."""
    if live is None:  # a first publication: all of it is new, in every language
        return []
    changed = [lang for lang in LANGUAGES if meaning(live, lang) != meaning(candidate, lang)]
    return [lang for lang in LANGUAGES if lang not in changed] if changed else []


def last_meaning_changes(history: list[dict]) -> dict[str, int]:
    """For each language, the version in which its title or answer last changed (history: newest first)."""
    last, before = {}, None
    for row in reversed(history):
        for lang in LANGUAGES:
            if before is None or meaning(row["document"], lang) != meaning(before, lang):
                last[lang] = row["version"]
        before = row["document"]
    return last


def behind_since(last_changes: dict[str, int], checked_version: int) -> list[str]:
    """Languages last changed before another one, unless a reviewer checked them since."""
    newest = max(last_changes.values(), default=0)
    return [lang for lang, version in last_changes.items() if max(version, checked_version) < newest]


def missing_translation(article: dict) -> list[str]:
    """Languages still without a title, example questions or answer, or with a copy of the English."""
    def missing(lang: str) -> bool:
        part = article[lang]
        copied = lang != "en" and part["answer"].strip() == article["en"]["answer"].strip()
        return not (part["title"].strip() and part["questions"] and part["answer"].strip()) or copied
    return [lang for lang in LANGUAGES if missing(lang)]
