"""Server-side console sessions: the cookie holds only a random token, the database the rest.

The token is stored hashed, so a copy of the database cannot be used to log in. Each session has
its own CSRF token, which every form and every console API call must send back.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import update

from bot import clock
from bot.storage import Database
from bot.storage.schema import sessions

IDLE_MINUTES = 30            # ASVS level 2; a page left open does not count (see `get`)
MAX_HOURS = 12               # one shift


@dataclass(frozen=True)
class Session:
    token_hash: str
    user_id: int
    csrf: str
    lang: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return clock.now()


class Sessions:
    def __init__(self, db: Database):
        self.db = db

    def start(self, user_id: int, lang: str) -> str:
        """A new session for `user_id`; returns the cookie value (shown nowhere else)."""
        token, now = secrets.token_urlsafe(32), _now().isoformat()
        self.db.insert(sessions, {"token_hash": _hash(token), "user_id": user_id,
                                  "csrf": secrets.token_urlsafe(32), "lang": lang,
                                  "created_at": now, "seen_at": now})
        return token

    def get(self, token: Optional[str], touch: bool = True) -> Optional[Session]:
        """The live session for a cookie value; None if expired. Only what a nurse does resets
        the idle timer (`touch`): a page's own background refresh does not."""
        if not token:
            return None
        row = self.db.first("select * from sessions where token_hash = :token_hash", {"token_hash": _hash(token)})
        if row is None:
            return None
        now = _now()
        if (now - dt.datetime.fromisoformat(row["seen_at"]) > dt.timedelta(minutes=IDLE_MINUTES)
                or now - dt.datetime.fromisoformat(row["created_at"]) > dt.timedelta(hours=MAX_HOURS)):
            self.end(token)
            return None
        if touch:
            self._update(row["token_hash"], seen_at=now.isoformat())
        return Session(row["token_hash"], row["user_id"], row["csrf"], row["lang"])

    def set_lang(self, session: Session, lang: str) -> None:
        self._update(session.token_hash, lang=lang)

    def end(self, token: str) -> None:
        self.db.execute("delete from sessions where token_hash = :token_hash", {"token_hash": _hash(token)})

    def end_others(self, user_id: int, keep_token: str) -> None:
        """After a password change: every session of this user but the one in use."""
        self.db.execute("delete from sessions where user_id = :user_id and token_hash != :keep",
                        {"user_id": user_id, "keep": _hash(keep_token)})

    def end_all(self, user_id: int) -> None:
        """After a password change or when an account is disabled."""
        self.db.execute("delete from sessions where user_id = :user_id", {"user_id": user_id})

    def _update(self, token_hash: str, **fields: str) -> None:
        self.db.execute(update(sessions).where(sessions.c.token_hash == token_hash).values(**fields))


def csrf_ok(session: Session, sent: Optional[str]) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf, sent)
