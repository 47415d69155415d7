"""The article file format: one YAML file per article, English and Chinese side by side.

The format is canonical: `dump_article(load_article(text)) == text` for any file written by
`dump_article`, which is what makes `carebot content export` round-trip byte for byte.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from bot.answers import describe, placeholder_problems
from bot.i18n import N_
from bot.settings import LANGUAGES

CATEGORIES = ("treatment", "pump_line", "side_effects", "daily_life")
CATEGORY_NAMES = {"treatment": N_("Treatment"), "pump_line": N_("Pump and line"), "side_effects": N_("Side effects"),
                  "daily_life": N_("Daily life")}
STATUSES = ("draft", "in_review", "published")
STATUS_NAMES = {"draft": N_("draft"), "in_review": N_("in review"), "published": N_("published")}
ARTICLE_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
TOP_KEYS = ("id", "category", "status", "reviewer", "reviewed_on", "review_due", *LANGUAGES)
LANG_KEYS = ("title", "questions", "answer", "sources")
DATE_KEYS = ("reviewed_on", "review_due")


class ArticleError(ValueError):
    """An article file that does not follow the format; the message says what and where."""


def validate_article(doc: Any, where: str = "article") -> dict:
    """Check the structure and return the article with dates as ISO strings."""
    if not isinstance(doc, dict):
        raise ArticleError(f"{where}: expected a mapping")
    missing = [k for k in TOP_KEYS if k not in doc]
    extra = [k for k in doc if k not in TOP_KEYS]
    if missing or extra:
        raise ArticleError(f"{where}: missing keys {missing}, unknown keys {extra}")
    if not isinstance(doc["id"], str) or not ARTICLE_ID.match(doc["id"]):
        raise ArticleError(f"{where}: id must be lower_snake_case")
    if doc["category"] not in CATEGORIES:
        raise ArticleError(f"{where}: category must be one of {CATEGORIES}")
    if doc["status"] not in STATUSES:
        raise ArticleError(f"{where}: status must be one of {STATUSES}")
    article = dict(doc)
    for key in DATE_KEYS:
        value = doc[key]
        if isinstance(value, dt.date):
            value = value.isoformat()
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            raise ArticleError(f"{where}: {key} must be a date (YYYY-MM-DD)") from None
        article[key] = str(value)
    for lang in LANGUAGES:
        article[lang] = _validate_translation(doc[lang], f"{where}: {lang}", doc["status"] != "draft")
    return article


def check_placeholders(article: dict) -> None:
    """Editor text is data: an answer with template code or an unknown clinic setting never
    reaches the store (the console says why in the nurse's language before this)."""
    for lang in LANGUAGES:
        problems = placeholder_problems(str(article[lang].get("answer") or ""))
        if problems:
            raise ArticleError(f"{article['id']}: {lang}: {describe(problems, 'en')}")


def _validate_translation(part: Any, where: str, complete: bool) -> dict:
    """A draft may still lack a translation; an article in review or published may not."""
    if not isinstance(part, dict) or sorted(part) != sorted(LANG_KEYS):
        raise ArticleError(f"{where}: expected exactly the keys {LANG_KEYS}")
    for key in ("title", "answer"):
        if not isinstance(part[key], str) or (complete and not part[key].strip()):
            raise ArticleError(f"{where}: {key} must be non-empty text")
    for key in ("questions", "sources"):
        items = part[key]
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            raise ArticleError(f"{where}: {key} must be a list of non-empty texts")
    return {key: part[key] for key in LANG_KEYS}


def load_article(path: Path) -> dict:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ArticleError(f"{path.name}: not valid YAML ({exc})") from None
    article = validate_article(doc, path.name)
    if article["id"] != path.stem:
        raise ArticleError(f"{path.name}: id {article['id']!r} differs from the file name")
    return article


def load_articles(folder: Path) -> list[dict]:
    return [load_article(p) for p in sorted(folder.glob("*.yml"))]


class _Dumper(yaml.SafeDumper):
    """Block scalars for multi-line text, plain dates, keys in the canonical order."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_article(article: dict) -> str:
    doc = {key: article[key] for key in TOP_KEYS}
    for key in DATE_KEYS:
        doc[key] = dt.date.fromisoformat(doc[key])
    for lang in LANGUAGES:
        doc[lang] = {key: article[lang][key] for key in LANG_KEYS}
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
