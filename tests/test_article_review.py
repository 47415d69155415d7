"""What the clinical and bilingual review (issue 16) asked of single articles, in both languages:
safety steps a rule in `carebot content check` cannot see. A later edit that drops one fails here."""
from __future__ import annotations

import pytest

from bot.content.articles import load_article
from tests.stack import ROOT

ARTICLES = ROOT / "content" / "articles"


def answer(article_id: str, lang: str) -> str:
    return load_article(ARTICLES / f"{article_id}.yml")[lang]["answer"]


@pytest.mark.parametrize("article_id,lang,says", [
    # A cut line: stop the flow on the child's side of the damage; never push a line back in.
    ("line_disconnect_leak", "en", ["between the damage and your child", "never push it back in", "Tape it"]),
    ("line_disconnect_leak", "zh", ["在破损处和孩子之间", "绝不要推回去", "胶布固定"]),
    # Every alarm by its screen words, in both languages; how long it was stopped; the 4-hour rule.
    ("pump_alarm", "en", ["Low battery", "Occlusion", "Air in line", "Reservoir empty", "how long the pump",
                          "4 hours"]),
    ("pump_alarm", "zh", ["电量低", "堵塞", "气泡", "药袋空", "Occlusion", "Air in line", "Reservoir empty",
                          "停了多久", "4小时"]),
    # After a battery change, how to see that it runs; a stopped pump: say for how long.
    ("pump_battery", "en", ["check that the pump is running again", "how long the pump was stopped", "4 hours"]),
    ("pump_battery", "zh", ["有没有重新运行", "泵停了多久", "4小时"]),
    # The 2 a.m. overview.
    ("when_to_call", "en", ["under 36.0 °C", "fast breathing", "pale, cold and clammy", "bleeding that will not stop",
                            "slipped out", "cut tube", "flushed", "Two or more of these on the same day: call now",
                            "new bruises", "starts suddenly"]),
    ("when_to_call", "zh", ["低于 36.0 °C", "呼吸很快", "苍白、发凉、湿冷", "出血止不住", "导管滑出来", "被剪破",
                            "冲洗过", "两种或以上，要马上打电话", "瘀青", "突然头痛"]),
])
def test_the_safety_steps_the_review_asked_for_are_in_the_answer(article_id, lang, says):
    text = answer(article_id, lang)
    assert [phrase for phrase in says if phrase not in text] == []


@pytest.mark.parametrize("lang,baby,older", [("en", "For a baby", "For an older child"), ("zh", "小宝宝", "大一点的孩子")])
def test_a_babys_safe_sleep_comes_before_any_pillow_for_older_children(lang, baby, older):
    text = answer("sleeping_with_pump", lang)
    first = text.split("\n\n")[0]
    assert baby in first and older in text
    for rule in (["no pillow", "outside the cot", "away from the neck"] if lang == "en"
                 else ["不放枕头", "婴儿床外面", "远离脖子"]):
        assert rule in first


@pytest.mark.parametrize("lang,bruises,same_day", [("en", "new bruises", "Call the same day"),
                                                   ("zh", "新的淤青", "请当天打电话")])
def test_new_bruises_in_the_break_are_a_call_now_as_everywhere_else(lang, bruises, same_day):
    text = answer("treatment_break", lang)
    assert text.index(bruises) < text.index(same_day)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_night_the_bag_change_answer_gives_the_24_hour_number_first(lang):
    text = answer("bag_change", lang)
    assert text.index("{{ clinic.phone_24h }}") < text.index("{{ clinic.phone_day }}") < 200
