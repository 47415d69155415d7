"""The content store: articles, every version of them, and an audit log, in the database.

The YAML files in `content/` seed the store; the store is what runs and what nurses edit. Each
change is a new row in `versions` (never an update in place), so history and rollback are free.
An article is served from its `published_version`, so a draft never leaks into the chat.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, select

from bot.audit import AuditLog
from bot.clock import now_iso
from bot.content.articles import check_placeholders, dump_article, load_articles, validate_article
from bot.content.search import ArticleSearch
from bot.storage import Database
from bot.storage.schema import articles, versions


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class ContentStore:
    def __init__(self, db: Database):
        self.db = db
        self.audit = AuditLog(db)
        self.search = ArticleSearch(db)

    # -- writing -------------------------------------------------------------------------

    def save(self, article: dict, actor: str, action: str = "save") -> int:
        """Store `article` as a new version (if it changed) and return its version number."""
        article = validate_article(article, article.get("id", "article"))
        check_placeholders(article)
        with self.db.begin():
            # Read under the write lock (SQLite) or the row's lock (PostgreSQL): two nurses
            # saving the same article at once get versions N+1 and N+2, not N+1 twice.
            row = self.db.first(select(articles).where(articles.c.id == article["id"]).with_for_update())
            if row and self.latest(article["id"]) == article:
                return row["version"]
            version = (row["version"] if row else 0) + 1
            published = version if article["status"] == "published" else (row or {}).get("published_version")
            at = now_iso()
            self.db.upsert(
                articles, {"id": article["id"], "category": article["category"], "status": article["status"],
                           "version": version, "published_version": published, "updated_at": at})
            self.db.insert(
                versions, {"article_id": article["id"], "version": version, "status": article["status"],
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
        query = (select(versions.c.document)
                 .join_from(articles, versions, and_(versions.c.article_id == articles.c.id,
                                                     versions.c.version == articles.c[column]))
                 .order_by(articles.c.id))
        if article_id:
            query = query.where(articles.c.id == article_id)
        return [json.loads(r["document"]) for r in self.db.query(query)]

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
        return self.db.first(select(articles).where(articles.c.id == article_id))

    def current_version(self, article_id: str) -> int | None:
        row = self.article_row(article_id)
        return row["version"] if row else None

    def version(self, article_id: str, version: int) -> dict | None:
        row = self.db.first(select(versions.c.document).where(versions.c.article_id == article_id,
                                                              versions.c.version == version))
        return json.loads(row["document"]) if row else None

    def history(self, article_id: str) -> list[dict]:
        """Every version, newest first, with who saved it and when."""
        return self._versions(versions.c.article_id == article_id)

    def histories(self) -> dict[str, list[dict]]:
        """Every article's history, in one query: a page about all articles reads them at once."""
        by_article: dict[str, list[dict]] = {}
        for row in self._versions():
            by_article.setdefault(row["article_id"], []).append(row)
        return by_article

    def _versions(self, *conditions) -> list[dict]:
        """Versions by article, newest first."""
        rows = self.db.query(
            select(versions.c.article_id, versions.c.version, versions.c.status, versions.c.actor,
                   versions.c.created_at, versions.c.document)
            .where(*conditions).order_by(versions.c.article_id, versions.c.version.desc()))
        return [{**row, "document": json.loads(row["document"])} for row in rows]

    def in_review(self) -> list[dict]:
        """Articles whose working copy waits for a reviewer, the longest waiting first."""
        return self.db.query(select(articles).where(articles.c.status == "in_review")
                             .order_by(articles.c.updated_at, articles.c.id))

    def summaries(self) -> list[dict]:
        """One row per article for the console's list: working copy and what is served."""
        return self.db.query(select(articles).order_by(articles.c.id))

    def audit_log(self, limit: int = 200, subject: str | None = None) -> list[dict]:
        return self.audit.entries(limit, subject)

    def latest_all(self) -> list[dict]:
        return self._documents("version")

    def published_all(self) -> list[dict]:
        return self._documents("published_version")
