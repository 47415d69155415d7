"""Temperature parsing (bot.redflags.temperature): what a parent reports, and what only looks like it."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.redflags.temperature import Reading, find_temperatures

# No example database: the suite must not write a .hypothesis directory into the repository.
PROPERTY = settings(database=None, max_examples=300, deadline=None)


def readings(text: str) -> list[tuple[float, str]]:
    return [(r.celsius, r.unit) for r in find_temperatures(text)]


@pytest.mark.parametrize("text,expected", [
    # English, each unit
    ("his temp is 38.5", [(38.5, "C")]),
    ("38.5C", [(38.5, "C")]),
    ("38.5 c", [(38.5, "C")]),
    ("38.5°C", [(38.5, "C")]),
    ("38.5° C", [(38.5, "C")]),
    ("38.5 ° C this morning", [(38.5, "C")]),
    ("it was 38.5 ℃", [(38.5, "C")]),
    ("101.3F", [(38.5, "F")]),
    ("101.3 f", [(38.5, "F")]),
    ("101.3°F", [(38.5, "F")]),
    ("101.3℉", [(38.5, "F")]),
    ("38.5 degrees", [(38.5, "C")]),
    ("38 degree", [(38.0, "C")]),
    ("38.5 deg", [(38.5, "C")]),
    ("101 degrees", [(38.3, "F")]),
    ("38 Celsius", [(38.0, "C")]),
    # the F/C edge and the 38.0 threshold
    ("100.3F", [(37.9, "F")]),
    ("100.4F", [(38.0, "F")]),
    ("37.9", [(37.9, "C")]),
    ("38.0", [(38.0, "C")]),
    # a bare number is a reading when the message is nothing else, or talks about temperature
    ("38.6", [(38.6, "C")]),
    ("101.2", [(38.4, "F")]),
    ("38.6!", [(38.6, "C")]),
    ("38.", [(38.0, "C")]),
    ("temperature 38.", [(38.0, "C")]),
    ("fever 102", [(38.9, "F")]),
    ("thermometer says 39.2", [(39.2, "C")]),
    ("feverish, 38.7 last night", [(38.7, "C")]),
    ("reading was 99.5", [(37.5, "F")]),
    ("she is febrile at 38.3", [(38.3, "C")]),
    ("Temps: 38.5 this morning, 39.1 now", [(38.5, "C"), (39.1, "C")]),
    ("fever 38-39", [(38.0, "C"), (39.0, "C")]),
    # a unit letter that contradicts the range is overruled by the range
    ("101C", [(38.3, "F")]),
    ("38F", [(38.0, "C")]),
    # comma decimals and full-width forms
    ("38,5 °C", [(38.5, "C")]),
    ("fever 38,5", [(38.5, "C")]),
    ("３８．５", [(38.5, "C")]),
    ("体温３８．５度", [(38.5, "C")]),
    ("体温38．5度", [(38.5, "C")]),
    ("１０１．３Ｆ", [(38.5, "F")]),
    # Chinese with Arabic digits
    ("体温38.5", [(38.5, "C")]),
    ("发烧39度", [(39.0, "C")]),
    ("38度5", [(38.5, "C")]),
    ("39度2", [(39.2, "C")]),
    ("38度半", [(38.5, "C")]),
    ("烧到38度", [(38.0, "C")]),
    ("量了一下38.2", [(38.2, "C")]),
    ("发热38.6，吃了退烧药", [(38.6, "C")]),
    ("38点5度", [(38.5, "C")]),
    ("温度102度", [(38.9, "F")]),
    ("38~39度", [(38.0, "C"), (39.0, "C")]),
    ("38度5天了", [(38.0, "C")]),
    # Chinese numerals
    ("三十八度五", [(38.5, "C")]),
    ("三十九度", [(39.0, "C")]),
    ("三十七度八", [(37.8, "C")]),
    ("四十度", [(40.0, "C")]),
    ("三十八点五度", [(38.5, "C")]),
    ("三十八度", [(38.0, "C")]),
    ("烧到三十九度二", [(39.2, "C")]),
    ("体温三十八点零度", [(38.0, "C")]),
    ("体温三十八点〇", [(38.0, "C")]),
    ("三十八度两", [(38.2, "C")]),
    # said digit by digit, 36-42, before 点 or 度 (not 三八节, the hours 三五点, "3 or 4 degrees")
    ("体温三八点七", [(38.7, "C")]),
    ("三九度 怎么办", [(39.0, "C")]),
    ("烧到三九点二了", [(39.2, "C")]),
    ("三八节快乐", []),
    ("耳温38。7", [(38.7, "C")]),   # a Chinese full stop for the decimal point
    ("他38。今年7岁", []),
    ("下午三五点的时候他哭了", []),
    ("今天只有四五度，冷死了", []),
    ("车里才三四度", []),
    ("三九度的水给孩子洗澡可以吗", []),
    ("她现在三九点二了怎么办", [(39.2, "C")]),   # a decimal, as "she's 39.2 now"
    ("我家闺女肛温三八点八", [(38.8, "C")]),
    ("这个月35.9万", []),                      # ten-thousands (of yuan), not degrees
    ("这个月三十五点几万", []),
    ("孩子烧到38.5万一抽筋怎么办", [(38.5, "C")]),  # 万一: "what if", not ten-thousands
    ("奶粉用40度的水冲", []),
    ("四零度", [(40.0, "C")]),
    # not temperatures: ages, weights, doses, counts, durations, labels, dates, times, phones
    ("38 kg", []),
    ("he is 38 kg and has a fever", []),
    ("fever, he is 38 months old", []),
    ("38岁", []),
    ("发烧，38岁", []),
    ("体重38公斤，发烧", []),
    ("三十八岁", []),
    ("体重三十八公斤", []),
    ("fever since day 38", []),
    ("temp check, 38 ml left in the bag", []),
    ("fever, gave 38 mg", []),
    ("fever for 38 minutes", []),
    ("fever 38 hours", []),
    ("fever started 2026-11-25", []),
    ("fever at 8:38", []),
    ("8点38发烧", []),
    ("room 38 fever", []),
    ("bed 38, temp check", []),
    ("fever on cycle 38", []),
    ("fever, bag 38", []),
    ("第38天发烧", []),
    ("call 13838383838 if fever", []),
    ("fever, sats 98", []),
    ("HR98 fever", []),
    ("烧到三十多度", []),
    ("一百三十八度", []),
    # bare numbers without any temperature talk, and values outside both ranges
    ("I have 38 questions", []),
    ("we used 38 of them", []),
    # A decimal between 35 and 43 reads as a temperature even without a word: over-triage
    # is acceptable, a missed "she is 39.1 now" is not.
    ("she is 39.1 now", [(39.1, "C")]),
    # "+" joins two signs; only glued to a number after a space is it a dialling code
    ("rash + 38.3", [(38.3, "C")]),
    ("起疹子+38.3", [(38.3, "C")]),
    ("call +39 06 1234 5678", []),
    ("fever 138", []),
    ("temp 50", []),
    ("temp 120F", []),
    ("fever 29.9", []),
    ("9°C outside", []),
    # A blood count's value is no reading; a number after a count's name that is not its value,
    # or before one, is. The number of "the 38 rule" is no reading either.
    ("No gum bleeding since platelets went up to 96", []),
    ("血小板升到39以后就没再出过血", []),
    ("plt low, temp 38.5", [(38.5, "C")]),
    ("back up to 38.8 and with neutrophils of 0.0", [(38.8, "C")]),
    ("ours only gave us the 38 rule", []),
    ("", []),
    ("hello", []),
])
def test_find_temperatures(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize("text,span", [
    ("Temp: 38.5 °C now", "38.5 °C"),
    ("体温３８．５度", "３８．５度"),
    ("烧到三十八度五了", "三十八度五"),
    ("his temp is 38,5", "38,5"),
    ("39度2吗", "39度2"),
])
def test_spans_point_into_the_original_text(text, span):
    (reading,) = find_temperatures(text)
    assert text[reading.start:reading.end] == span


def test_readings_come_in_text_order():
    found = find_temperatures("体温三十九度, then 38.2C, now 37.9°C")
    assert [r.celsius for r in found] == [39.0, 38.2, 37.9]
    assert [r.start for r in found] == sorted(r.start for r in found)


def test_reading_is_frozen():
    reading = Reading(38.5, "C", 0, 4)
    with pytest.raises(AttributeError):
        reading.celsius = 39.0  # type: ignore[misc]


tenths = st.integers(min_value=350, max_value=420)


@PROPERTY
@given(tenths, st.sampled_from(["体温{v}度", "temp {v}C", "{v} °C", "体温{i},{d}度",
                                "temp {i},{d}C", "{i},{d} °C", "{i},{d}", "{i}度{d}"]))
def test_celsius_is_read_back_exactly(tenth, template):
    value = tenth / 10
    text = template.format(v=value, i=tenth // 10, d=tenth % 10)
    assert [(r.celsius, r.unit) for r in find_temperatures(text)] == [(value, "C")]


@PROPERTY
@given(st.integers(min_value=950, max_value=1070))
def test_fahrenheit_is_converted(tenth):
    value = tenth / 10
    assert [(r.celsius, r.unit) for r in find_temperatures(f"{value}F")] == [
        (round((value - 32) * 5 / 9, 1), "F")]


@PROPERTY
@given(st.text())
def test_never_raises_and_stays_in_range(text):
    for reading in find_temperatures(text):
        assert 30.0 <= reading.celsius <= 45.0
        assert reading.unit in ("C", "F")
        assert 0 <= reading.start < reading.end <= len(text)


@PROPERTY
@given(st.text(alphabet="0123456789.,度°CF体温烧 feverkgmonths岁", max_size=30))
def test_never_raises_on_number_like_text(text):
    for reading in find_temperatures(text):
        assert 30.0 <= reading.celsius <= 45.0


@PROPERTY
@given(st.integers(min_value=0, max_value=1200), st.booleans(), st.sampled_from(["", " "]),
       st.sampled_from(["kg", "months", "岁"]), st.sampled_from(["", "fever ", "体温", "temp "]))
def test_weights_ages_are_never_readings(tenth, decimal, gap, unit, prefix):
    number = f"{tenth / 10}" if decimal else f"{tenth}"
    assert find_temperatures(f"{prefix}{number}{gap}{unit}") == []


@pytest.mark.parametrize("text,celsius", [("ANC low, 38", 38.0), ("血小板偏低，38", 38.0), ("Platelets today: 40", None),
                                          ("Parking cost today: 39", None), ("Bus to clinic, 38", None), ("床号，38", None)])
def test_a_number_after_a_blood_count_told_in_words_is_a_reading(text, celsius):
    """"ANC low, 38" was caught only while the second opinion happened to ask about it. A first
    rule (any few words, a comma, a number) made prices, buses and bed numbers fevers."""
    readings = find_temperatures(text)
    assert (readings[0].celsius if readings else None) == celsius


@pytest.mark.parametrize("text,found", [("100.8 what do i do", True), ("she's 101.3 now", True), ("temp is 100.9", True),
                                        ("tune to 101.5 for the hospital radio", False), ("the taxi was 100.8 each way", False),
                                        ("he scored 102.5 on the game", False), ("I'm listening to 102.7 FM", False)])
def test_a_one_decimal_fahrenheit_reading_needs_the_child_or_nothing_before_it(text, found):
    """A first rule read radio stations, scores and fares as fevers (a second reader's finding)."""
    assert bool(find_temperatures(text)) is found, text


@pytest.mark.parametrize("text", ["just clocked 102.2 on her!!", "Little man is 100.8 on the forehead scanner",
                                  "Tonight he felt warm: 101.3 by mouth"])
def test_a_fahrenheit_reading_told_as_one_is_found(text):
    """The first narrowing (only after "he"/"she" or opening the message) lost these three."""
    assert find_temperatures(text), text


@pytest.mark.parametrize("text", ["Our favourite station is 101.5, she sings along", "Gas is 104.9 a litre here",
                                  "The channel is 102.1 on the dial", "Now 104.3 on the radio, his favourite song"])
def test_radio_stations_and_prices_are_no_fahrenheit_readings(text):
    assert not find_temperatures(text), text
