"""Gettext catalogs (Babel) for every user-visible string that is not article content.

Message ids are the English text; `locales/zh/LC_MESSAGES/carebot.po` holds the Chinese.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date
from babel.support import NullTranslations, Translations

from bot.settings import LANGUAGES, ROOT

LOCALES_DIR = ROOT / "locales"
DOMAIN = "carebot"
BABEL_LOCALE = {"en": "en_US", "zh": "zh_Hans_CN"}


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    """The catalog for `lang` (compiled .mo); English falls back to the message ids."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    return Translations.load(str(LOCALES_DIR), [lang], DOMAIN)


def N_(message: str) -> str:
    """Marks a string for extraction (`pybabel extract -k N_`); translated where it is shown."""
    return message


# Each language by name, as a nurse reads it (translated where shown).
LANGUAGE_NAMES = {"en": N_("English"), "zh": N_("Chinese")}


def translate(lang: str, message: str, /, **values: object) -> str:
    """`message` in `lang`; extracted by `pybabel extract -k translate:2`."""
    text = translations(lang).gettext(message)
    return text.format(**values) if values else text


def sentences(lang: str, *texts: str) -> str:
    """Sentences one after another as a reader of `lang` writes them: separated by a space in
    English, by nothing in Chinese ("问题。以下是…", not "问题。 以下是…")."""
    return ("" if lang == "zh" else " ").join(texts)


def format_day(day: str, lang: str) -> str:
    """An ISO date as a reader of `lang` writes it (`Nov 20, 2026` / `2026年11月20日`)."""
    return format_date(dt.date.fromisoformat(day), format="medium" if lang == "en" else "long",
                       locale=BABEL_LOCALE[lang])
