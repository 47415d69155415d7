"""Full-text search over published articles (SQLite FTS5, trigram tokenizer).

Trigrams work for Chinese, which has no spaces between words, and forgive English typos. The
fallback uses it to suggest the articles most likely to help when the model is unsure.
"""
from __future__ import annotations

import re

from sqlite_utils import Database

from bot.settings import LANGUAGES

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
        if "article_search" not in db.table_names():
            db.execute("create virtual table article_search using fts5("
                       "article_id unindexed, lang unindexed, title, questions, answer, tokenize='trigram')")

    def index(self, article: dict) -> None:
        """(Re)index the published version of one article, in both languages."""
        self.db.execute("delete from article_search where article_id = ?", [article["id"]])
        for lang in LANGUAGES:
            part = article[lang]
            self.db.execute("insert into article_search (article_id, lang, title, questions, answer) "
                            "values (?, ?, ?, ?, ?)",
                            [article["id"], lang, part["title"], "\n".join(part["questions"]), part["answer"]])

    def search(self, text: str, lang: str, limit: int = 3) -> list[str]:
        """Article ids, best first, for a caregiver's message in `lang`."""
        terms = query_terms(text)
        if not terms:
            return []
        match = " OR ".join('"%s"' % t.replace('"', "") for t in terms)
        rows = self.db.execute(
            "select article_id from article_search where article_search match ? and lang = ? "
            "order by bm25(article_search, 0, 0, ?, ?, ?) limit ?", [match, lang, *WEIGHTS, limit])
        return [row[0] for row in rows.fetchall()]
