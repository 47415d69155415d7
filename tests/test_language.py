"""Per-message language detection (bot.nlu.language)."""
from __future__ import annotations

import pytest

from actions.chitchat import requested_language
from bot.language import detect, reply_language


@pytest.mark.parametrize("text,expected", [
    ("can he shower with the pump?", "en"),
    ("泵一直在响怎么办", "zh"),
    ("PICC line 可以洗澡吗", "mixed"),
    ("blina的副作用", "mixed"),
    ("ok", None), ("OK!!", None), ("okay", None), ("hmm", None),
    ("38.5", None), ("38,5", None), ("101.3F", None), ("38.5 °C", None), ("5 ml", None),
    ("👍", None), ("？？", None), ("", None),
    ('/faq{"topic": "fever"}', None),
    ("38.5 degrees", "en"), ("38度5", "zh"),
])
def test_detect(text, expected):
    assert detect(text) == expected


def test_reply_language_prefers_the_text_then_the_hint():
    assert reply_language("PICC line 可以洗澡吗", "en") == "zh"
    assert reply_language("hello", "zh") == "en"
    assert reply_language("ok", "zh") == "zh"
    assert reply_language("ok", None) is None
    assert reply_language("ok", "fr") is None


@pytest.mark.parametrize("text,current,expected", [
    ("can you speak Chinese", "en", "zh"),
    ("请用英文回答", "zh", "en"),
    ("说中文", "en", "zh"),
    ("English please", "zh", "en"),
    ("switch language", "en", "zh"),
    ("换一种语言", "zh", "en"),
])
def test_requested_language(text, current, expected):
    assert requested_language(text, current) == expected
