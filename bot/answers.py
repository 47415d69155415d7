"""Turning a stored article into the reply a family reads, and the `meta` the chat API returns.

Article text is data, not code: the only thing filled in is a clinic setting written as
`{{ clinic.<setting> }}` (a whitelist substitution in one pass, linear in the text's length).
Any other template syntax is refused when an article is saved and never evaluated, so an
editor's text cannot compute, loop or call anything on the server.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from bot.clinics import TEMPLATE_FIELDS, template_context
from bot.i18n import N_, sentences, translate

PLACEHOLDER = re.compile(r"\{\{\s*clinic\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
EXAMPLE = "{{ clinic.phone_24h }}"


class PlaceholderError(ValueError):
    """An answer uses a placeholder that cannot be filled in."""


def placeholder_problems(answer: str) -> list[tuple[str, dict]]:
    """What is wrong with an answer's placeholders, as (message id, values) to translate."""
    problems: list[tuple[str, dict]] = [
        (N_("The clinic settings have no {name}."), {"name": name})
        for name in dict.fromkeys(PLACEHOLDER.findall(answer)) if name not in TEMPLATE_FIELDS]
    if TEMPLATE_SYNTAX.search(PLACEHOLDER.sub("", answer)):
        problems.append((N_("Only clinic settings can be filled in, written like {example}; no other "
                            "template code."), {"example": EXAMPLE}))
    return problems


def describe(problems: list[tuple[str, dict]], lang: str) -> str:
    return sentences(lang, *(translate(lang, message, **values) for message, values in problems))


def render_answer(article: dict, lang: str, clinic: dict) -> str:
    """The answer in `lang` with the clinic's settings filled in.

    Raises PlaceholderError for a setting the clinic does not have: a reply with a blank where
    a phone number should be is worse than the fallback.
    """
    answer = article[lang]["answer"]
    problems = placeholder_problems(answer)
    if problems:
        raise PlaceholderError(describe(problems, "en"))
    context = template_context(clinic, lang)
    return PLACEHOLDER.sub(lambda match: str(context[match.group(1)]), answer).strip()


def meta(kind: str, lang: str, topic: Optional[str] = None, article: Optional[dict] = None,
         severity: Optional[str] = None, escalation_id: Optional[int] = None,
         clarify: Optional[str] = None, candidates: Sequence[str] = (), alerted: Optional[bool] = None) -> dict:
    """The chat API's `meta` for one turn (docs/chat-api.md); `clarify` only on a clarify turn,
    `candidates` only on a "did you mean" turn, `alerted` only on an escalation."""
    return {**({"clarify": clarify} if clarify else {}),
        **({"candidates": list(candidates)} if candidates else {}),
        **({"alerted": alerted} if alerted is not None else {}),
        "kind": kind,
        "topic": topic,
        "lang": lang,
        "severity": severity,
        "escalation_id": escalation_id,
        "reviewed_on": article["reviewed_on"] if article else None,
        "sources": list(article[lang]["sources"]) if article else [],
    }
