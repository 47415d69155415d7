"""The storage layer on both engines: migrations build exactly the schema, run once, adopt a
database made before they existed, and transactions nest."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import DBAPIError
from sqlite_utils import Database as SqliteUtilsDatabase

from bot.storage import Database, DatabaseError, open_database, sqlite_url
from bot.storage.migrations import config, current, head, upgrade
from bot.storage.schema import audit, clinics, metadata, unanswered, users
from bot.unanswered import UnansweredLog


def test_a_migrated_database_matches_the_schema(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _ours})
        assert compare_metadata(context, metadata) == []
    assert current(database) == head()


def _ours(obj, name, type_, reflected, compare_to) -> bool:
    return type_ != "table" or (name in metadata.tables and "created_by_migration" not in metadata.tables[name].info)


def test_opening_again_does_not_migrate_again(database):
    database.insert(clinics, {"id": "x", "settings": "{}"})
    again = open_database(str(database.engine.url))
    assert again.query("select id from clinics") == [{"id": "x"}]
    again.dispose()


def test_the_audit_log_refuses_changes(database):
    database.insert(audit, {"at": "2026-01-01", "actor": "a", "action": "login", "subject": "s", "detail": "{}"})
    for change in ("update audit set actor = 'b'", "delete from audit"):
        with pytest.raises(DBAPIError):
            database.execute(change)
    assert database.scalar("select actor from audit") == "a"


def test_nested_writes_commit_or_fail_together(database):
    with pytest.raises(RuntimeError):
        with database.begin():
            database.insert(clinics, {"id": "a", "settings": "{}"})
            with database.begin():
                database.insert(clinics, {"id": "b", "settings": "{}"})
            raise RuntimeError("the outer change fails")
    assert database.query("select id from clinics") == []
    with database.begin():
        database.insert(clinics, {"id": "a", "settings": "{}"})
        database.insert(clinics, {"id": "b", "settings": "{}"})
    assert database.scalar("select count(*) from clinics") == 2


def test_upsert_adds_then_replaces(database):
    database.upsert(clinics, {"id": "a", "settings": "1"})
    database.upsert(clinics, {"id": "a", "settings": "2"})
    assert database.query("select id, settings from clinics") == [{"id": "a", "settings": "2"}]


def test_a_database_from_before_migrations_is_adopted(tmp_path):
    """A database as the stores of version 1 made it with sqlite-utils (escalations from before
    floods were merged or families could delete, users with their unique index, the audit log's
    triggers) keeps its rows, gains the newer columns and still refuses duplicate usernames."""
    path = tmp_path / "old.db"
    old = SqliteUtilsDatabase(path)
    old["escalations"].create({"id": int, "clinic": str, "conversation": str, "message": str}, pk="id")
    old["escalations"].insert({"clinic": "demo", "conversation": "demo:t-1", "message": "she is floppy"})
    old["users"].create({"id": int, "username": str, "clinic": str, "role": str, "password_hash": str,
                         "disabled": int, "created_at": str, "password_changed_at": str},
                        pk="id", not_null={"username", "clinic", "role", "password_hash"}, defaults={"disabled": 0})
    old["users"].create_index(["username"], unique=True)
    old["users"].insert({"username": "edna", "clinic": "demo", "role": "admin", "password_hash": "x"})
    old["audit"].create({"id": int, "at": str, "actor": str, "action": str, "subject": str, "detail": str}, pk="id")
    old.execute("create trigger audit_no_delete before delete on audit "
                "begin select raise(abort, 'the audit log is append-only'); end")
    old.conn.close()

    database = open_database(sqlite_url(path))
    assert database.query("select clinic, message, source, family_deleted_at from escalations") == [
        {"clinic": "demo", "message": "she is floppy", "source": None, "family_deleted_at": None}]
    with pytest.raises(DBAPIError):
        database.insert(users, {"username": "edna", "clinic": "demo", "role": "editor", "password_hash": "y"})
    assert current(database) == head()


def test_an_unknown_database_url_is_refused_clearly():
    with pytest.raises(DatabaseError, match="sqlite:// or postgresql://"):
        open_database("mysql://somewhere/carebot")


def test_the_deployed_model_record_is_in_the_database_and_an_older_file_is_adopted(tmp_path, monkeypatch):
    """Migration 0002 copies `models/deployed.json` in; later deployments are new rows, and the
    newest one whose model file exists is what every server serves."""
    import dataclasses
    import json

    from bot.settings import load_settings
    from bot.training.deployed import Deployed, read_deployed, write_deployed

    models = tmp_path / "models"
    models.mkdir()
    (models / "old.tar.gz").write_bytes(b"model")
    old = Deployed(model="old.tar.gz", fingerprint="f1", deployed_at="2026-11-01T00:00:00", by="carebot run",
                   labels={"faq/fever": "abc"})
    (models / "deployed.json").write_text(json.dumps(dataclasses.asdict(old)))
    monkeypatch.setenv("CAREBOT_MODELS", str(models))
    monkeypatch.setenv("CAREBOT_DB", str(tmp_path / "c.db"))
    settings = load_settings()
    assert read_deployed(settings) == old

    (models / "new.tar.gz").write_bytes(b"model")
    new = dataclasses.replace(old, model="new.tar.gz", fingerprint="f2", figures={"red": {"total": 3}}, job=7)
    write_deployed(settings, new)
    assert read_deployed(settings) == new
    (models / "new.tar.gz").unlink()
    assert read_deployed(settings) is None  # its file is gone: a fresh start, never a missing model


def migrate_to(database: Database, revision: str) -> None:
    """Bring an empty database to an older schema, as a clinic's database may still be."""
    alembic = config()
    with database.begin() as connection:
        alembic.attributes["connection"] = connection
        command.upgrade(alembic, revision)


