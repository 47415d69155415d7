"""`carebot content check`: problems a nurse should fix before families see an article."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from bot import clock
from bot.answers import PLACEHOLDER, placeholder_problems
from bot.content.articles import ArticleError, load_article
from bot.content.glossary import Term, load_glossary, unexplained
from bot.content.readability import chinese_sentence_length, english_grade
from bot.i18n import translate
from bot.redflags.temperature import FAHRENHEIT_RANGE, chinese_degrees
from bot.settings import LANGUAGES, load_settings

# The articles that must always exist (shared/content/topics.md); clinics may add more.
REQUIRED_TOPICS = (
    "blinatumomab_basics", "why_continuous_infusion", "hospital_stay", "dosing",
    "premedication_steroids", "treatment_response_mrd", "after_treatment",
    "pump_basics", "pump_alarm", "pump_stopped", "bag_change", "do_not_flush",
    "line_disconnect_leak", "pump_battery", "bathing_showering", "sleeping_with_pump",
    "school_play_activity", "travel", "central_line_care",
    "crs", "neurotoxicity", "fever", "infection_prevention", "common_side_effects",
    "nausea_vomiting", "headache", "rash_skin", "swelling_weight_gain", "fatigue",
    "appetite_diet", "stomach_pain_pancreatitis", "tumor_lysis", "blood_counts",
    "long_term_effects",
    "other_medicines", "fever_medicine", "vaccines", "home_hygiene_pets", "emotional_support",
    "when_to_call", "contact_care_team", "teen_patients",
)
MIN_QUESTIONS = 15
MAX_ENGLISH_GRADE = 6.0          # US school grade (Flesch-Kincaid)
MAX_CHINESE_SENTENCE = 25.0      # average characters per sentence
PHONE_LIKE = re.compile(r"(?<![\d.])\+?\d[\d ()-]{5,}\d(?!\d|[.,]\d)")
# A temperature in an article's text ("38.0 °C", "100.4 °F", "38度"): one in the range a clinic may
# choose as its fever threshold must be the clinic's setting, `{{ clinic.fever_threshold }}`.
TEMPERATURE = re.compile(r"(?<![\d.])(\d{2,3}(?:[.,]\d+)?)\s*([°º]\s*[CF]?|℃|℉|摄氏度|华氏度|度"
                         r"|(?:degrees?\s+)?(?:celsius|centigrade|fahrenheit)|degrees?(?:\s+[CF])?|[CF])(?![A-Za-z])",
                         re.IGNORECASE)
# A bare number right after a temperature word: "a fever of 38", "体温38", "烧到38以上".
NAMED_TEMPERATURE = re.compile(r"(?:\btemp(?:erature)?s?|\bfevers?|体温|发烧|发热|烧到)\D{0,8}?(?<![\d.])(\d{2,3}(?:[.,]\d)?)"
                               r"(?![\d.])(?!\s*(?:of\b|ml|mg|kg|g\b|秒|分|小时|天|次|个|毫|克|days?|hours?|minutes?|seconds?|"
                               r"times|children|kids|patients|people|%))", re.IGNORECASE)
THRESHOLD_RANGE = {"C": (37.5, 39.0), "F": (99.5, 102.2)}
# A quantity with a unit: the two languages must give the same ones ("4 hours" is not "2小时").
# Ranges count by their first number ("10 to 15 minutes", "10-15分钟").
UNITS = {"hour": r"hours?|hrs?|个小时|小时|个钟头|钟头", "minute": r"minutes?|mins?|分钟", "day": r"days?|天",
         "week": r"weeks?|个星期|星期|周", "month": r"months?|个月", "kg": r"kg|公斤|千克", "mg": r"mg|毫克",
         "ml": r"ml|毫升", "cm": r"cm|厘米", "percent": r"%|percent"}
QUANTITY = re.compile(r"(?<![\d.第])(\d+(?:\.\d+)?)\s*(?:(?:-|–|to|到|至)\s*\d+(?:\.\d+)?)?[\s-]*(?:more\s+|extra\s+)?(?:"
                      + "|".join(f"(?P<{unit}>{words})" for unit, words in UNITS.items()) + r")(?![A-Za-z])", re.IGNORECASE)
# Chinese the clinical and bilingual review ruled out, with what to write instead.
AVOID_ZH = {
    re.compile(r"抽搐[（(、，,]?[^）)。]{0,6}抽筋"): "抽搐 is not 抽筋 (a cramp): describe it, 全身一抽一抽、叫不应",
    re.compile(r"(?<!医护)(?<!医疗)(?<!护理)(?<!治疗)(?<!学科)团队"): "团队 alone: write 医护团队, 医生护士 or 医护人员",
    re.compile(r"泄漏处理包"): "write 溢出包",
    re.compile(r"证明信"): "write 诊断证明",
    re.compile(r"帮孩子自己的免疫系统去打"): "a literal translation: say it as a Chinese nurse would",
}
DRUG_NAME_ZH = re.compile(r"贝林妥欧单抗|贝林妥莫单抗|倍林妥莫单抗|倍利妥|双抗|blinatumomab|blina", re.IGNORECASE)
FIRST_DRUG_NAME_ZH = re.compile(r"贝林妥欧单抗[（(]倍利妥")
PLACEHOLDERS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
# Every number, so that a step or a warning is not one number short in one language; "10,000" and
# "1万" are the same number.
NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(万)?")
LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s", re.MULTILINE)


@dataclass(frozen=True)
class Problem:
    level: str  # "error" blocks publishing; "warning" needs attention soon
    article: str
    message: str


def template_problems(answer: str) -> list[str]:
    """Placeholders other than `{{ clinic.<setting> }}`, or settings a clinic does not have."""
    return [translate("en", message, **values) for message, values in placeholder_problems(answer)]


def check_article(article: dict, today: dt.date, glossary: Sequence[Term] = ()) -> list[Problem]:
    problems = []
    aid = article["id"]
    for lang in LANGUAGES:
        part = article[lang]
        for term, sentence in unexplained(part["answer"], lang, glossary):
            problems.append(Problem("error", aid, f"{lang}: clinical term {term!r} is not explained where it "
                                                  f"is first used: {sentence!r} (see content/glossary.yml)"))
        if len(part["questions"]) < MIN_QUESTIONS:
            problems.append(Problem("error", aid, f"{lang}: {len(part['questions'])} example "
                                                  f"questions, at least {MIN_QUESTIONS} needed"))
        if not part["sources"]:
            problems.append(Problem("error", aid, f"{lang}: no sources"))
        problems += [Problem("error", aid, f"{lang}: {p}") for p in template_problems(part["answer"])]
        problems += [Problem("error", aid, f"{lang}: {t!r} looks like a fever threshold: write "
                                           f"{{{{ clinic.fever_threshold }}}}, the clinic's own")
                     for t in hard_coded_thresholds(part["answer"])]
        for text in (part["title"], part["answer"]):
            for match in PHONE_LIKE.findall(text):
                problems.append(Problem("error", aid, f"{lang}: phone-number-like digits "
                                                      f"{match!r}: use {{{{ clinic.… }}}}"))
    problems += [Problem("error", aid, message) for message in parity_problems(article) + wording_problems(article)]
    grade = english_grade(article["en"]["answer"])
    if grade > MAX_ENGLISH_GRADE:
        problems.append(Problem("error", aid, f"en: reading grade {grade:.1f}, at most {MAX_ENGLISH_GRADE:g}: "
                                              f"use shorter sentences and words"))
    length = chinese_sentence_length(article["zh"]["answer"])
    if length > MAX_CHINESE_SENTENCE:
        problems.append(Problem("error", aid, f"zh: sentences average {length:.0f} characters, "
                                              f"at most {MAX_CHINESE_SENTENCE:g}"))
    if dt.date.fromisoformat(article["review_due"]) < today:
        problems.append(Problem("warning", aid, f"review was due on {article['review_due']}"))
    return problems


def hard_coded_thresholds(answer: str) -> list[str]:
    """Temperatures written in the range a clinic may choose as its fever threshold."""
    with_unit = list(TEMPERATURE.finditer(answer))
    written = [(m.group(0), float(m.group(1).replace(",", ".")), _scale(m.group(2))) for m in with_unit]
    spans = {m.start(1) for m in with_unit}
    written += [(m.group(0), float(m.group(1).replace(",", ".")), None) for m in NAMED_TEMPERATURE.finditer(answer)
                if m.start(1) not in spans]
    written += [(answer[start:end], value, "C") for start, end, value in chinese_degrees(answer)]
    found = []
    for text, value, scale in written:
        # No scale given: "101 degrees" is Fahrenheit, "38 degrees" Celsius.
        low, high = THRESHOLD_RANGE[scale or ("F" if FAHRENHEIT_RANGE[0] <= value <= FAHRENHEIT_RANGE[1] else "C")]
        if low <= value <= high:
            found.append(text)
    return found


def _scale(unit: str) -> Optional[str]:
    """The scale a unit names; None for one that names none ("°", "degrees")."""
    unit = unit.lower()
    if "f" in unit or "℉" in unit or "华氏" in unit:
        return "F"
    if "c" in unit or "℃" in unit or "摄氏" in unit or unit == "度":
        return "C"
    return None


def quantities(answer: str) -> list[tuple[str, str]]:
    """The quantities with units an answer gives, as (number, unit), sorted."""
    return sorted((m.group(1), next(unit for unit in UNITS if m.group(unit)))
                  for m in QUANTITY.finditer(PLACEHOLDERS.sub(" ", answer)))


def numbers(answer: str) -> list[float]:
    """Every number an answer gives outside template variables, sorted."""
    return sorted(float(m.group(1).replace(",", "")) * (10000 if m.group(2) else 1)
                  for m in NUMBER.finditer(PLACEHOLDERS.sub(" ", answer)))


def wording_problems(article: dict) -> list[str]:
    """Chinese the review ruled out, and the drug's name: on its first mention in Chinese it is
    贝林妥欧单抗（倍利妥）; "双抗" (to Chinese clinicians, usually dual antiplatelet therapy) is a
    family's shorthand, never a title."""
    zh = article["zh"]
    problems = [f"zh: {match.group()!r}: {advice}" for pattern, advice in AVOID_ZH.items()
                for text in (zh["title"], zh["answer"]) for match in pattern.finditer(text)]
    if "双抗" in zh["title"]:
        problems.append("zh: '双抗' in the title: name the drug 贝林妥欧单抗")
    first = DRUG_NAME_ZH.search(zh["answer"])
    if first and not FIRST_DRUG_NAME_ZH.match(zh["answer"], first.start()):
        problems.append(f"zh: the drug is first named {first.group()!r}: write 贝林妥欧单抗（倍利妥） there")
    return problems


