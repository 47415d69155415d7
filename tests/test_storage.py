"""The storage layer on both engines: migrations build exactly the schema, run once, adopt a
database made before they existed, and transactions nest."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import DBAPIError
from sqlite_utils import Database as SqliteUtilsDatabase

from bot.storage import DatabaseError, open_database, sqlite_url
from bot.storage.migrations import current, head
from bot.storage.schema import audit, clinics, metadata, users


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
