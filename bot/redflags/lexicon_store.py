"""The red-flag lexicon in the shared database, so that every server on every machine uses the
same one: `carebot content import` stores content/redflags.yml (`store_lexicon`), and each
process's detector follows the newest stored row (`LexiconSource`).

Alerts must never wait for, or stop because of, the database: the look for a newer row runs in a
background thread at most every LEXICON_CHECK_SECONDS, a message is always assessed with the
detector already built, and while the database has no lexicon or cannot be read the lexicon read
before (or the file) serves.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from pathlib import Path
from typing import Callable, Optional

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.clock import now_iso
from bot.redflags.detector import LEXICON_FILE, Detector, detector
from bot.redflags.lexicon import lexicon_from_text
from bot.redflags.second_opinion import second_opinion, urgency_opinion
from bot.settings import database_url
from bot.storage import Database, database_for
from bot.storage.schema import lexicons

LEXICON_CHECK_SECONDS = 5      # how often a process looks for a newer lexicon in the database
log = logging.getLogger("carebot.redflags")


def store_lexicon(database: Database, text: str) -> bool:
    """Store this lexicon text as the newest row unless it is already that; True when stored.
    A lexicon that does not validate raises LexiconError and nothing is stored."""
    lexicon_from_text(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with database.begin():
        newest = database.scalar(select(lexicons.c.digest).order_by(lexicons.c.id.desc()).limit(1))
        if newest == digest:
            return False
        database.insert(lexicons, {"text": text, "digest": digest, "imported_at": now_iso()})
    return True


class LexiconSource:
    """The detector of the newest `lexicons` row, rebuilt only when its digest changes.

    `background=False` looks in the calling thread (tests, with a `clock` they move by hand)."""

    def __init__(self, database: Callable[[], Optional[Database]], file: Path = LEXICON_FILE,
                 check_seconds: float = LEXICON_CHECK_SECONDS, clock: Callable[[], float] = time.monotonic,
                 background: bool = True):
        self.database, self.file, self.check_seconds, self.clock = database, file, check_seconds, clock
        self.background = background
        self.current: Optional[tuple[str, Detector]] = None  # (digest, detector) of the newest row
        self.checked_at: Optional[float] = None
        self.warned = False
        self.lock = threading.Lock()

    def detector(self) -> Detector:
        with self.lock:
            due = self.checked_at is None or self.clock() - self.checked_at >= self.check_seconds
            if due:
                self.checked_at = self.clock()
        if due:
            if self.background:
                threading.Thread(target=self.refresh, name="lexicon-check", daemon=True).start()
            else:
                self.refresh()
        current = self.current
        return current[1] if current is not None else detector(self.file)

    def refresh(self) -> None:
        """Look for a newer lexicon now; never raises (whatever fails, the detector in use stays)."""
        try:
            database = self.database()
            newest = database and database.first(
                select(lexicons.c.id, lexicons.c.digest).order_by(lexicons.c.id.desc()).limit(1))
            if not newest:
                self._warn("no lexicon in the database yet (`carebot content import` stores it)")
            elif self.current is None or self.current[0] != newest["digest"]:
                text = database.scalar(select(lexicons.c.text).where(lexicons.c.id == newest["id"]))
                self.current = (newest["digest"], Detector(lexicon_from_text(text), second_opinion(), urgency_opinion()))
                self.warned = False
        except Exception as exc:  # noqa: BLE001 - whatever fails, red flags are still detected
            self._warn(f"cannot read the lexicon from the database ({exc})")

    def _warn(self, problem: str) -> None:
        if not self.warned:
            self.warned = True
            using = "the lexicon read before" if self.current else str(self.file)
            log.warning("red flags: %s; using %s", problem, using)


_sources: dict[str, LexiconSource] = {}
_sources_lock = threading.Lock()


def shared_detector() -> Detector:
    """The detector of the lexicon stored in this process's database (the settings' URL)."""
    env = os.environ  # (not load_settings(): this runs for every message)
    url = database_url(env.get("CAREBOT_DATABASE_URL"), env.get("CAREBOT_DB"), env.get("CAREBOT_VAR"))
    source = _sources.get(url)
    if source is None:
        with _sources_lock:
            source = _sources.setdefault(url, LexiconSource(lambda: _existing_database(url)))
    return source.detector()


def _existing_database(url: str) -> Optional[Database]:
    """The process's database, but never a new empty SQLite file just to find no lexicon in it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (parsed.database and Path(parsed.database).is_file()):
        return None
    return database_for(url)