def test_money_questions_logged_before_the_costs_reply_leave_the_inbox_once(database_url):
    """Migration 0004 deletes the questions an earlier version logged though the costs reply
    answers them; the inbox then lists every open question, with no filter of its own."""
    database = open_database(database_url, migrate=False)
    migrate_to(database, "0003")
    for text, intent in (("does insurance cover the flight", "ask_costs"), ("can the parrot visit", "out_of_scope"),
                         ("is 37.9 a fever", None)):
        database.insert(unanswered, {"at": "2026-01-01T10:00:00", "clinic": "demo", "lang": "en", "text": text,
                                     "sender": "s1", "intent": intent, "confidence": 0.8})
    upgrade(database)
    assert current(database) == head()
    assert database.query("select text from unanswered order by id") == [{"text": "can the parrot visit"},
                                                                         {"text": "is 37.9 a fever"}]
    assert [row["text"] for row in UnansweredLog(database).open_rows("demo")] == ["can the parrot visit",
                                                                                  "is 37.9 a fever"]
    database.dispose()


def test_a_postgresql_connection_is_pinged_only_after_idling_and_replaced_when_dead(postgres, monkeypatch):
    """A connection used a moment ago goes straight to work (no round trip more per query);
    one that idled is pinged first, and one the server closed meanwhile is replaced, so a
    PostgreSQL restart at night costs nobody a failed turn."""
    db = open_database(postgres.database())
    pings = []
    do_ping = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda connection: pings.append(1) or do_ping(connection))
    db.scalar("select 1")
    db.scalar("select 1")
    assert pings == []
    pid = db.scalar("select pg_backend_pid()")
    with open_database(postgres.database(), migrate=False).engine.begin() as other:
        other.exec_driver_sql(f"select pg_terminate_backend({pid})")  # as a restart would
    monkeypatch.setattr("bot.storage.database.IDLE_PING_SECONDS", 0.0)
    assert db.scalar("select 1") == 1 and pings
    db.dispose()
