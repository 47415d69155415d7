"""The tables of version 1, and adopting a database made before migrations existed.

Databases from before this storage layer already hold these tables (created by sqlite-utils,
with the same names, columns and index names); they are kept as they are, with any column added
since, so no clinic loses its articles, accounts or escalations.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), autoincrement=True, primary_key=True)


def _text(*names: str) -> list:
    return [sa.Column(name, sa.Text()) for name in names]


def _tables() -> dict[str, list]:
    """Columns and constraints per table, as they were in version 1 (new objects on every call:
    a column belongs to one table)."""
    return {
        "articles": [sa.Column("id", sa.Text(), primary_key=True), *_text("category", "status"),
                     sa.Column("version", sa.Integer()), sa.Column("published_version", sa.Integer()),
                     *_text("updated_at")],
        "versions": [sa.Column("article_id", sa.Text(), sa.ForeignKey("articles.id"), primary_key=True),
                     sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
                     *_text("document", "status", "actor", "created_at")],
        "audit": [_id(), *_text("at", "actor", "action", "subject", "detail")],
        "clinics": [sa.Column("id", sa.Text(), primary_key=True), *_text("settings")],
        "users": [_id(), *(sa.Column(name, sa.Text(), nullable=False)
                           for name in ("username", "clinic", "role", "password_hash")),
                  sa.Column("disabled", sa.Integer(), server_default="0", nullable=False),
                  *_text("created_at", "password_changed_at")],
        "login_failures": [_id(), *_text("at", "username", "address")],
        "sessions": [sa.Column("token_hash", sa.Text(), primary_key=True), sa.Column("user_id", sa.Integer()),
                     *_text("csrf", "lang", "created_at", "seen_at")],
        "escalations": [_id(), *_text("clinic", "conversation", "lang", "severity"),
                        sa.Column("emergency", sa.Integer()), *_text("category", "categories", "evidence"),
                        sa.Column("temperature_c", sa.Float()), *_text("message", "messages"),
                        sa.Column("reports", sa.Integer()),
                        *_text("created_at", "updated_at", "acknowledged_at", "acknowledged_by", "resolved_at",
                               "resolution_note", "renotified_at", "family_deleted_at", "source")],
        "outbox": [_id(), sa.Column("escalation_id", sa.Integer()),
                   *_text("channel", "target", "kind", "payload", "status"), sa.Column("attempts", sa.Integer()),
                   *_text("next_attempt_at", "claimed_until", "last_error", "created_at", "delivered_at")],
        "unanswered": [_id(), *_text("at", "clinic", "lang", "text", "sender", "intent"),
                       sa.Column("confidence", sa.Float()), *_text("handled")],
        "chat_turns": [_id(), *(sa.Column(name, sa.Text(), nullable=False)
                                for name in ("at", "day", "clinic", "conversation")),
                       *_text("lang", "kind", "topic")],
        "retrain_jobs": [_id(), *_text("started_by", "started_at", "stage"), sa.Column("percent", sa.Integer()),
                         *_text("message", "message_values", "figures", "baseline", "verdict", "model", "timings"),
                         sa.Column("pid", sa.Integer()), *_text("finished_at")],
    }


INDEXES = [("idx_users_username", "users", ["username"], True),
           ("idx_escalations_clinic_conversation", "escalations", ["clinic", "conversation"], False),
           ("idx_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"], False),
           ("idx_chat_turns_clinic_day", "chat_turns", ["clinic", "day"], False)]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for name, columns in _tables().items():
        if name not in existing:
            op.create_table(name, *columns)
            continue
        present = {column["name"] for column in inspector.get_columns(name)}
        for column in columns:
            if column.name not in present:
                op.add_column(name, sa.Column(column.name, column.type))
    for name, table, columns, unique in INDEXES:
        op.create_index(name, table, columns, unique=unique, if_not_exists=True)
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_extras()
    else:
        _sqlite_extras(existing)


def _sqlite_extras(existing: set) -> None:
    if "article_search" not in existing:
        op.execute("create virtual table article_search using fts5(article_id unindexed, lang unindexed, "
                   "title, questions, answer, tokenize='trigram')")
    for verb in ("update", "delete"):
        op.execute(f"create trigger if not exists audit_no_{verb} before {verb} on audit "
                   "begin select raise(abort, 'the audit log is append-only'); end")


def _postgresql_extras() -> None:
    op.execute("create extension if not exists pg_trgm")
    op.create_table("article_search", *_text("article_id", "lang", "title", "questions", "answer"))
    op.create_index("idx_article_search_article", "article_search", ["article_id"])
    for column in ("title", "questions", "answer"):
        op.execute(f"create index idx_article_search_{column} on article_search "
                   f"using gin ({column} gin_trgm_ops)")
    op.execute("create function audit_append_only() returns trigger language plpgsql as "
               "$$ begin raise exception 'the audit log is append-only'; end $$")
    op.execute("create trigger audit_append_only before update or delete on audit "
               "for each row execute function audit_append_only()")
