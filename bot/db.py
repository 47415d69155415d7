"""Opening the one SQLite file that the gateway, the actions and the CLI share."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database


def open_db(path: Path | str) -> Database:
    """Open (creating if needed) the database in WAL mode, so readers never block the writer."""
    if str(path) == ":memory:":
        return Database(memory=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
    db = Database(conn)
    db.enable_wal()
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA foreign_keys = ON")
    return db
