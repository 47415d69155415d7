"""Heart-rate readings from a watch, a pulse oximeter or a monitor: "HR 172 asleep", "心率170".

A child's heart racing at rest is a circulation red flag (over-triage is acceptable): parents
with a smart watch or a finger probe send the number rather than describe the heart.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

HIGH_HEART_RATE = 160    # beats a minute: over what a resting child of any age should have
MAX_READINGS = 12        # bounded cost whatever is sent
_HEART_RATE = re.compile(r"""
    (?:(?<![a-z])(?:heart\s*rate|heartrate|hr|pulse(?!\s*ox)|heart\s*beat|heartbeat)(?![a-z])|心率|心跳|脉搏|脉率)
    (?:(?!sats?\b|spo2|oxygen|o2|血氧|氧|体温|temp)[^0-9\n,，;；。]){0,14}?
    (?P<value>(?<![\d.])\d{2,3}(?![\d.]))(?!\s*(?:%|度|°|岁|分钟|mins?\b|kg|公斤|次?以上))
    |(?P<bpm>(?<![\d.])\d{2,3}(?![\d.]))\s*(?:bpm|beats?\s*(?:a|per)\s*min|次/分|次每分|次一分钟)
""", re.IGNORECASE | re.VERBOSE)


@dataclass(frozen=True)
class HeartRate:
    bpm: int
    start: int          # span of the number in the text
    end: int


def find_fast_heart_rates(text: str) -> list[HeartRate]:
    """Every heart-rate reading in the text that is high enough to matter."""
    found = []
    for match in itertools.islice(_HEART_RATE.finditer(text), MAX_READINGS):
        group = "value" if match.group("value") else "bpm"
        value = int(match.group(group))
        if HIGH_HEART_RATE <= value <= 300:
            found.append(HeartRate(value, match.start(group), match.end(group)))
    return found
