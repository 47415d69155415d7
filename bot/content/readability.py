"""Reading level of answers: US grade (Flesch-Kincaid) for English, sentence length for Chinese.

Answers are plain text with bullet lists; each bullet reads as a sentence of its own, so it is
measured as one (a list without full stops would otherwise count as one endless sentence).
"""
from __future__ import annotations

import re

import textstat

TEMPLATE = re.compile(r"\{\{.*?\}\}")
CHINESE_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")


def _plain(answer: str, placeholder: str) -> list[str]:
    """The answer's lines, without markup, template variables read as `placeholder`."""
    text = TEMPLATE.sub(placeholder, answer).replace("**", "")
    return [line.strip().lstrip("-").strip() for line in text.splitlines() if line.strip()]


def english_grade(answer: str) -> float:
    lines = [l if l[-1] in ".!?:" else l + "." for l in _plain(answer, "the number")]
    return textstat.flesch_kincaid_grade(" ".join(lines))


def chinese_sentence_length(answer: str) -> float:
    """Average characters per sentence (spaces and punctuation not counted)."""
    sentences = [s for s in CHINESE_SENTENCE_END.split("\n".join(_plain(answer, "电话"))) if s.strip()]
    lengths = [len(re.sub(r"[\s，、：:,（）()“”\"]", "", s)) for s in sentences]
    return sum(lengths) / len(lengths)
