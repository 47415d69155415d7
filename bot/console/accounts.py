"""Console users: one account per nurse, a role per account, passwords hashed with argon2.

There are no default accounts: the first admin is created on the command line
(`carebot users add NAME --clinic demo --role admin`).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update

from bot import clock
from bot.clock import now_iso
from bot.i18n import N_, translate
from bot.storage import Database
from bot.storage.schema import login_failures, users

# Each role can do what the roles before it can: a reviewer also edits, an admin also reviews.
ROLES = ("editor", "reviewer", "admin")
ROLE_NAMES = {"editor": N_("editor"), "reviewer": N_("reviewer"), "admin": N_("admin")}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 10
# Login throttling: this many failures for one account (or one address) lock it for the window.
# Failed logins slow down the next try, doubling each time, for one account from one address
# (so nobody elsewhere can lock a nurse out of the escalation queue) and, much later, for an
# address trying many accounts (a hospital's NAT puts many nurses behind one address).
FREE_FAILURES = 4               # per account and address, before any wait
FREE_FAILURES_PER_ADDRESS = 50
MAX_WAIT_SECONDS = 15 * 60
FAILURE_MEMORY_MINUTES = 60

_hasher = PasswordHasher()
# Verifying against this when the user does not exist takes as long as a real check, so the
# response time does not tell an attacker which usernames exist.
_DUMMY_HASH = _hasher.hash("not a real password")


class AccountError(ValueError):
    """A username, role or password that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    clinic: str
    role: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


class Accounts:
    def __init__(self, db: Database):
        self.db = db

    def add(self, username: str, clinic: str, role: str, password: str) -> User:
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise AccountError("a username is 2-32 lower-case letters, digits, '.', '_' or '-'")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if self._row(username):
            raise AccountError(f"user {username!r} already exists")
        check_password(password)
        now = now_iso()
        self.db.insert(users, {"username": username, "clinic": clinic, "role": role,
                               "password_hash": _hasher.hash(password), "disabled": 0,
                               "created_at": now, "password_changed_at": now})
        return self.get(username)

    def set_password(self, username: str, password: str) -> None:
        self.store_password(username, prepare_password(password))

    def store_password(self, username: str, password_hash: str) -> None:
        """A hash from `prepare_password` (which is slow on purpose: call it off the event loop)."""
        self._update(self._existing(username)["id"], password_hash=password_hash,
                     password_changed_at=now_iso(), disabled=0)

    def disable(self, username: str) -> None:
        self._update(self._existing(username)["id"], disabled=1)

    def get(self, username: str) -> Optional[User]:
        row = self._row(username)
        return _user(row) if row and not row["disabled"] else None

    def by_id(self, user_id: int) -> Optional[User]:
        row = self.db.first("select * from users where id = :id and disabled = 0", {"id": user_id})
        return _user(row) if row else None

    def all(self) -> list[dict]:
        return self.db.query("select id, username, clinic, role, disabled, created_at from users order by username")

    def any_admin(self) -> bool:
        return self.db.first("select 1 from users where role = 'admin' and disabled = 0 limit 1") is not None

    def authenticate(self, username: str, password: str, address: str) -> Optional[User]:
        """The user if the password is right and the account is not disabled (argon2 here)."""
        username = username.strip().lower()
        row = self._row(username)
        return self._settle(username, row, password, address, _password_matches(row, password))

    async def authenticate_off_loop(self, username: str, password: str, address: str) -> Optional[User]:
        """The same, with argon2's deliberate ~0.1 s of CPU in a worker thread: a login must not
        hold up every family's chat on the gateway's event loop."""
        username = username.strip().lower()
        row = self._row(username)
        matches = await asyncio.to_thread(_password_matches, row, password)
        return self._settle(username, row, password, address, matches)

    def _settle(self, username: str, row: Optional[dict], password: str, address: str, matches: bool) -> Optional[User]:
        ok = matches and row is not None and not row["disabled"]
        if not ok:
            self.db.insert(login_failures, {"at": now_iso(), "username": username, "address": address})
            return None
        if _hasher.check_needs_rehash(row["password_hash"]):
            self._update(row["id"], password_hash=_hasher.hash(password))
        self.db.execute("delete from login_failures where username = :username", {"username": username})
        return _user(row)

    def wait_seconds(self, username: str, address: str) -> int:
        """How long this address must wait before trying this account again (0: it may)."""
        since = (clock.now() - dt.timedelta(minutes=FAILURE_MEMORY_MINUTES)).isoformat(timespec="seconds")
        pair = self.db.first("select count(*) as failures, max(at) as last_at from login_failures "
                             "where username = :username and address = :address and at >= :since",
                             {"username": username.strip().lower(), "address": address, "since": since})
        anyone = self.db.first("select count(*) as failures, max(at) as last_at from login_failures "
                               "where address = :address and at >= :since", {"address": address, "since": since})
        return max(_remaining(pair["failures"], pair["last_at"], FREE_FAILURES),
                   _remaining(anyone["failures"], anyone["last_at"], FREE_FAILURES_PER_ADDRESS))

    def _row(self, username: str) -> Optional[dict]:
        return self.db.first("select * from users where username = :username", {"username": username.strip().lower()})

    def _update(self, user_id: int, **fields: object) -> None:
        self.db.execute(update(users).where(users.c.id == user_id).values(**fields))

    def _existing(self, username: str) -> dict:
        row = self._row(username)
        if row is None:
            raise AccountError(f"no user {username!r}")
        return row


def _remaining(failures: int, last_at: Optional[str], free: int) -> int:
    if failures < free or not last_at:
        return 0
    wait = min(MAX_WAIT_SECONDS, 2 ** (failures - free + 1))
    waited = (clock.now() - dt.datetime.fromisoformat(last_at)).total_seconds()
    return max(0, int(wait - waited + 0.999))


TOO_SHORT = N_("A password needs at least {minimum} characters.")
TOO_EASY = N_("That password is too easy to guess.")
COMMON = N_("That password is on a list of often-used and leaked passwords. Choose another.")


class PasswordError(AccountError):
    """A password that is refused: the message id and values, translated where it is shown."""

    def __init__(self, message: str, **values: object):
        super().__init__(translate("en", message, **values))
        self.message, self.values = message, values


def describe_password_problem(error: AccountError, lang: str) -> str:
    if isinstance(error, PasswordError):
        return translate(lang, error.message, **error.values)
    return str(error)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset:
    """30,000 of the most used passwords, as zxcvbn ships them (offline, no network)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _password_matches(row: Optional[dict], password: str) -> bool:
    try:  # an unknown user costs the same time as a known one
        return _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def prepare_password(password: str) -> str:
    """Check a new password and return its argon2 hash."""
    check_password(password)
    return _hasher.hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PasswordError(TOO_SHORT, minimum=MIN_PASSWORD)
    if password.strip() != password or len(set(password)) < 4:
        raise PasswordError(TOO_EASY)
    squashed = password.lower().replace(" ", "")
    if password.lower() in common_passwords() or squashed in common_passwords():
        raise PasswordError(COMMON)


def _user(row: dict) -> User:
    return User(id=row["id"], username=row["username"], clinic=row["clinic"], role=row["role"])
