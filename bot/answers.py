"""Turning a stored article into the reply a family reads, and the `meta` the chat API returns."""
from __future__ import annotations

from typing import Optional

from functools import lru_cache

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from bot.clinics import template_context

_jinja = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def render_answer(article: dict, lang: str, clinic: dict) -> str:
    """The answer in `lang` with the clinic's settings filled in.

    Raises jinja2 errors for a variable the clinic does not have: a reply with a blank where
    a phone number should be is worse than the fallback.
    """
    return _template(article[lang]["answer"]).render(clinic=template_context(clinic, lang)).strip()


@lru_cache(maxsize=512)
def _template(source: str) -> Template:
    """Compiled once per answer text: an edited answer is a new text, so it is never stale."""
    return _jinja.from_string(source)


def meta(kind: str, lang: str, topic: Optional[str] = None, article: Optional[dict] = None,
         severity: Optional[str] = None, escalation_id: Optional[int] = None,
         clarify: Optional[str] = None) -> dict:
    """The chat API's `meta` for one turn (docs/chat-api.md); `clarify` only on a clarify turn."""
    return {**({"clarify": clarify} if clarify else {}),
        "kind": kind,
        "topic": topic,
        "lang": lang,
        "severity": severity,
        "escalation_id": escalation_id,
        "reviewed_on": article["reviewed_on"] if article else None,
        "sources": list(article[lang]["sources"]) if article else [],
    }
