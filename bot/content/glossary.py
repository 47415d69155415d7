"""Clinical terms must be explained in plain words where an answer first uses them.

A worried parent reads one answer, often on a phone, often at night: "CRS" or "中性粒细胞"
without a gloss is a wall. `content/glossary.yml` lists the clinical terms (how they are
written, per language) and the plain words that show an explanation is there. The sentence
where an answer first uses a term must contain one of those words, either in the sentence
itself ("Platelets help stop bleeding") or in a gloss beside the term ("血小板（帮助止血的
血细胞）"); a gloss is part of its sentence, so both are found the same way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from bot.settings import LANGUAGES

TEMPLATE = re.compile(r"\{\{.*?\}\}")
# A sentence ends at a full stop, question or exclamation mark (English: before a space or
# the end, so "38.0" stays whole), at a Chinese stop or semicolon, and at a line end (bullets).
SENTENCE_END = {"en": re.compile(r"(?<=[.!?])\s+|\n+"), "zh": re.compile(r"(?<=[。！？；])|\n+")}


@dataclass(frozen=True)
class Term:
    id: str
    forms: dict[str, tuple[re.Pattern, ...]]   # per language: how the term is written
    explain: dict[str, tuple[str, ...]]        # per language: plain words that explain it


def _pattern(form: str, lang: str) -> re.Pattern:
    """English words match whole words, with a plural; abbreviations (any capital) match
    case-sensitively, so "BiTE" is not "bite". Chinese matches anywhere."""
    if lang == "zh":
        return re.compile(re.escape(form))
    flags = 0 if any(c.isupper() for c in form) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?:s|es)?(?![\w-])", flags)


def load_glossary(path: Path) -> list[Term]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms = []
    for entry in doc["terms"]:
        forms, explain = {}, {}
        for lang in LANGUAGES:
            part = entry.get(lang) or {}
            written = [str(f) for f in part.get("forms") or []]
            explain[lang] = tuple(str(w).lower() for w in part.get("explain") or [])
            if written and not explain[lang]:
                raise ValueError(f"glossary: {entry['id']}: {lang} forms need explain words")
            if any(w in f.lower() for w in explain[lang] for f in written):
                raise ValueError(f"glossary: {entry['id']}: an explain word is part of the term")
            forms[lang] = tuple(_pattern(f, lang) for f in written)
        terms.append(Term(entry["id"], forms, explain))
    return terms


def sentences(answer: str, lang: str) -> list[str]:
    text = TEMPLATE.sub(" ", answer).replace("**", "")
    return [s.strip().lstrip("-").strip() for s in SENTENCE_END[lang].split(text) if s.strip()]


def unexplained(answer: str, lang: str, glossary: Sequence[Term]) -> list[tuple[str, str]]:
    """(term as written, sentence) for each term whose first use comes without a plain word."""
    found = []
    all_sentences = sentences(answer, lang)
    for term in glossary:
        for sentence in all_sentences:
            match = next((m for p in term.forms[lang] if (m := p.search(sentence))), None)
            if match:
                if not any(word in sentence.lower() for word in term.explain[lang]):
                    found.append((match.group(0), sentence))
                break
    return found
