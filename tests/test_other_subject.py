"""Questions about something else (bot/nlu/other_subject.py) get the fallback, however well an
article scores; the family's own questions that share their words do not."""
from __future__ import annotations

import pytest

from bot.decision import OTHER_SUBJECT, Decision, decide
from bot.nlu.other_subject import about_something_else
from bot.redflags.second_opinion import article_questions


@pytest.mark.parametrize("text", [
    "the dishwasher is leaking all over the kitchen floor",
    "our boiler keeps beeping and showing an error",
    "heat pump is making a grinding noise at night",
    "my puppy has been sick twice this morning",
    "how long does a passport renewal take",
    "洗衣机一直漏水怎么办",
    "家里的猫一直拉稀",
    "鱼缸的过滤泵不转了",
])
def test_a_question_about_something_else_is_recognised(text):
    assert about_something_else(text)


@pytest.mark.parametrize("text", [
    "can the cat sleep on her bed",                   # the child named
    "the dog chewed through the tubing, what do i do",  # the equipment named
    "is a rabbit ok as a pet",                        # a pet, no illness: the pets article
    "can he watch tv with the pump on",
    "do we need a letter for the passport check with the pump",
    "用blina期间家里的狗生病了能照顾吗",
    "要不要把猫送人",
    "药袋要放冰箱吗",
])
def test_the_familys_own_questions_are_not(text):
    assert not about_something_else(text)


def test_no_article_example_question_is_about_something_else():
    """The articles' example questions are the family's by definition: a word list that takes one
    for something else would turn an answer into the fallback."""
    taken = [q for qs in article_questions().values() for q in qs if about_something_else(q)]
    assert taken == []


def test_the_decision_falls_back_whatever_the_article_scores():
    parse = {"text": "x", "intent": {"name": "faq", "confidence": 0.99},
             "articles": {"ranking": [{"id": "pump_alarm", "confidence": 0.95}], "out_of_scope": 0.0}}
    assert decide(parse) == Decision("answer", "pump_alarm")
    assert decide({**parse, OTHER_SUBJECT: True}) == Decision("fallback")
    report = {**parse, OTHER_SUBJECT: True, "intent": {"name": "report_symptom", "confidence": 1.0},
              "red_flags": {"status": "report", "severity": "red"}}
    assert decide(report).kind == "escalation"  # a red flag is judged apart, and first
