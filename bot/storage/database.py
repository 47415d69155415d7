"""The one database object of a process: SQLite by default, PostgreSQL for several servers.

`open_database(url)` connects, brings the schema up to date (Alembic migrations, run under a lock
so that processes starting together do not race) and returns a `Database`. Stores receive it and
never create tables themselves.

Transactions: `db.begin()` is a write transaction. Calls nested on the same thread join the
outer one, so a store's change and the audit entry it logs commit or fail together. On SQLite a
write transaction takes the write lock at once (`BEGIN IMMEDIATE`): a transaction that read first
and locked later could fail instead of waiting its turn.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, ContextManager, Iterator, Mapping, Optional, Union

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import QueuePool, StaticPool
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.schema import Table

Statement = Union[str, ClauseElement]
BUSY_TIMEOUT_SECONDS = 10
IDLE_PING_SECONDS = 2.0  # a pooled PostgreSQL connection idle this long is pinged before use


class DatabaseError(RuntimeError):
    """A database URL that cannot be used (unknown kind, unreachable server)."""


class Database:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._local = threading.local()

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`: the few queries that differ (full-text search) ask this."""
        return self.engine.dialect.name

    def begin(self) -> ContextManager[Connection]:
        """A write transaction, or the one already open on this thread."""
        return self._transaction(write=True)

    def _reading(self) -> ContextManager[Connection]:
        return self._transaction(write=False)

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        current: Optional[Connection] = getattr(self._local, "connection", None)
        if current is not None:
            yield current
            return
        with self.engine.connect() as connection:
            connection = connection.execution_options(write_lock=write)
            with connection.begin():
                self._local.connection = connection
                try:
                    yield connection
                finally:
                    self._local.connection = None

    def query(self, statement: Statement, params: Optional[Mapping[str, Any]] = None) -> list[dict]:
        """All rows, as dicts."""
        with self._reading() as connection:
            return [dict(row._mapping) for row in connection.execute(_statement(statement), params or {})]

    def first(self, statement: Statement, params: Optional[Mapping[str, Any]] = None) -> Optional[dict]:
        rows = self.query(statement, params)
        return rows[0] if rows else None

    def scalar(self, statement: Statement, params: Optional[Mapping[str, Any]] = None) -> Any:
        with self._reading() as connection:
            return connection.execute(_statement(statement), params or {}).scalar()

    def execute(self, statement: Statement, params: Optional[Mapping[str, Any]] = None) -> int:
        """Run a change; returns how many rows it touched."""
        with self.begin() as connection:
            return connection.execute(_statement(statement), params or {}).rowcount

    def insert(self, table: Table, row: Mapping[str, Any]) -> Any:
        """Insert one row; returns its primary key (the new id)."""
        with self.begin() as connection:
            key = connection.execute(table.insert().values(**row)).inserted_primary_key
            return key[0] if len(key) == 1 else tuple(key)

    def upsert(self, table: Table, row: Mapping[str, Any]) -> None:
        """Insert one row, or update the row with the same primary key."""
        insert = (postgresql_insert if self.dialect == "postgresql" else sqlite_insert)(table).values(**row)
        keys = [column.name for column in table.primary_key.columns]
        changes = {name: insert.excluded[name] for name in row if name not in keys}
        statement = insert.on_conflict_do_update(index_elements=keys, set_=changes) if changes \
            else insert.on_conflict_do_nothing(index_elements=keys)
        with self.begin() as connection:
            connection.execute(statement)

    def has_table(self, name: str) -> bool:
        """For Rasa's `events` table, which exists once a Rasa server has started."""
        with self.engine.connect() as connection:
            return inspect(connection).has_table(name)

    def dispose(self) -> None:
        self.engine.dispose()


def _statement(statement: Statement) -> ClauseElement:
    return text(statement) if isinstance(statement, str) else statement


def display_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_url(path: Union[Path, str]) -> str:
    return "sqlite://" if str(path) == ":memory:" else f"sqlite:///{Path(path)}"


@lru_cache(maxsize=None)
def database_for(url: str) -> Database:
    """The process's one database for `url`, for code that has only the settings (training,
    the deployed-model record); the gateway, the actions and the worker hold theirs in `Stores`."""
    return open_database(url)


def open_database(url: str, migrate: bool = True) -> Database:
    """Connect to `url` (`sqlite:///path`, `sqlite://` for memory, `postgresql://…`) and bring
    its schema up to date."""
    database = Database(_engine(url))
    if migrate:
        from bot.storage.migrations import upgrade
        upgrade(database)
    return database


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, future=True, pool_size=5, max_overflow=10,
                               connect_args={"connect_timeout": BUSY_TIMEOUT_SECONDS})
        _ping_when_idle(engine)
        return engine
    raise DatabaseError(f"CAREBOT_DATABASE_URL must start with sqlite:// or postgresql://, not {parsed.drivername}://")


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled PostgreSQL connection before use only when it has been idle a while: one
    that did not answer (the server restarted meanwhile) is replaced. SQLAlchemy's
    `pool_pre_ping` pings before every use — a round trip more per query, measured at a tenth
    of the gateway's time a turn under load — though a connection used a moment ago is alive."""

    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) >= IDLE_PING_SECONDS \
                and not engine.dialect.do_ping(dbapi_connection):
            raise DisconnectionError("the database closed this connection")  # the pool opens another


def _sqlite_engine(url) -> Engine:
    memory = url.database in (None, "", ":memory:")
    if not memory:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # Connections are kept (SQLAlchemy 2's default for SQLite files): opening one per query
    # measured 0.54 ms per read and 4.5 ms per insert, against 0.12 and 1.1 ms kept.
    engine = create_engine(url, future=True, poolclass=StaticPool if memory else QueuePool,
                           connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        # SQLAlchemy, not the sqlite3 module, decides when a transaction begins (see `_begin`).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")  # readers never block the writer
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql(
            "BEGIN IMMEDIATE" if connection.get_execution_options().get("write_lock") else "BEGIN")

    return engine
