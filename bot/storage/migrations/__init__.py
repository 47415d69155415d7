"""Versioned schema changes (Alembic), applied when a process opens the database.

A new change: `alembic -c bot/storage/migrations/alembic.ini revision -m "what changes"` (or
`--autogenerate` against a migrated database after editing `bot/storage/schema.py`), then edit the
file in `versions/`. Both SQLite and PostgreSQL must be handled; `tests/test_storage.py` checks that
a migrated database matches the schema on both.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.storage.database import Database

HERE = Path(__file__).parent
# Any constant: PostgreSQL's advisory lock that lets one process migrate while the others wait.
MIGRATION_LOCK = 72_331_905


def config() -> Config:
    alembic = Config(str(HERE / "alembic.ini"))
    alembic.set_main_option("script_location", str(HERE))
    return alembic


def head() -> str:
    return ScriptDirectory.from_config(config()).get_current_head()


def current(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database) -> None:
    """Migrate to the newest schema; a database already there costs one small query."""
    if current(database) == head():
        return
    with database.begin() as connection:
        if database.dialect == "postgresql":
            connection.exec_driver_sql(f"select pg_advisory_xact_lock({MIGRATION_LOCK})")
        alembic = config()
        alembic.attributes["connection"] = connection
        command.upgrade(alembic, "head")
