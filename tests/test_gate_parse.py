"""The safety gate parses its cases in batches (bot/training/gate.py `parse_batch`); what it scores
must be what Rasa's own one-message parse gives a family. Checked on the session's trained model."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.settings import load_settings
from bot.training.gate import load_cases, parse_batch
from tests.stack import Stack

ODD_TEXTS = ["/greet", '/faq{"topic": "pump_alarm"}', " /deny_report", "/ my child is not breathing", "", "你好",
             "x" * 3000]


def comparable(parse: dict) -> dict:
    """The parse as JSON, less the one key Rasa's processor adds after the graph
    (`full_retrieval_intent_name`, which the reply decision does not read)."""
    parse = json.loads(json.dumps(parse, default=str))
    parse.get("intent", {}).pop("full_retrieval_intent_name", None)
    return parse


def test_a_batch_is_parsed_as_rasa_parses_each_message(stack: Stack):
    from rasa.core.agent import Agent

    model = stack.database().scalar("select model from deployed_models order by id desc limit 1")
    agent = Agent.load(str(Path(stack.env["CAREBOT_MODELS"]) / model))
    cases, _, _ = load_cases(load_settings())
    texts = [c.text for c in cases[:: max(1, len(cases) // 120)]] + ODD_TEXTS
    batched = parse_batch(agent, texts)
    one_by_one = [asyncio.run(agent.parse_message(text)) for text in texts]
    assert len(batched) == len(texts)
    for text, mine, rasas in zip(texts, batched, one_by_one):
        assert comparable(mine) == comparable(rasas), text
