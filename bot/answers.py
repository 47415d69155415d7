"""Turning a stored article into the reply a family reads, and the `meta` the chat API returns."""
from __future__ import annotations

from typing import Optional

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from bot.clinics import template_context

_jinja = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def render_answer(article: dict, lang: str, clinic: dict) -> str:
    """The answer in `lang` with the clinic's settings filled in.

    Raises jinja2 errors for a variable the clinic does not have: a reply with a blank where
    a phone number should be is worse than the fallback.
    """
    template = _jinja.from_string(article[lang]["answer"])
    return template.render(clinic=template_context(clinic, lang)).strip()


def meta(kind: str, lang: str, topic: Optional[str] = None, article: Optional[dict] = None,
         severity: Optional[str] = None, escalation_id: Optional[int] = None) -> dict:
    """The chat API's `meta` for one turn (shared/docs/chat-api.md)."""
    return {
        "kind": kind,
        "topic": topic,
        "lang": lang,
        "severity": severity,
        "escalation_id": escalation_id,
        "reviewed_on": article["reviewed_on"] if article else None,
        "sources": list(article[lang]["sources"]) if article else [],
    }
