"""The safety gate parses its cases in batches (bot/training/gate.py `parse_batch`); what it scores
must be what Rasa's own one-message parse gives a family. Checked on the session's trained model."""
from __future__ import annotations

import asyncio
from pathlib import Path

from bot.decision import decide
from bot.settings import load_settings
from bot.training.gate import load_cases, parse_batch
from tests.stack import Stack

BUTTONS = ["/greet", '/faq{"topic": "pump_alarm"}', "/confirm_report"]


def test_a_batch_is_parsed_as_rasa_parses_each_message(stack: Stack):
    from rasa.core.agent import Agent

    model = stack.database().scalar("select model from deployed_models order by id desc limit 1")
    agent = Agent.load(str(Path(stack.env["CAREBOT_MODELS"]) / model))
    cases, _, _ = load_cases(load_settings())
    texts = [c.text for c in cases[:: len(cases) // 120]] + BUTTONS + ["", "你好", "x" * 3000]

    async def both() -> tuple[list[dict], list[dict]]:
        return await parse_batch(agent, texts), [await agent.parse_message(text) for text in texts]

    batched, one_by_one = asyncio.run(both())
    assert len(batched) == len(texts)
    for text, mine, rasas in zip(texts, batched, one_by_one):
        assert decide(mine) == decide(rasas), text
        for key in ("intent", "red_flags", "articles", "entities"):
            if key == "intent":
                assert mine[key]["name"] == rasas[key]["name"], text
            else:
                assert mine.get(key) == rasas.get(key), (text, key)
