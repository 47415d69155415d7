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
ASK_STORED_INTENT = "ask_stored_data"  # "what do you know about me" (actions/privacy.py)
FORGET_INTENT = "forget_me"             # "delete my data": asked first (actions/privacy.py)
CHITCHAT_INTENTS = frozenset({"greet", "goodbye", "thank", "bot_challenge", "switch_language",
                              ASK_STORED_INTENT, FORGET_INTENT})
COSTS_INTENT = "ask_costs"              # money questions: the fallback says whom to ask
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope", COSTS_INTENT})
# Below this ResponseSelector confidence (4x chance among ~40 articles) the match is a guess:
# say so instead. Only for a model without the article ranker (bot/nlu/article_ranker.py).
MIN_ARTICLE_CONFIDENCE = 0.1
# DIET's intent is the least stable part of a retrained model (README, sessions 27 and 38): one
# example question more or less and it takes "can she have a bath" or "会有哪些副作用" for out of
# scope or unsure, while the article ranker is all but certain of one article and finds nothing
# out of scope in it. Then the ranker's article stands.
SURE_ARTICLE = 0.9
SURE_IN_SCOPE = 0.1   # the ranker's own out-of-scope probability must be below this
OVERRULABLE_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
MAX_CANDIDATES = 3
CANDIDATE_SHARE = 0.5   # a third "did you mean" candidate scores at least half the best one
FEVER_ARTICLE = "fever"
# The parse result's key that bot/nlu/other_subject.py sets: the question is about a household
# device, travel papers or an ill pet, not the child: the fallback, whatever the article scores.
OTHER_SUBJECT = "other_subject"


@dataclass(frozen=True)
class Thresholds:
    """On the article ranker's combined confidence: answer when the best article clears
    `answer_min` and leads the next by `margin`; offer the best few ("did you mean…?") when it
    clears `clarify_min`; else the fallback, which an out-of-scope probability of
    `out_of_scope_min` also gives."""

    answer_min: float
    margin: float
    clarify_min: float
    out_of_scope_min: float


# Chosen on the tuning part of the real-wording set (`python bench/realworld.py --calibrate`).
# Session 11's recalibration (margin 0.25) put "did you mean" on plain pump-alarm questions: kept.
THRESHOLDS = Thresholds(answer_min=0.35, margin=0.05, clarify_min=0.3, out_of_scope_min=0.3)


@dataclass(frozen=True)
class Decision:
    """The reply's `meta.kind` (answer | fallback | escalation | clarify | chitchat), its article
    and severity."""

    kind: str
    topic: Optional[str] = None
    severity: Optional[str] = None
    clarify: Optional[str] = None        # for `clarify`: "report" or "topic"
    candidates: tuple[str, ...] = ()     # for a `topic` clarify: the articles offered

    @property
    def label(self) -> str:
        """An article id, or `(fallback)` / `(escalation)` / `(clarify)` / `(chitchat)`."""
        return self.topic if self.kind == "answer" and self.topic else f"({self.kind})"


def decide(parse: dict, limits: Thresholds = THRESHOLDS) -> Decision:
    """The reply for `parse` (the output of `Agent.parse_message`, Rasa's /model/parse, or a
    tracker's latest message). `limits` only for calibration."""
    intent = (parse.get("intent") or {}).get("name")
    flags = parse.get("red_flags") or {}
    if intent == REPORT_INTENT and flags.get("status"):
        if flags["status"] == ASK:
            return Decision("clarify", severity=flags.get("severity"), clarify="report")
        return Decision("escalation", severity=flags.get("severity"))
    if intent in CHITCHAT_INTENTS:
        return Decision("chitchat")
    if ranker_overrules(intent, parse.get("articles") or {}):
        return answer_decision(parse, limits)
    if intent in FALLBACK_INTENTS:
        return Decision("fallback")
    if intent not in (RETRIEVAL_INTENT, REPORT_INTENT):
        return Decision("fallback")  # no rule for it: Rasa's default fallback
    return answer_decision(parse, limits)


def answer_decision(parse: dict, limits: Thresholds = THRESHOLDS) -> Decision:
    """For a question: the article a button named, the fever article for a measured temperature
    that is not a red flag, else the ranked articles: one when it is clear, a choice of two or
    three when it is close ("did you mean…?"), the fallback when none is likely or the question
    is about something else (OTHER_SUBJECT)."""
    if topic := payload_topic(parse):
        return Decision("answer", topic)
    if parse.get(OTHER_SUBJECT):
        return Decision("fallback")
    if topic := temperature_topic(parse):
        return Decision("answer", topic)
    ranked = parse.get("articles")
    if not ranked:
        topic, confidence = selected_article(parse)
        return Decision("answer", topic) if topic and confidence >= MIN_ARTICLE_CONFIDENCE else Decision("fallback")
    return ranked_decision(ranked["ranking"], ranked.get("out_of_scope", 0.0), limits)


def ranker_overrules(intent: Optional[str], articles: dict) -> bool:
    """Whether the article ranker's output (bot/nlu/article_ranker.py) is sure enough to answer
    a question DIET took for out of scope or could not place (see SURE_ARTICLE)."""
    ranking = articles.get("ranking") or []
    return (intent in OVERRULABLE_INTENTS and bool(ranking) and ranking[0]["confidence"] >= SURE_ARTICLE
            and articles.get("out_of_scope", 1.0) < SURE_IN_SCOPE)


def ranked_decision(ranking: list[dict], out_of_scope: float, limits: Thresholds = THRESHOLDS) -> Decision:
    """The decision from the article ranker's output (bot/nlu/article_ranker.py)."""
    scores = [(r["id"], r["confidence"]) for r in ranking]
    if not scores or out_of_scope >= limits.out_of_scope_min:
        return Decision("fallback")
    (best, top), runner_up = scores[0], scores[1][1] if len(scores) > 1 else 0.0
    if top >= limits.answer_min and top - runner_up >= limits.margin:
        return Decision("answer", best)
    if top >= limits.clarify_min and len(scores) > 1:
        candidates = [t for i, (t, s) in enumerate(scores[:MAX_CANDIDATES]) if i < 2 or s >= CANDIDATE_SHARE * top]
        return Decision("clarify", clarify="topic", candidates=tuple(candidates))
    return Decision("fallback")


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
