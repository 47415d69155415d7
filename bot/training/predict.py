"""What the assistant would do with one NLU parse result, without running a conversation.

The safety gate and the cross-validation bench score a model by the reply a family would get,
not by raw intent accuracy. This mirrors the rules (data/rules.yml) and the actions' own
decisions (actions/answer.py, actions/escalate.py), reusing the actions' functions so that the
two cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from rasa_sdk import Tracker

from actions.answer import MIN_ARTICLE_CONFIDENCE, selected_article, temperature_topic
from bot.training.data import RETRIEVAL_INTENT

CHITCHAT_INTENTS = frozenset({"greet", "goodbye", "thank", "bot_challenge", "switch_language"})
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
REPORT_INTENT = "report_symptom"


@dataclass(frozen=True)
class Outcome:
    """The reply's `meta.kind` (answer | fallback | escalation | chitchat), article and severity."""

    kind: str
    topic: Optional[str] = None
    severity: Optional[str] = None

    @property
    def label(self) -> str:
        """An article id, or `(fallback)` / `(escalation)` / `(chitchat)`: one string to compare."""
        return self.topic if self.kind == "answer" and self.topic else f"({self.kind})"


def outcome(parse: dict) -> Outcome:
    """The reply kind for `parse` (the output of `Agent.parse_message` or Rasa's /model/parse)."""
    intent = (parse.get("intent") or {}).get("name")
    severity = (parse.get("red_flags") or {}).get("severity")
    if intent == REPORT_INTENT and severity:
        return Outcome("escalation", severity=severity)
    if intent in CHITCHAT_INTENTS:
        return Outcome("chitchat")
    if intent in FALLBACK_INTENTS:
        return Outcome("fallback")
    if intent not in (RETRIEVAL_INTENT, REPORT_INTENT):  # no rule for it: Rasa's default fallback
        return Outcome("fallback")
    # `faq`, or a report DIET heard but the rules did not confirm: action_answer decides.
    tracker = Tracker("predict", {}, parse, [], False, None, {}, None)
    topic = temperature_topic(tracker)
    if topic is None:
        topic, confidence = selected_article(tracker)
        if confidence < MIN_ARTICLE_CONFIDENCE:
            topic = None
    return Outcome("answer", topic) if topic else Outcome("fallback")
