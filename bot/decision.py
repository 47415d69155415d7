"""The reply decision: from one NLU parse result (intent, article ranking, red-flag assessment)
to the kind of reply a family gets, and which article or severity.

It is written once, here. The actions send what it decides (data/rules.yml routes each intent
to its action, and the NLU component bot/nlu/redflags.py sets the report intents this module
reads); the retrain safety gate and the cross-validation bench score a model by it, so what is
measured is what families get.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from bot.redflags.detector import ASK

RETRIEVAL_INTENT = "faq"
REPORT_INTENT = "report_symptom"        # the detector found a sign: escalate, or ask if unsure
CONFIRM_REPORT = "confirm_report"       # the parent's "yes, it is happening now" (a button)
DENY_REPORT = "deny_report"             # the parent's "no, I am asking" (a button)
CHITCHAT_INTENTS = frozenset({"greet", "goodbye", "thank", "bot_challenge", "switch_language"})
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
# Below this ResponseSelector confidence (4x chance among ~40 articles) the match is a guess:
# say so instead. DIET has already decided the message is an in-scope question.
MIN_ARTICLE_CONFIDENCE = 0.1
FEVER_ARTICLE = "fever"


@dataclass(frozen=True)
class Decision:
    """The reply's `meta.kind` (answer | fallback | escalation | clarify | chitchat), its article
    and severity."""

    kind: str
    topic: Optional[str] = None
    severity: Optional[str] = None

    @property
    def label(self) -> str:
        """An article id, or `(fallback)` / `(escalation)` / `(clarify)` / `(chitchat)`."""
        return self.topic if self.kind == "answer" and self.topic else f"({self.kind})"


def decide(parse: dict) -> Decision:
    """The reply for `parse` (the output of `Agent.parse_message`, Rasa's /model/parse, or a
    tracker's latest message)."""
    intent = (parse.get("intent") or {}).get("name")
    flags = parse.get("red_flags") or {}
    if intent == REPORT_INTENT and flags.get("status"):
        return Decision("clarify" if flags["status"] == ASK else "escalation", severity=flags.get("severity"))
    if intent in CHITCHAT_INTENTS:
        return Decision("chitchat")
    if intent in FALLBACK_INTENTS:
        return Decision("fallback")
    if intent not in (RETRIEVAL_INTENT, REPORT_INTENT):
        return Decision("fallback")  # no rule for it: Rasa's default fallback
    topic = article_for(parse)
    return Decision("answer", topic) if topic else Decision("fallback")


def article_for(parse: dict) -> Optional[str]:
    """The article to answer with: the one a button named, the fever article for a measured
    temperature that is not a red flag, else the ResponseSelector's choice if confident."""
    topic = payload_topic(parse) or temperature_topic(parse)
    if topic:
        return topic
    topic, confidence = selected_article(parse)
    return topic if confidence >= MIN_ARTICLE_CONFIDENCE else None


def payload_topic(parse: dict) -> Optional[str]:
    """The article a button asked for: `/faq{"topic": "pump_alarm"}`."""
    return next((e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "topic"), None)


def temperature_topic(parse: dict) -> Optional[str]:
    """A measured temperature that is not a red flag gets the fever article (re-check advice)."""
    assessment = parse.get("red_flags") or {}
    measured = assessment.get("temperature_c") is not None
    return FEVER_ARTICLE if measured and assessment.get("status") is None else None


def faq_selection(parse: dict) -> dict:
    """The ResponseSelector's output for this message: `response` (best) and `ranking`."""
    return (parse.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}


def selected_article(parse: dict) -> tuple[Optional[str], float]:
    """The article id the ResponseSelector chose, and its confidence."""
    response = faq_selection(parse).get("response") or {}
    return article_id(response.get("intent_response_key")), float(response.get("confidence") or 0.0)


def article_id(intent_response_key: Optional[str]) -> Optional[str]:
    """`faq/pump_alarm` → `pump_alarm`."""
    key = intent_response_key or ""
    return key.split("/", 1)[1] if "/" in key else None
