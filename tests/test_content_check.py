"""`carebot content check`: clinical terms are explained in plain words where first used."""
from __future__ import annotations

import os
import shutil

import pytest

from bot.content.check import hard_coded_thresholds, parity_problems, wording_problems
from bot.content.glossary import load_glossary, unexplained
from tests.stack import ROOT, carebot

ARTICLES = ROOT / "content" / "articles"
GLOSSARY = load_glossary(ROOT / "content" / "glossary.yml")


def terms(answer: str, lang: str) -> list[str]:
    return [term for term, _ in unexplained(answer, lang, GLOSSARY)]


def test_an_unexplained_term_is_caught_and_an_explained_one_passes():
    assert terms("Call the team if you see signs of CRS.", "en") == ["CRS"]
    assert terms("Call the team if you see signs of CRS, a strong reaction to the medicine.", "en") == []
    assert terms("血小板低时，不要打闹。", "zh") == ["血小板"]
    assert terms("血小板（帮助止血的血细胞）低时，不要打闹。", "zh") == []
    assert terms("Platelets help stop bleeding.", "en") == []


def test_only_the_first_use_needs_the_explanation():
    explained_first = "Platelets help stop bleeding. With low platelets, avoid contact sports."
    explained_later = "With low platelets, avoid contact sports. Platelets help stop bleeding."
    assert terms(explained_first, "en") == []
    assert terms(explained_later, "en") == ["platelets"]
    assert terms("孩子可能要先用激素药。激素能让免疫反应轻一些。", "zh") == ["激素"]


def test_abbreviations_and_words_match_only_as_terms():
    assert terms("Do not let pets bite. Extra support is there. Take your passport.", "en") == []
    assert terms("The BiTE is new.", "en") == ["BiTE"]
    assert terms("Ask about the port.", "en") == ["port"]


def test_an_explain_word_inside_the_term_is_refused(tmp_path):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text("terms:\n- id: half_life\n  en: {forms: [half-life], explain: [half]}\n")
    with pytest.raises(ValueError, match="part of the term"):
        load_glossary(glossary)


