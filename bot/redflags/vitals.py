"""Readings from home devices other than a thermometer: oxygen saturation and heart rate.

Parents who have a finger probe or a smart watch often send the number rather than describe the
breathing or the heart. A low oxygen reading ("sats 88", "血氧89", "oxygen showing 90%") is a
breathing emergency; a child's heart racing at rest ("HR 172 asleep", "心率170") is a circulation
red flag (over-triage is acceptable for both). A heart rate is one only right by its name ("hr"
is also hours, "pulse" also a blender's button); the writer's own ("my HR was 165 on my run",
"吓得我心跳180") is theirs; a lower one "now" after it says it has settled.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

LOW_SATURATION = 92      # below this, the emergency number comes first
HIGH_HEART_RATE = 160    # beats a minute: over what a resting child of any age should have
MAX_READINGS = 12        # bounded cost whatever is sent
_SATURATION = re.compile(r"""
    (?:(?<![a-z])(?:sats?|spo2|sp02|o2\s*sat\w*|oxygen(?:\s+(?:level|levels|saturation|sats?))?|pulse\s*ox\w*)(?![a-z])
      |血氧(?:饱和度)?|氧饱和度?|氧饱|氧气)
    (?:(?!pulse|hr\b|heart|resp|rate|breath|心率|呼吸|脉搏)[^0-9\n,，;；。]){0,18}?
    (?P<value>(?<!\d)\d{2}(?!\d))(?!\s*(?:次|bpm|beats|度|°|岁|分钟|min))
""", re.IGNORECASE | re.VERBOSE)
_NOT_A_RATE = r"(?!\s*(?:%|度|°|岁|分钟|mins?\b|hours?\b|hrs?\b|days?\b|kg|g\b|mg|ml|公斤|毫升|小时|天))"
_HEART_RATE = re.compile(rf"""
    (?:(?<![a-z])(?:hr|pulse)(?![a-z])[a-z\s:=]{{0,12}}?
      |(?:(?<![a-z])(?:heart\s*rate|heartrate|heart\s*beat|heartbeat)(?![a-z])|心率|心跳|脉搏|脉率)
       (?:(?!sats?\b|spo2|oxygen|o2|血氧|氧|体温|temp)[^0-9\n,，;；。?？!！]){{0,24}}?)
    (?P<value>(?<![\d.])\d{{2,3}}(?![\d.])){_NOT_A_RATE}
    |(?P<bpm>(?<![\d.])\d{{2,3}})\s*(?:bpm|beats?\s+(?:a|per)\s+min)
""", re.IGNORECASE | re.VERBOSE)
# Whose heart: the last person named in the few characters before the reading's name (searched
# only there: WRITERS_OWN_REACH covers the longest person word and the 12 characters after it).
WRITERS_OWN_REACH = 16
WRITERS_OWN = re.compile(r"(?:\b(?:my|i|i'm|im|me)\b|我)(?!.*(?:\b(?:his|her|he|she|son|daughter)\b|孩子|宝宝|他|她|娃))[^\n]{0,12}$",
                         re.IGNORECASE)
MUSIC = re.compile(r"metronome|tempo|playlist|节拍|\b(?:song|track|music|remix)s?\b", re.IGNORECASE)  # beats of a song
SETTLED_SINCE = re.compile(r"(?:now|现在|then)\D{0,12}?(?P<value>(?<![\d.])\d{2,3}(?![\d.]))|(?P<before>(?<![\d.])\d{2,3}(?![\d.]))\D{0,6}?(?:now|现在)",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Vital:
    value: int          # percent, or beats a minute
    start: int          # span of the number in the text
    end: int


def find_saturations(text: str) -> list[Vital]:
    """Every saturation reading in the text that is low enough to matter."""
    found = []
    for match in itertools.islice(_SATURATION.finditer(text), MAX_READINGS):
        value = int(match.group("value"))
        if 50 <= value < LOW_SATURATION:
            found.append(Vital(value, match.start("value"), match.end("value")))
    return found


def find_fast_heart_rates(text: str) -> list[Vital]:
    """Every heart-rate reading of the child in the text that is high enough to matter."""
    found = []
    for match in itertools.islice(_HEART_RATE.finditer(text), MAX_READINGS):
        group = "value" if match.group("value") else "bpm"
        value = int(match.group(group))
        if HIGH_HEART_RATE <= value <= 300 \
                and not WRITERS_OWN.search(text, max(0, match.start() - WRITERS_OWN_REACH), match.start()) \
                and not settled_since(text[match.end(group):]) and not MUSIC.search(text):
            found.append(Vital(value, match.start(group), match.end(group)))
    return found


def settled_since(rest: str) -> bool:
    """A lower rate said to be now after the reading: "170 last night but 120 now"."""
    lower = SETTLED_SINCE.search(rest)
    return lower is not None and int(lower.group("value") or lower.group("before")) < HIGH_HEART_RATE
