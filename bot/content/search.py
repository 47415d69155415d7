"""Full-text search over published articles: SQLite FTS5 (trigram tokenizer), or on PostgreSQL
a plain table with pg_trgm indexes.

Trigrams work for Chinese, which has no spaces between words, and forgive English typos. The
fallback uses it to suggest the articles most likely to help when the model is unsure.
"""
from __future__ import annotations

import re
from functools import reduce
from operator import add

from sqlalchemy import case, delete, or_, select
from sqlalchemy.sql import ColumnElement, Select

from bot.settings import LANGUAGES
from bot.storage import Database
from bot.storage.schema import article_search

# title matches count most, then example questions, then the answer text (bm25 weights).
WEIGHTS = (5.0, 3.0, 1.0)
CJK_RUN = re.compile(r"[\u3400-\u9fff]{3,}")
ENGLISH_WORD = re.compile(r"[a-z]{3,}")
STOPWORDS = frozenset("the and for can what how does his her she him you are with that this has have was "
                      "will not any get got when why who which from about there their them they our".split())


def query_terms(text: str) -> list[str]:
    """Trigram-searchable pieces of a message: English words, Chinese 3-character windows."""
    text = text.lower()
    terms = [w for w in ENGLISH_WORD.findall(text) if w not in STOPWORDS]
    for run in CJK_RUN.findall(text):
        terms += [run[i:i + 3] for i in range(len(run) - 2)]
    return list(dict.fromkeys(terms))


class ArticleSearch:
    def __init__(self, db: Database):
        self.db = db

    def index(self, article: dict) -> None:
        """(Re)index the published version of one article, in both languages."""
        with self.db.begin():
            self.db.execute(delete(article_search).where(article_search.c.article_id == article["id"]))
            for lang in LANGUAGES:
                part = article[lang]
                self.db.insert(article_search, {"article_id": article["id"], "lang": lang, "title": part["title"],
                                                "questions": "\n".join(part["questions"]), "answer": part["answer"]})

    def search(self, text: str, lang: str, limit: int = 3) -> list[str]:
        """Article ids, best first, for a caregiver's message in `lang`."""
        terms = query_terms(text)
        if not terms:
            return []
        if self.db.dialect == "sqlite":
            match = " OR ".join('"%s"' % t.replace('"', "") for t in terms)
            rows = self.db.query(
                "select article_id from article_search where article_search match :match and lang = :lang "
                "order by bm25(article_search, 0, 0, :title, :questions, :answer) limit :limit",
                {"match": match, "lang": lang, "title": WEIGHTS[0], "questions": WEIGHTS[1],
                 "answer": WEIGHTS[2], "limit": limit})
        else:
            rows = self.db.query(_ranked_by_terms(terms, lang, limit))
        return [row["article_id"] for row in rows]


def _ranked_by_terms(terms: list[str], lang: str, limit: int) -> Select:
    """PostgreSQL's ranking, close to bm25's for a few short terms: each term found in a title
    counts 5, in the example questions 3, in the answer 1 (the same weights). Case-insensitive
    substring matches (`ILIKE '%term%'`, with `%` and `_` escaped) that the pg_trgm indexes serve."""
    columns = (article_search.c.title, article_search.c.questions, article_search.c.answer)
    found: list[tuple[ColumnElement, float]] = [
        (column.ilike(f"%{_escape_like(term)}%", escape="\\"), weight)
        for term in terms for column, weight in zip(columns, WEIGHTS)]
    score = reduce(add, (case((match, weight), else_=0) for match, weight in found))
    return (select(article_search.c.article_id)
            .where(article_search.c.lang == lang, or_(*(match for match, _ in found)))
            .order_by(score.desc(), article_search.c.article_id)
            .limit(limit))


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
