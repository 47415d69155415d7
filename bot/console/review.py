"""What a reviewer approves, and what waits for one.

Approving publishes at once, so the approval page sets the version in review against what
families read now (the live version), not against the draft before it: a change made in an
earlier draft still shows when the last step only sent the article for review. It compares the
text families read (titles, answers with the clinic's numbers filled in, example questions and
sources) in both languages, never the YAML or the workflow fields. When a change leaves one
language's title and answer as they were, the page says so and the reviewer confirms that
language still says the same before approving.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from bot.answers import PlaceholderError, render_answer
from bot.console.guard import console, console_route
from bot.console.render import page
from bot.content.diff import added_and_removed, side, word_diff
from bot.content.workflow import left_behind
from bot.settings import LANGUAGES


@dataclass(frozen=True)
class TextChange:
    old: Markup  # the live text, deletions marked
    new: Markup  # the text after approval, insertions marked
    changed: bool


@dataclass(frozen=True)
class ListChange:
    added: list[str]
    removed: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class LanguageChanges:
    lang: str
    title: TextChange
    answer: TextChange
    questions: ListChange
    sources: ListChange

    @property
    def changed(self) -> bool:
        return any(part.changed for part in (self.title, self.answer, self.questions, self.sources))


@dataclass(frozen=True)
class Approval:
    """The approval panel's content: the version in review, the live one (None before the
    first publication) and what changes between them for families."""
    candidate: dict  # version row: version, status, actor, created_at, document
    live: dict | None
    changes: list[LanguageChanges]
    last_editor: str | None
    left_behind: list[str]  # languages whose title and answer stay as they are while another's change

    @property
    def changed_languages(self) -> list[str]:
        """The languages whose change left the others behind (none when nothing is left behind)."""
        return [lang for lang in LANGUAGES if lang not in self.left_behind] if self.left_behind else []


def text_change(old: str, new: str) -> TextChange:
    """A side-by-side word diff; unchanged text skips the diff (history pages have many)."""
    if old == new:
        return TextChange(escape(old), escape(new), False)
    pieces = word_diff(old, new)
    return TextChange(side(pieces, "old"), side(pieces, "new"), True)


def family_answer(article: dict | None, lang: str, clinic: dict) -> str:
    """The answer as a family reads it, with the clinic's numbers; an old version naming a
    setting the clinic no longer has is shown as written rather than not at all."""
    if article is None:
        return ""
    try:
        return render_answer(article, lang, clinic)
    except PlaceholderError:
        return article[lang]["answer"].strip()


def language_changes(live: dict | None, candidate: dict, lang: str, clinic: dict) -> LanguageChanges:
    before = live[lang] if live else {"title": "", "questions": [], "sources": []}
    after = candidate[lang]
    return LanguageChanges(
        lang=lang,
        title=text_change(before["title"], after["title"]),
        answer=text_change(family_answer(live, lang, clinic), family_answer(candidate, lang, clinic)),
        questions=ListChange(*added_and_removed(before["questions"], after["questions"])),
        sources=ListChange(*added_and_removed(before["sources"], after["sources"])))


def compare(live: dict | None, candidate: dict, clinic: dict, first: str = "en") -> list[LanguageChanges]:
    """What changes for families in each language if `candidate` replaces `live`; the nurse's
    own language (`first`) comes first, since that is the one she reads most closely."""
    langs = sorted(LANGUAGES, key=lambda lang: lang != first)
    return [language_changes(live, candidate, lang, clinic) for lang in langs]


def approval(request: Request, article_id: str) -> Approval:
    """The version in review against the live version, for the visitor's clinic."""
    store = console(request)
    versions = {v["version"]: v for v in store.content.history(article_id)}
    row = store.content.article_row(article_id)
    live = versions.get(row["published_version"]) if row["published_version"] else None
    clinic = store.clinics.get(request.state.visitor.user.clinic)
    candidate = versions[row["version"]]
    live_document = live["document"] if live else None
    changes = compare(live_document, candidate["document"], clinic, request.state.visitor.lang)
    return Approval(candidate, live, changes, store.workflow.last_editor(article_id),
                    left_behind(live_document, candidate["document"]))


async def review_queue(request: Request) -> Response:
    """The Review menu's page: every article waiting for a reviewer, the longest waiting first."""
    store = console(request)
    waiting = [(row, store.content.latest(row["id"]), store.workflow.last_editor(row["id"]))
               for row in store.content.in_review()]
    return page(request, "review.html", waiting=waiting)


review_routes = [
    console_route("/console/review", review_queue, "reviewer"),
]
