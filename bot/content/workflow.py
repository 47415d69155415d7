"""The editorial workflow: draft → in review → published, with a second pair of eyes.

Rules a clinic relies on:
- whoever last changed an article's words cannot approve it (four-eyes principle);
- a rollback is itself a change, so it goes through review like any edit;
- approving publishes at once: the chat reads the published version at run time.
"""
from __future__ import annotations

import datetime as dt

from bot import clock
from bot.content.articles import validate_article
from bot.content.store import ContentStore
from bot.i18n import N_
from bot.settings import LANGUAGES

REVIEW_INTERVAL_DAYS = 365
# Fields that record the workflow rather than what families read.
WORKFLOW_FIELDS = ("status", "reviewer", "reviewed_on", "review_due")


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

    def approve(self, article_id: str, reviewer: str) -> int:
        article = self._latest(article_id)
        if article["status"] != "in_review":
            raise WorkflowError(N_("Only an article in review can be approved."))
        if self.last_editor(article_id) == reviewer:
            raise WorkflowError(N_("You made the last change, so another reviewer must approve it."))
        due = clock.today() + dt.timedelta(days=REVIEW_INTERVAL_DAYS)
        return self.store.save({**article, "status": "published", "reviewer": reviewer,
                                "reviewed_on": today(), "review_due": due.isoformat()}, reviewer, "approve")

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


def missing_translation(article: dict) -> list[str]:
    """Languages still without a title, example questions or answer, or with a copy of the English."""
    def missing(lang: str) -> bool:
        part = article[lang]
        copied = lang != "en" and part["answer"].strip() == article["en"]["answer"].strip()
        return not (part["title"].strip() and part["questions"] and part["answer"].strip()) or copied
    return [lang for lang in LANGUAGES if missing(lang)]
