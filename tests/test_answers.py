"""Rendering articles with each clinic's settings, in each language."""
from __future__ import annotations

import re

import pytest
import yaml
from bot.answers import PlaceholderError, render_answer
from bot.clinics import DEMO_CLINIC_FILE, ClinicError, validate_clinic
from bot.content.articles import load_articles
from tests.stack import ROOT

DEMO = validate_clinic(yaml.safe_load(DEMO_CLINIC_FILE.read_text(encoding="utf-8")))


@pytest.mark.parametrize("article", load_articles(ROOT / "content" / "articles"), ids=lambda a: a["id"])
def test_every_article_renders_in_both_languages(article):
    for lang in ("en", "zh"):
        text = render_answer(article, lang, DEMO)
        assert text and "{{" not in text and "{%" not in text


def test_clinic_settings_fill_the_answer_in_the_reply_language():
    article = {"en": {"answer": "Call {{ clinic.name }} on {{ clinic.phone_24h }}."},
               "zh": {"answer": "请打{{ clinic.name }}电话{{ clinic.phone_24h }}。"}}
    other = {**DEMO, "name": {"en": "St Elsewhere", "zh": "圣别处医院"}, "phone_24h": "+44 20 0000 0000"}
    assert render_answer(article, "en", other) == "Call St Elsewhere on +44 20 0000 0000."
    assert render_answer(article, "zh", other) == "请打圣别处医院电话+44 20 0000 0000。"


def test_the_fever_articles_give_the_clinics_own_threshold_in_both_scales():
    """The detector escalates from the clinic's `fever_threshold_c`; the articles say the same."""
    articles = {a["id"]: a for a in load_articles(ROOT / "content" / "articles")}
    clinic = {**DEMO, "fever_threshold_c": 38.5}
    for topic in ("fever", "fever_medicine", "blood_counts", "when_to_call"):
        assert "38.5 °C (101.3 °F)" in render_answer(articles[topic], "en", clinic), topic
        assert "38.5 °C（101.3 °F）" in render_answer(articles[topic], "zh", clinic), topic
        assert "38.0" not in render_answer(articles[topic], "en", clinic), topic


def test_a_setting_the_clinic_lacks_is_an_error_not_a_blank():
    with pytest.raises(PlaceholderError, match="no fax"):
        render_answer({"en": {"answer": "Fax {{ clinic.fax }}"}}, "en", DEMO)


@pytest.mark.parametrize("answer", ["{{ 9**(9**7) % 1000 }}", "{% for x in range(10**6) %}x{% endfor %}",
                                    "{{ clinic.phone_24h.__class__ }}", "{{ clinic.phone_24h|upper }}", "{# hidden #}"])
def test_template_code_is_never_evaluated(answer):
    with pytest.raises(PlaceholderError, match="no other template code"):
        render_answer({"en": {"answer": answer}}, "en", DEMO)


@pytest.mark.parametrize("change,message", [
    ({"phone_24h": "call us"}, "24-hour number must be a phone number"),
    ({"name": {"en": "Only English"}}, "Clinic name must be given in English and in Chinese"),
    ({"fever_threshold_c": 40}, "fever_threshold_c"),
    ({"allowed_origins": ["javascript:alert(1)"]}, "allowed_origins"),
    ({"theme": {"primary": "red;}</style><script>"}}, "a colour is written #rrggbb"),
    ({"costs_help": {"en": "Ask our billing office."}}, r"What you tell families about costs must be given in English and in Chinese, or left empty in both. \(costs_help\)"),
    ({"costs_help": {"en": {"Insurance": "ask billing"}, "zh": "问社工"}}, "What you tell families about costs must be given"),
    ({"costs_help": {"en": "Call\u202e1110 555 1+", "zh": "问社工"}}, "control characters"),
    ({"costs_help": {"en": "x" * 2001, "zh": "问社工"}}, "at most 2000 characters"),
    ({"costs_help": {"en": "Ask\x1b[31m billing", "zh": "问社工"}}, "control characters"),
    ({"costs_help": {"en": "Insurance: [which plans the hospital works with]", "zh": "医保：问社工"}}, "still has \\[bracketed\\] parts"),
])
def test_clinic_settings_are_validated(change, message):
    with pytest.raises(ClinicError, match=message) as error:
        validate_clinic({**DEMO, **change})
    assert re.search(r"[\u4e00-\u9fff]{4}", error.value.in_language("zh"))  # an admin reading Chinese
