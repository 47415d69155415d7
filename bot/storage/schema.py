"""Every table the project owns, defined once.

Stores build their queries from these `Table` objects, the migrations create them, and a test
checks that a migrated database matches them. Times are ISO-8601 text (what `bot.clock` writes),
so they sort and compare the same way on SQLite and PostgreSQL. Rasa's own `events` table is not
here: Rasa's tracker store owns it.
"""
from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, Table, Text

metadata = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


articles = Table(
    "articles", metadata,
    Column("id", Text, primary_key=True),
    Column("category", Text), Column("status", Text), Column("version", Integer),
    Column("published_version", Integer), Column("updated_at", Text))

versions = Table(
    "versions", metadata,
    Column("article_id", Text, ForeignKey("articles.id"), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("document", Text), Column("status", Text), Column("actor", Text), Column("created_at", Text))

# Full-text search rows (one per article and language). On SQLite the table is an FTS5 virtual
# table with the trigram tokenizer; on PostgreSQL a plain table with pg_trgm indexes. The
# migrations create it per database; it is described here so that queries can name its columns.
article_search = Table(
    "article_search", metadata,
    Column("article_id", Text), Column("lang", Text),
    Column("title", Text), Column("questions", Text), Column("answer", Text),
    info={"created_by_migration": True})

audit = Table(
    "audit", metadata, _id(),
    Column("at", Text), Column("actor", Text), Column("action", Text), Column("subject", Text),
    Column("detail", Text))

clinics = Table("clinics", metadata, Column("id", Text, primary_key=True), Column("settings", Text))

users = Table(
    "users", metadata, _id(),
    Column("username", Text, nullable=False), Column("clinic", Text, nullable=False),
    Column("role", Text, nullable=False), Column("password_hash", Text, nullable=False),
    Column("disabled", Integer, nullable=False, server_default="0"),
    Column("created_at", Text), Column("password_changed_at", Text),
    Index("idx_users_username", "username", unique=True))

login_failures = Table(
    "login_failures", metadata, _id(),
    Column("at", Text), Column("username", Text), Column("address", Text))

sessions = Table(
    "sessions", metadata,
    Column("token_hash", Text, primary_key=True), Column("user_id", Integer), Column("csrf", Text),
    Column("lang", Text), Column("created_at", Text), Column("seen_at", Text))

escalations = Table(
    "escalations", metadata, _id(),
    Column("clinic", Text), Column("conversation", Text), Column("lang", Text),
    Column("severity", Text), Column("emergency", Integer), Column("category", Text),
    Column("categories", Text), Column("evidence", Text), Column("temperature_c", Float),
    Column("message", Text), Column("messages", Text), Column("reports", Integer),
    Column("created_at", Text), Column("updated_at", Text), Column("acknowledged_at", Text),
    Column("acknowledged_by", Text), Column("resolved_at", Text), Column("resolution_note", Text),
    Column("renotified_at", Text), Column("family_deleted_at", Text),
    Column("source", Text),  # a hash of the sender's address, to merge a flood of reports
    Index("idx_escalations_clinic_conversation", "clinic", "conversation"))

outbox = Table(
    "outbox", metadata, _id(),
    Column("escalation_id", Integer), Column("channel", Text), Column("target", Text),
    Column("kind", Text), Column("payload", Text), Column("status", Text),
    Column("attempts", Integer), Column("next_attempt_at", Text), Column("claimed_until", Text),
    Column("last_error", Text), Column("created_at", Text), Column("delivered_at", Text),
    Index("idx_outbox_status_next_attempt_at", "status", "next_attempt_at"))

unanswered = Table(
    "unanswered", metadata, _id(),
    Column("at", Text), Column("clinic", Text), Column("lang", Text), Column("text", Text),
    Column("sender", Text), Column("intent", Text), Column("confidence", Float),
    Column("handled", Text))

chat_turns = Table(
    "chat_turns", metadata, _id(),
    Column("at", Text, nullable=False), Column("day", Text, nullable=False),
    Column("clinic", Text, nullable=False), Column("conversation", Text, nullable=False),
    Column("lang", Text), Column("kind", Text), Column("topic", Text),
    Index("idx_chat_turns_clinic_day", "clinic", "day"))

# Which model serves families: one row per deployment, the newest serves (history for free).
deployed_models = Table(
    "deployed_models", metadata, _id(),
    Column("model", Text, nullable=False), Column("fingerprint", Text, nullable=False),
    Column("deployed_at", Text, nullable=False), Column("by", Text), Column("figures", Text),
    Column("labels", Text), Column("model_id", Text), Column("job", Integer))

retrain_jobs = Table(
    "retrain_jobs", metadata, _id(),
    Column("started_by", Text), Column("started_at", Text), Column("stage", Text),
    Column("percent", Integer), Column("message", Text), Column("message_values", Text),
    Column("figures", Text), Column("baseline", Text), Column("verdict", Text), Column("model", Text),
    Column("timings", Text), Column("pid", Integer), Column("finished_at", Text))

# The red-flag lexicon (content/redflags.yml) as `carebot content import` stored it: one row per
# changed text, the newest is what every server's detector reads (bot/redflags/detector.py).
lexicons = Table(
    "lexicons", metadata, _id(),
    Column("text", Text, nullable=False), Column("digest", Text, nullable=False),
    Column("imported_at", Text, nullable=False))