def test_the_check_command_reports_an_unexplained_term(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    path = folder / "rash_skin.yml"
    text = path.read_text(encoding="utf-8")
    assert "血小板（帮助止血的血细胞）低" in text
    path.write_text(text.replace("血小板（帮助止血的血细胞）低", "血小板低"), encoding="utf-8")
    env = {**os.environ, "CAREBOT_DB": str(tmp_path / "carebot.db")}
    result = carebot(env, "content", "check", "--folder", str(folder), check=False)
    assert result.returncode == 1
    assert "rash_skin" in result.stdout and "clinical term '血小板' is not explained" in result.stdout


def test_every_glossary_term_is_explained_in_the_shipped_answers():
    from bot.content.articles import load_article

    for path in ARTICLES.glob("*.yml"):
        article = load_article(path)
        for lang in ("en", "zh"):
            assert unexplained(article[lang]["answer"], lang, GLOSSARY) == [], (path.name, lang)


def test_the_check_refuses_first_aid_that_names_an_undeclared_position(tmp_path):
    from bot.content.check import check_lexicon
    from bot.settings import ROOT

    shipped = ROOT / "content" / "redflags.yml"
    assert check_lexicon(shipped) == []
    text = shipped.read_text(encoding="utf-8").replace("Keep them calm and loosen tight clothes.",
                                                      "Keep them calm and lay them on their side.")
    (tmp_path / "redflags.yml").write_text(text, encoding="utf-8")
    problems = check_lexicon(tmp_path / "redflags.yml")
    assert [p.level for p in problems] == ["error"] and "breathing.advice.en advises the position 'side'" in problems[0].message


def test_a_fever_threshold_written_into_an_article_is_caught():
    assert hard_coded_thresholds("Call for a fever of 38.0 °C (100.4 °F) or more.") == ["38.0 °C", "100.4 °F"]
    assert hard_coded_thresholds("体温达到38度5或38℃以上") == ["38度", "38℃"]
    assert hard_coded_thresholds("Call for {{ clinic.fever_threshold }} or more, or under 36.0 °C.") == []


@pytest.mark.parametrize("text", ["over 38C", "38 degrees or more", "38摄氏度", "100.4F", "over 101 F", "三十八度",
                                  "三十八点五度", "38°", "38 ºC", "38.0 celsius", "体温38", "发烧到38以上",
                                  "a fever of 38 or more"])
def test_a_threshold_in_any_common_spelling_is_caught(text):
    assert hard_coded_thresholds(text)


@pytest.mark.parametrize("text", ["keep it 30 cm away", "12 C batteries", "under 36.0 °C", "四十分钟",
                                  "a fever for 48 hours", "a temperature of {{ clinic.fever_threshold }}",
                                  "boil it at 100 °C", "用100度的开水烫奶瓶", "with a fever, give 100 ml",
                                  "体温计放38秒", "fevers in 39 of 40 children"])
def test_other_numbers_are_not_thresholds(text):
    assert hard_coded_thresholds(text) == []


def test_the_languages_must_give_the_same_settings_steps_and_temperatures():
    def article(en: str, zh: str) -> dict:
        return {"en": {"answer": en}, "zh": {"answer": zh}}

    assert parity_problems(article("- Call {{ clinic.phone_24h }}\n- Wait", "- 打{{ clinic.phone_24h }}\n- 等")) == []
    assert "different clinic settings" in parity_problems(article("Call {{ clinic.phone_24h }}.", "请打电话。"))[0]
    assert "different numbers of items" in parity_problems(article("- one\n- two", "- 一"))[0]
    assert "different temperatures" in parity_problems(article("under 36.0 °C", "低于35.5 °C"))[0]
    assert "different quantities" in parity_problems(article("off for 4 hours or more", "停了2小时以上"))[0]
    assert parity_problems(article("pinch for 10 more minutes; a 14-day break", "再捏10分钟；停药14天")) == []
    assert "different numbers:" in parity_problems(article("Give 2 puffs, then 2 more.", "先喷2下，再喷一下。"))[-1]
    assert parity_problems(article("about 1 cell in 10,000", "大约1万个细胞里有1个")) == []


@pytest.mark.parametrize("title,answer,problem", [
    ("双抗的副作用", "贝林妥欧单抗（倍利妥）会引起发烧。", "'双抗' in the title"),
    ("副作用", "双抗会引起发烧。贝林妥欧单抗（倍利妥）……", "first named '双抗'"),
    ("副作用", "贝林妥欧单抗会引起发烧。", "first named '贝林妥欧单抗'"),
    ("抽搐", "如果抽搐（抽筋），马上打电话。", "抽搐 is not 抽筋"),
    ("联系", "请联系团队。", "团队 alone"),
    ("联系", "这个团队会帮您。", "团队 alone"),
    ("溢出", "准备好泄漏处理包。", "溢出包"),
])
def test_chinese_the_review_ruled_out_is_caught(title, answer, problem):
    article = {"zh": {"title": title, "answer": answer}}
    assert any(problem in found for found in wording_problems(article))


def test_chinese_as_the_review_asked_passes():
    article = {"zh": {"title": "贝林妥欧单抗的副作用",
                      "answer": "贝林妥欧单抗（倍利妥）有时会引起抽搐（全身一抽一抽、叫不应），请联系医护团队。家长常叫它双抗。"}}
    assert wording_problems(article) == []


def test_the_check_command_reports_a_hard_coded_threshold(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    path = folder / "when_to_call.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ clinic.fever_threshold }}", "38.0 °C", 1), encoding="utf-8")
    env = {**os.environ, "CAREBOT_DB": str(tmp_path / "carebot.db")}
    result = carebot(env, "content", "check", "--folder", str(folder), check=False)
    assert result.returncode == 1
    assert "when_to_call" in result.stdout and "'38.0 °C' looks like a fever threshold" in result.stdout
