"""`carebot content check`: problems a nurse should fix before families see an article."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from bot import clock
from bot.answers import PLACEHOLDER, placeholder_problems
from bot.content.articles import ArticleError, load_article
from bot.content.glossary import Term, load_glossary, unexplained
from bot.content.readability import chinese_sentence_length, english_grade
from bot.i18n import translate
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
TEMPERATURE = re.compile(r"(?<![\d.])(\d{2,3}(?:[.,]\d+)?)\s*(°\s*C|°\s*F|℃|℉|度)")
THRESHOLD_RANGE = {"C": (37.5, 39.0), "F": (99.5, 102.2)}
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
    problems += [Problem("error", aid, message) for message in parity_problems(article)]
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
    found = []
    for match in TEMPERATURE.finditer(answer):
        scale = "F" if "F" in match.group(2) or match.group(2) == "℉" else "C"
        low, high = THRESHOLD_RANGE[scale]
        if low <= float(match.group(1).replace(",", ".")) <= high:
            found.append(match.group(0))
    return found


# What the two languages of an answer must have in common, each read the same way from both.
PARITY = {
    "clinic settings": lambda answer: sorted(set(PLACEHOLDER.findall(answer))),
    "numbers of items": lambda answer: len(LIST_ITEM.findall(answer)),
    "temperatures": lambda answer: sorted(value for value, _ in TEMPERATURE.findall(answer)),
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