# What the two languages of an answer must have in common, each read the same way from both.
PARITY = {
    "clinic settings": lambda answer: sorted(set(PLACEHOLDER.findall(answer))),
    "numbers of items": lambda answer: len(LIST_ITEM.findall(answer)),
    "temperatures": lambda answer: sorted(value for value, _ in TEMPERATURE.findall(answer)),
    "quantities": quantities,
    "numbers": numbers,
}


def parity_problems(article: dict) -> list[str]:
    """The two languages must give the same clinic facts and the same number of steps: a step
    or a number missing from one translation is advice one family gets and the other does not."""
    problems = []
    for name, measure in PARITY.items():
        en, zh = measure(article["en"]["answer"]), measure(article["zh"]["answer"])
        if en != zh:
            problems.append(f"the languages give different {name}: en {en}, zh {zh}")
    return problems


def check_lexicon(path: Path) -> list[Problem]:
    """The red-flag lexicon loads: its format, and first aid that never contradicts itself
    (advice naming a position it does not declare, bot/redflags/lexicon.py)."""
    from bot.redflags.lexicon import LexiconError, load_lexicon

    try:
        load_lexicon(path)
    except LexiconError as exc:
        return [Problem("error", path.name, str(exc))]
    return []


def check_folder(folder: Path, today: dt.date | None = None, glossary: Path | None = None) -> list[Problem]:
    """Every problem in the articles of `folder`; `glossary` defaults to content/glossary.yml."""
    today = today or clock.today()
    terms = load_glossary(glossary or load_settings().content_dir / "glossary.yml")
    problems, articles = [], []
    for path in sorted(folder.glob("*.yml")):
        try:
            articles.append(load_article(path))
        except ArticleError as exc:
            problems.append(Problem("error", path.stem, str(exc)))
    for article in articles:
        problems += check_article(article, today, terms)
    seen: dict[str, str] = {}
    for article in articles:
        for lang in LANGUAGES:
            for question in article[lang]["questions"]:
                key = " ".join(question.lower().split())
                if key in seen and seen[key] != article["id"]:
                    problems.append(Problem("error", article["id"],
                                            f"question {question!r} is also in {seen[key]}"))
                seen.setdefault(key, article["id"])
    present = {a["id"] for a in articles}
    problems += [Problem("error", topic, "required article is missing")
                 for topic in REQUIRED_TOPICS if topic not in present]
    return problems
