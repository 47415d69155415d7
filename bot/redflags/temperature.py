"""Temperatures a parent reports in an English or Chinese chat message.

A fever on a blinatumomab infusion needs a same-day call, so every message is scanned. The parser
is deliberately narrow: a number becomes a reading only when it is written as a temperature (a
unit, a temperature word nearby, or a message that is nothing but the number) and its value is a
plausible body temperature. Ages, weights, doses, dates, times and bed numbers must not raise a
false alarm, so they are recognised and skipped.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Reading", "find_temperatures"]

CELSIUS_RANGE = (30.0, 45.0)
MAX_NUMBERS = 8    # the first and the last this many numbers are read: bounded cost whatever is sent
FAHRENHEIT_RANGE = (86.0, 113.0)

# Full-width forms (３８．５, ：, ～) -> ASCII, one character for one so spans stay valid.
# The full-width comma is left alone: in Chinese it separates clauses, it is never a decimal mark.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0C}
_FULL_WIDTH[0x3000] = ord(" ")
# A Chinese full stop typed for the decimal point, between a 3x/4x and one digit: "耳温38。7".
_FULL_STOP_DECIMAL = re.compile(r"(?<![0-9])([34][0-9])。(?=[0-9](?![0-9]))")

# Cheap gate: most chat messages contain no digit and no Chinese tens, and are done here.
_MAYBE_NUMBER = re.compile(r"[0-9０-９]|[三四](?:十|[〇零一二六七八九]\s*[点點度])|thirty|forty", re.IGNORECASE)

# A run of digits and number punctuation, taken whole so that "2026-11-25", "8:38",
# "13838383838" or "1,038" are judged as one token and rejected, not mined for a "38".
# Spoken decimals: "38 point 6"; an unknown tenth ("38 point something", "38点几") is read as the
# highest it can be (.9): over-triage is acceptable, a missed fever is not.
_POINT = r"(?:[.,点點]|\s*\bpoint\s+)"
_SOME_TENTH = r"something|odd|几|幾"
UNKNOWN_TENTH = 9
_RUN = re.compile(rf"[0-9]+(?:(?:[.,:/\-~–〜]|[点點]|\s*\bpoint\s+)(?:[0-9]+|{_SOME_TENTH}))*", re.IGNORECASE)
_NUMBER = rf"([1-9][0-9]{{1,2}})(?:{_POINT}([0-9]|{_SOME_TENTH}))?"   # 38, 38.5, 38,5, 38点5, 101.3
_SINGLE = re.compile(_NUMBER, re.IGNORECASE)
_RANGE = re.compile(rf"{_NUMBER}[\-~–〜]{_NUMBER}", re.IGNORECASE)   # "38-39", "38.5~39"

# Time and count words: "38度5天" is 38 degrees for five days, not 38.5.
_COUNT_AFTER = "天日月年小个分秒周次岁"
_UNIT = re.compile(rf"""
    \s*(?:
        [℃℉]
      | [°º˚]\s*(?:(?:[CF]|celsius|centigrade|fahrenheit)(?![A-Z]))?
      | (?:degrees?|deg|celsius|centigrade|fahrenheit)
            (?:\s*(?:[CF]|celsius|centigrade|fahrenheit))?(?![A-Z])
      | [CF](?![A-Z])
      | 度(?:(?P<tenth>[0-9])(?![0-9{_COUNT_AFTER}])|(?P<half>半)(?![{_COUNT_AFTER}])|(?P<more>多|几|幾))?
    )""", re.IGNORECASE | re.VERBOSE)

# A unit that makes the number something else: a weight, an age, a dose, a duration, a count.
_OTHER_UNIT = re.compile(r"""
    \s*(?:
        (?:kgs?|kilo(?:gram)?s?|g|grams?|lbs?|pounds?|oz|ounces?
          |ml|cc|l|lit(?:re|er)s?|mg|mcg|µg|μg|ug|units?|u|iu
          |months?|mos?|mths?|weeks?|wks?|days?|d|years?|yrs?|y|yo|y/o|old
          |hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s
          |cm|mm|km|met(?:re|er)s?|inch(?:es)?|ft|feet
          |percent|bpm|beats|breaths|mmhg|times|x|am|pm|o'?clock
          |pages?|patients?|kids?|children|people|questions?)(?![A-Z])
      | [%/×]
      | 岁|公斤|千克|斤|克|毫|微克|升|个|次|号|床|天|日|月|年|周|星期|小时|钟|分|秒|点|點
      | 楼|层|元|块|米|厘|磅|页|人|室|例|支|片|粒|袋|瓶|滴|万(?!一)|萬(?!一)|亿|億|公里
    )""", re.IGNORECASE | re.VERBOSE)

# A label that makes the number an index or another measurement: "day 38", "bed 38", "第38".
_LABEL_BEFORE = re.compile(r"""
    (?:
        (?<![A-Z])(?:day|room|rm|bed|cycle|bag|ward|floor|page|week|wk|no\.|number|num|nr|id
          |ext|tel|phone|age|aged|weight|weighs|weighed|height|dose|rate|pulse|hr|bp|sats?
          |spo2|o2|oxygen|platelets?|plts?|wbc|anc|hb|hgb|ha?emoglobin|neuts?|crp)
      | 第|床|病房|房间|房|体重|年龄|身高|剂量|(?<!打)电话|心率|脉搏|血氧|血压|呼吸|血小板|白细胞|血红蛋白|编号
      | [#$€£¥￥@×]
      | (?<![A-Z\u3400-\u9fff])\+(?=$)  # a dialling code ("+39"); "rash + 38.3", "起疹子+38.3" add a sign
    )[\s#:.=\-]*$""", re.IGNORECASE | re.VERBOSE)
_LABEL_WINDOW = 24
# The health lines 111 (UK) and 112 (EU), which are in the Fahrenheit range: "ring 111 for her".
_HEALTH_LINE = re.compile(r"(?:\b(?:call|called|calling|ring|rang|ringing|dial|dialled|dialed|phone|phoned)|打|拨)\s*$",
                          re.IGNORECASE)
_HEALTH_LINE_NUMBERS = (111.0, 112.0)
_GLUED_WORD = re.compile(r"[A-Z]+$", re.IGNORECASE)
_GLUED_OK = re.compile(r"t|temp(?:erature)?|fever", re.IGNORECASE)  # "T38.5", "temp38"

# Words just before a bare number that say it is a reading going up: "been over 38", "hit 39".
_RISING = re.compile(r"(?<![A-Z])(?:over|above|hit|hitting|reached|reaching|spiked? to|rose to|up to|running at|is at|"
                     r"was at|now at)\s*$", re.IGNORECASE)
_RISING_WINDOW = 16

# Temperatures in English words: "thirty nine point one", "thirty-eight and a half".
_EN_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_EN_WORDS = re.compile(r"""(?<![A-Z])(?P<tens>thirty|forty)(?:[\s-]+(?P<ones>one|two|three|four|five|six|seven|eight|nine))?
    (?:\s+point\s+(?P<dec>one|two|three|four|five|six|seven|eight|nine|zero|something)|\s+and\s+a\s+(?P<half>half))?
    (?![A-Z])""", re.IGNORECASE | re.VERBOSE)

# The weather or the water, not the child: "meant to hit 38 degrees in Perth", "洗澡水38度".
_NOT_THE_CHILD = re.compile(r"""
    (?<![A-Z])(?:weather|forecast|heat\s?wave|meant\s+to\s+(?:hit|be|reach|get\s+to)|bath\s?water|the\s+water
      |degrees\s+outside|outside\s+temp|room\s+temp|in\s+the\s+shade)(?![A-Z])
  | 天气|气温|室温|水温|洗澡水|预报|最高温|外面.{0,4}度|冰箱|冷藏|冷链|零下|温差|热水袋|度的(?:热|温)?水
""", re.IGNORECASE | re.VERBOSE)
_NOT_THE_CHILD_WINDOW = 30
# The ground's or the outdoors' temperature right before the number ("地面温度估计四十度"): its
# temperature word is the place's, not the child's. (Not 车里温度 nor "room temp": "孩子在车里温度又到了
# 39.2", "asleep in his room temp 38.9" are the child's.)
_PLACE_TEMPERATURE = re.compile(r"(?:地面|地表|路面|室外|户外)的?温度(?:估计|大概|差不多|足有|有|是|都)?\s*$")
_PLACE_REACH = 28
# A blood count that the number is the value of: "platelets went up to 96", "血小板升到39". Only a
# count's name joined to the number by a linking word: "ANC low, 38", "血小板没事，38.8了",
# "back up to 38.8 and with neutrophils of 0.0" are readings.
_A_COUNT = re.compile(r"(?<![A-Z])(?:platelets?|plts?|neutrophils?|anc|wbc|hb|ha?emoglobin)(?:\s+(?:count|level)s?)?"
                      r"\s*(?:(?:is|are|was|were|of|at|now|went up to|came up to|up to|down to|dropped to|rose to)\s*)?[:=]?\s*$"
                      r"|(?:血小板|白细胞|中性粒(?:细胞)?|血红蛋白)(?:计数)?(?:是|为|有|升到了?|降到了?|到了?|才|只有)?\s*[:：]?\s*$",
                      re.IGNORECASE)
# A rule named by its number: "the 38 rule", "the 38 degree rule".
_A_RULE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_RULE_AFTER = re.compile(r"\s*(?:°\s*[cf]?|degrees?)?\s*rule\b", re.IGNORECASE)

# Words that make a bare number ("fever 38.6") a temperature.
_TEMPERATURE_WORD = re.compile(r"""
    (?<![A-Z])(?:temp(?:erature)?s?|fever(?:s|ish|ed)?|febrile|thermometers?|readings?)(?![A-Z])
  | 体温|體溫|肛温|耳温|腋温|额温|口温|温度计|发烧|發燒|发热|發熱|烧|燒|温度|溫度|量了|度数|度數
""", re.IGNORECASE | re.VERBOSE)

# Chinese numerals, 30-49 only: 三十八度五, 三十九度, 三十八点五度, 四十度, and digit by digit
# before 点 or 度 for 36-42 (三八点七, 三九度): not 三八节, nor 三四度 / 四五度 ("three or four degrees").
_CN_DIGITS = "〇零一二两兩三四五六七八九"
_CN_VALUE = {ch: value for value, chars in enumerate(
    ["〇零", "一", "二两兩", "三", "四", "五", "六", "七", "八", "九"]) for ch in chars}
_CN_GOES_ON = "十百千万萬亿億多几幾来來余餘"  # the number goes on; "三十多度" (thirty-odd) is no reading
_CHINESE = re.compile(rf"""
    (?<![{_CN_DIGITS}{_CN_GOES_ON}])
    (?P<tens>[三四])(?:十(?P<ones>[一二三四五六七八九])?(?![{_CN_DIGITS}{_CN_GOES_ON}])
                     |(?P<digit>(?<=三)[六七八九]|(?<=四)[〇零一二])(?=\s*[点點度]))  # 三八点七, 四〇度
    (?:[点點](?P<dec>[{_CN_DIGITS}几幾])(?![{_CN_DIGITS}]))?
    (?P<unit>\s*度(?:(?P<tenth>[{_CN_DIGITS}])(?![{_CN_DIGITS}{_CN_GOES_ON}{_COUNT_AFTER}])
                   |(?P<half>半)(?![{_COUNT_AFTER}])|(?P<more>多|几|幾))?)?
""", re.VERBOSE)


@dataclass(frozen=True)
class Reading:
    """One reported temperature; `unit` is the scale the value was read in."""

    celsius: float      # rounded to 1 decimal
    unit: str           # "C" or "F" (as written or inferred)
    start: int          # span in the ORIGINAL text
    end: int


@dataclass(frozen=True)
class _Candidate:
    """A number written like a temperature, before context decides whether it is one."""

    value: float
    start: int
    end: int
    has_unit: bool


def find_temperatures(text: str) -> list[Reading]:
    """Every temperature the text reports, in order."""
    if not _MAYBE_NUMBER.search(text):
        return []
    text = _FULL_STOP_DECIMAL.sub(r"\1.", text.translate(_FULL_WIDTH))  # same length: spans hold
    has_word = _TEMPERATURE_WORD.search(text) is not None
    candidates = [*_arabic_candidates(text), *_chinese_candidates(text), *_english_word_candidates(text)]
    readings = (_to_reading(text, c, has_word) for c in candidates)
    return sorted((r for r in readings if r is not None and not _not_the_childs(text, r)), key=lambda r: r.start)


def _not_the_childs(text: str, reading: Reading) -> bool:
    """The number is a blood count's, a rule's or the ground's ("地面温度四十度"), or weather or water
    words are near it and no temperature word is ("his temp is 38.6 and the weather is hot" is the
    child's)."""
    if _A_COUNT.search(text, max(0, reading.start - _NOT_THE_CHILD_WINDOW), reading.start) \
            or (_A_RULE.search(text, max(0, reading.start - 5), reading.start) and _RULE_AFTER.match(text, reading.end)) \
            or _PLACE_TEMPERATURE.search(text, max(0, reading.start - _PLACE_REACH), reading.start):
        return True
    near = text[max(0, reading.start - _NOT_THE_CHILD_WINDOW):reading.end + _NOT_THE_CHILD_WINDOW]
    return _NOT_THE_CHILD.search(near) is not None and _TEMPERATURE_WORD.search(near) is None


def _first_and_last(matches: Iterator[re.Match[str]]) -> list[re.Match[str]]:
    """The first and the last MAX_NUMBERS numbers: the cost stays bounded, and a pasted log's
    latest reading, which comes last, is still read."""
    found = list(matches)
    return found if len(found) <= 2 * MAX_NUMBERS else found[:MAX_NUMBERS] + found[-MAX_NUMBERS:]


def _arabic_candidates(text: str) -> list[_Candidate]:
    """Numbers in Arabic digits, alone or as a range, with the unit written after them."""
    found = []
    for run in _first_and_last(_RUN.finditer(text)):
        parts = _split_run(run.group())
        if not parts or _labelled(text, run.start()):
            continue
        unit = _UNIT.match(text, run.end())
        if unit is None and _OTHER_UNIT.match(text, run.end()):
            continue
        for i, (value, start, end, whole) in enumerate(parts):
            start, end = run.start() + start, run.start() + end
            if unit is not None and i == len(parts) - 1:
                value, end = _with_tenth(value, whole, unit), unit.end()
            found.append(_Candidate(value, start, end, unit is not None))
    return found


def _split_run(run: str) -> list[tuple[float, int, int, bool]]:
    """(value, start, end, whole) per number in a run; empty unless it reads like 38.5 or 38-39."""
    match = _SINGLE.fullmatch(run) or _RANGE.fullmatch(run)
    if match is None:
        return []
    parts = []
    for group in range(1, match.re.groups + 1, 2):
        integer, decimal = match.group(group), match.group(group + 1)
        end = match.end(group + 1) if decimal else match.end(group)
        tenth = decimal if decimal is None or decimal.isdigit() else str(UNKNOWN_TENTH)
        parts.append((float(f"{integer}.{tenth or 0}"), match.start(group), end, not decimal))
    return parts


def _with_tenth(value: float, whole: bool, unit: re.Match[str]) -> float:
    """Apply the "38度5" / "38度半" tenth, which only makes sense after a whole number."""
    if not whole:
        return value
    if unit.group("tenth"):
        return value + int(unit.group("tenth")) / 10
    if unit.group("more"):
        return value + UNKNOWN_TENTH / 10
    return value + 0.5 if unit.group("half") else value


def chinese_degrees(text: str) -> list[tuple[int, int, float]]:
    """Temperatures in Chinese numerals said in degrees ("三十八度五"), as (start, end, °C): the
    content check reads articles with it."""
    return [(c.start, c.end, c.value) for c in _chinese_candidates(text) if c.has_unit]


def _chinese_candidates(text: str) -> list[_Candidate]:
    """Numbers in Chinese numerals: 三十八度五, 三十八点五度, 四十度, 三八点七."""
    found = []
    for match in _first_and_last(_CHINESE.finditer(text)):
        ones = match.group("ones") or match.group("digit")
        value = float(_CN_VALUE[match.group("tens")] * 10 + _CN_VALUE.get(ones, 0))
        tenth = match.group("dec") or match.group("tenth")
        if match.group("more") or tenth in ("几", "幾"):
            value += UNKNOWN_TENTH / 10
        else:
            value += _CN_VALUE[tenth] / 10 if tenth else 0.5 if match.group("half") else 0
        if not _in(value, CELSIUS_RANGE) or _labelled(text, match.start()):
            continue
        has_unit = match.group("unit") is not None
        if not has_unit and _OTHER_UNIT.match(text, match.end()):
            continue
        found.append(_Candidate(value, match.start(), match.end(), has_unit))
    return found


def _english_word_candidates(text: str) -> list[_Candidate]:
    """Numbers in English words; a reading only with a decimal or a half ("thirty nine point
    one"), or where the text says it is a temperature."""
    found = []
    for match in _first_and_last(_EN_WORDS.finditer(text)):
        value = (30 if match.group("tens").lower() == "thirty" else 40) + _EN_ONES.get((match.group("ones") or "").lower(), 0)
        dec = (match.group("dec") or "").lower()
        value += 0.5 if match.group("half") else UNKNOWN_TENTH / 10 if dec == "something" else \
            _EN_ONES.get(dec, 0) / 10
        found.append(_Candidate(value, match.start(), match.end(), bool(dec or match.group("half"))))
    return found


def _labelled(text: str, start: int) -> bool:
    """True if the number is an index or another measurement ("bed 38", "HR98", "¥38")."""
    window = max(0, start - _LABEL_WINDOW)
    if _LABEL_BEFORE.search(text, window, start):
        return True
    glued = _GLUED_WORD.search(text, window, start)
    return glued is not None and not _GLUED_OK.fullmatch(glued.group())


def _to_reading(text: str, candidate: _Candidate, has_word: bool) -> Reading | None:
    """The reading, if the value is a body temperature and the text says it is one."""
    if candidate.value in _HEALTH_LINE_NUMBERS and _HEALTH_LINE.search(text, max(0, candidate.start - 12), candidate.start):
        return None
    rising = _RISING.search(text, max(0, candidate.start - _RISING_WINDOW), candidate.start) is not None
    if not (candidate.has_unit or has_word or rising or _alone(text, candidate) or _body_decimal(text, candidate)):
        return None
    value = candidate.value
    if _in(value, CELSIUS_RANGE):
        return Reading(round(value, 1), "C", candidate.start, candidate.end)
    if _in(value, FAHRENHEIT_RANGE):
        return Reading(round((value - 32) * 5 / 9, 1), "F", candidate.start, candidate.end)
    return None


# A blood count told in words, then a bare number: the count's value is said, so the number is
# the temperature ("ANC low, 38"; not "Platelets today: 40", which is the count's value).
_COUNT_TOLD = re.compile(r"^\W*(?:anc|wbc|plts?|platelets|neuts?|neutrophils|hb|counts?|白细胞|血小板|中性粒细胞?)\s*"
                         r"(?:is\s+|are\s+)?(?:low|high|ok|okay|fine|normal|zero|good|偏低|低|高|正常|没事)\s*[,:;，：]\s*$",
                         re.IGNORECASE)


def _alone(text: str, candidate: _Candidate) -> bool:
    """A message that is just the number ("38.6", "101.2!"), or that only tells a blood count in
    words before it ("ANC low, 38"), answers "what is the temperature?"."""
    before, after = text[:candidate.start], text[candidate.end:]
    if any(ch.isalnum() for ch in after):
        return False
    return not any(ch.isalnum() for ch in before) or _COUNT_TOLD.match(before) is not None


# "100.8 what do i do": a Fahrenheit body temperature written with one decimal (a price has two).
_ONE_DECIMAL_FAHRENHEIT = re.compile(r"(?:99|10[0-7])\.\d")
# (Weights, doses, lengths and 元 are _OTHER_UNIT's already: such a number is no candidate at all.)
_OTHER_AMOUNT_AFTER = re.compile(r"\s*(?:(?:dollars?|euros?|bucks|quid|yuan|rmb|miles?|points?|pts|fm|a litre|per litre|a liter"
                                 r"|a gallon|on the dial|on the radio)\b|美元|英镑)", re.IGNORECASE)
# (A temperature word anywhere, or _RISING's "hit" / "up to" before it, already makes it a reading.)
_FAHRENHEIT_LEAD = re.compile(r"^\W*$|\b(?:he|she|hes|shes|he's|she's|is|it's|its|clocked|hits|reads|read|showed|shows|says|now|at"
                              r"|back to)\s+$|(?:孩子|他|她)\s*$", re.IGNORECASE)
_HOW_TAKEN_AFTER = re.compile(r"\s*(?:by mouth|orally|oral|under (?:the|her|his) (?:arm|tongue)|in (?:the|her|his) ear"
                              r"|on (?:the|her|his) forehead|axillary)", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"\b(?:cost|costs|price|paid|pay|bill|total|fee|fare|charge|gas|petrol|diesel|station|channel|"
                           r"radio|dial|frequency)\b[^.!?]{0,12}$|价|费|花了|付了",
                           re.IGNORECASE)


def _body_decimal(text: str, candidate: _Candidate) -> bool:
    """"she's 39.1 now", "娃三八点七", "100.8 what do i do": a decimal between 35 and 43, or a
    Fahrenheit one like 100.8, is a temperature in this setting
    (weights and doses carry their unit, which rules them out before this point)."""
    written = text[candidate.start:candidate.end]
    decimal = any(mark in written.lower() for mark in (".", ",", "point", "点", "點"))
    return decimal and (35.0 <= candidate.value < 43.0 or _fahrenheit_decimal(text, candidate, written))


def _fahrenheit_decimal(text: str, candidate: _Candidate, written: str) -> bool:
    """Told as a reading ("100.8 what do i do", "she's 101.3 now", "just clocked 102.2", "101.3 by
    mouth"), not money or another measure ("a taxi was 100.8", "tune to 101.5", "scored 102.5")."""
    before = text[:candidate.start]
    return (_ONE_DECIMAL_FAHRENHEIT.fullmatch(written) is not None
            and (_FAHRENHEIT_LEAD.search(before) is not None or _HOW_TAKEN_AFTER.match(text, candidate.end) is not None)
            and not _OTHER_AMOUNT_AFTER.match(text, candidate.end) and not _MONEY_BEFORE.search(before[-20:]))


def _in(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]
