"""Oxygen saturation readings from a home pulse oximeter: "sats 88", "血氧89", "oxygen showing 90%".

A low reading is a breathing emergency (over-triage is acceptable): parents who have a finger
probe at home often send the number rather than describe the breathing.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

LOW_SATURATION = 92      # below this, the emergency number comes first
MAX_READINGS = 12        # bounded cost whatever is sent
_SATURATION = re.compile(r"""
    (?:(?<![a-z])(?:sats?|spo2|sp02|o2\s*sat\w*|oxygen(?:\s+(?:level|levels|saturation|sats?))?|pulse\s*ox\w*)(?![a-z])
      |血氧(?:饱和度)?|氧饱和度?|氧饱|氧气)
    (?:(?!pulse|hr\b|heart|resp|rate|breath|心率|呼吸|脉搏)[^0-9\n,，;；。]){0,18}?
    (?P<value>(?<!\d)\d{2}(?!\d))(?!\s*(?:次|bpm|beats|度|°|岁|分钟|min))
""", re.IGNORECASE | re.VERBOSE)


@dataclass(frozen=True)
class Saturation:
    percent: int
    start: int          # span of the number in the text
    end: int


def find_saturations(text: str) -> list[Saturation]:
    """Every saturation reading in the text that is low enough to matter."""
    found = []
    for match in itertools.islice(_SATURATION.finditer(text), MAX_READINGS):
        value = int(match.group("value"))
        if 50 <= value < LOW_SATURATION:
            found.append(Saturation(value, match.start("value"), match.end("value")))
    return found
