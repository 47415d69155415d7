"""The content store: articles, every version of them, and an audit log, in SQLite.

The YAML files in `content/` seed the store; the store is what runs and what nurses edit. Each
change is a new row in `versions` (never an update in place), so history and rollback are free.
An article is served from its `published_version`, so a draft never leaks into the chat.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from bot.audit import AuditLog
from bot.clock import now_iso
from bot.content.articles import check_placeholders, dump_article, load_articles, validate_article
from bot.content.search import ArticleSearch


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class ContentStore:
    def __init__(self, db: Database):
        self.db = db
        self._ensure_schema()
        self.search = ArticleSearch(db)

    def _ensure_schema(self) -> None:
        self.db["articles"].create(
            {"id": str, "category": str, "status": str, "version": int,
             "published_version": int, "updated_at": str},
            pk="id", if_not_exists=True)
        self.db["versions"].create(
            {"article_id": str, "version": int, "document": str, "status": str,
             "actor": str, "created_at": str},
            pk=("article_id", "version"), foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True)
        self.audit = AuditLog(self.db)

    # -- writing -------------------------------------------------------------------------

    def save(self, article: dict, actor: str, action: str = "save") -> int:
        """Store `article` as a new version (if it changed) and return its version number."""
        article = validate_article(article, article.get("id", "article"))
        check_placeholders(article)
        row = next(self.db["articles"].rows_where("id = ?", [article["id"]]), None)
        if row and self.latest(article["id"]) == article:
            return row["version"]
        version = (row["version"] if row else 0) + 1
        published = version if article["status"] == "published" else (row or {}).get("published_version")
        at = now_iso()
        with self.db.conn:
            self.db["articles"].upsert(
                {"id": article["id"], "category": article["category"], "status": article["status"],
                 "version": version, "published_version": published, "updated_at": at}, pk="id")
            self.db["versions"].insert(
                {"article_id": article["id"], "version": version, "status": article["status"],
                 "document": json.dumps(article, ensure_ascii=False, sort_keys=True),
                 "actor": actor, "created_at": at})
            self.log(actor, action, article["id"], {"version": version, "status": article["status"]})
            if article["status"] == "published":
                self.search.index(article)
        return version

    def import_folder(self, folder: Path, actor: str = "import") -> ImportReport:
        """Load every article file; idempotent: unchanged files add no version."""
        report = ImportReport()
        for article in load_articles(folder):
            before = self.latest(article["id"])
            self.save(article, actor, "import")
            bucket = report.unchanged if before == article else report.updated if before else report.added
            bucket.append(article["id"])
        return report

    def export_folder(self, folder: Path) -> list[Path]:
        """Write the latest version of every article back to `folder` in the canonical format."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for article in self.latest_all():
            path = folder / f"{article['id']}.yml"
            path.write_text(dump_article(article), encoding="utf-8")
            written.append(path)
        return written

    def log(self, actor: str, action: str, subject: str, detail: dict | None = None) -> None:
        self.audit.log(actor, action, subject, detail)

    # -- reading -------------------------------------------------------------------------

    def _documents(self, column: str, article_id: str | None = None) -> list[dict]:
        """Articles at `column` (`version` = working copy, `published_version` = served)."""
        where, params = ("where a.id = ?", [article_id]) if article_id else ("", [])
        rows = self.db.query(
            f"select v.document from articles a join versions v on v.article_id = a.id "
            f"and v.version = a.{column} {where} order by a.id", params)
        return [json.loads(r["document"]) for r in rows]

    def _document(self, article_id: str, column: str) -> dict | None:
        found = self._documents(column, article_id)
        return found[0] if found else None

    def latest(self, article_id: str) -> dict | None:
        """The working copy (possibly a draft)."""
        return self._document(article_id, "version")

    def published(self, article_id: str) -> dict | None:
        """What families are shown."""
        return self._document(article_id, "published_version")

    def article_row(self, article_id: str) -> dict | None:
        """Status, working version and published version of one article."""
        rows = list(self.db.query("select * from articles where id = ?", [article_id]))
        return rows[0] if rows else None

    def current_version(self, article_id: str) -> int | None:
        row = self.article_row(article_id)
        return row["version"] if row else None

    def version(self, article_id: str, version: int) -> dict | None:
        rows = list(self.db.query("select document from versions where article_id = ? and version = ?",
                                  [article_id, version]))
        return json.loads(rows[0]["document"]) if rows else None

    def history(self, article_id: str) -> list[dict]:
        """Every version, newest first, with who saved it and when."""
        rows = self.db.query("select version, status, actor, created_at, document from versions "
                             "where article_id = ? order by version desc", [article_id])
        return [{**row, "document": json.loads(row["document"])} for row in rows]

    def in_review(self) -> list[dict]:
        """Articles whose working copy waits for a reviewer, the longest waiting first."""
        return list(self.db.query("select * from articles where status = 'in_review' order by updated_at, id"))

    def summaries(self) -> list[dict]:
        """One row per article for the console's list: working copy and what is served."""
        return list(self.db.query("select * from articles order by id"))

    def audit_log(self, limit: int = 200, subject: str | None = None) -> list[dict]:
        return self.audit.entries(limit, subject)

    def latest_all(self) -> list[dict]:
        return self._documents("version")

    def published_all(self) -> list[dict]:
        return self._documents("published_version")
