"""`CAREBOT_REDIS_URL`, checked once at start-up: a typo must stop `carebot run` with one clear
line, not turn into a traceback in the middle of a family's conversation.

Rasa's lock store takes a host, port and database, not a URL, so the URL is taken apart here
and the same parts serve the gateway's own Redis client.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote, urlsplit

import redis
import redis.asyncio

# Rasa reads its Redis password from this variable (endpoints.yml names it, so the password is
# written to no file).
PASSWORD_ENV = "CAREBOT_REDIS_PASSWORD"
EXAMPLE = "redis://[user:password@]host[:port][/db], e.g. redis://127.0.0.1:6379/0"


class RedisUrlError(ValueError):
    """CAREBOT_REDIS_URL cannot be used; the message says why (never with the password)."""


@dataclass(frozen=True)
class RedisAddress:
    host: str
    port: int = 6379
    db: int = 0
    username: Optional[str] = None
    password: Optional[str] = None
    tls: bool = False

    def __str__(self) -> str:
        return f"{'rediss' if self.tls else 'redis'}://{self.host}:{self.port}/{self.db}"

    def client(self, timeout: float) -> redis.asyncio.Redis:
        """An asyncio client that gives up after `timeout` seconds, connecting or waiting."""
        return redis.asyncio.Redis(host=self.host, port=self.port, db=self.db, username=self.username,
                                   password=self.password, ssl=self.tls, socket_timeout=timeout,
                                   socket_connect_timeout=timeout)

    def unreachable(self, timeout: float = 2.0) -> Optional[str]:
        """Why this Redis does not answer a PING, or None if it does (a start-up hint)."""
        client = redis.Redis(host=self.host, port=self.port, db=self.db, username=self.username,
                             password=self.password, ssl=self.tls, socket_timeout=timeout,
                             socket_connect_timeout=timeout)
        try:
            client.ping()
        except (redis.RedisError, OSError) as exc:
            return str(exc) or type(exc).__name__
        finally:
            client.close()
        return None


def parse_redis_url(url: str) -> RedisAddress:
    """`redis://user:secret@host:6380/2` → its parts; RedisUrlError for anything else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # e.g. an unclosed "[" of an IPv6 address
        raise RedisUrlError(f"CAREBOT_REDIS_URL is not a URL ({exc}): expected {EXAMPLE}") from None
    if parts.scheme not in ("redis", "rediss"):
        raise RedisUrlError(f"CAREBOT_REDIS_URL must start with redis:// or rediss://: expected {EXAMPLE}")
    if not parts.hostname:
        raise RedisUrlError(f"CAREBOT_REDIS_URL names no host: expected {EXAMPLE}")
    try:
        port = 6379 if parts.port is None else parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise RedisUrlError(f"CAREBOT_REDIS_URL has a bad port (a number from 1 to 65535): "
                            f"expected {EXAMPLE}")
    db_text = parts.path.lstrip("/")
    if not (db_text == "" or db_text.isdigit()) or "/" in db_text:
        raise RedisUrlError(f"CAREBOT_REDIS_URL has a bad database {parts.path!r} (a number, like /0): "
                            f"expected {EXAMPLE}")
    if parts.query or parts.fragment:
        raise RedisUrlError(f"CAREBOT_REDIS_URL takes no options after '?' or '#': expected {EXAMPLE}")
    return RedisAddress(
        host=parts.hostname, port=port, db=int(db_text or 0),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=parts.scheme == "rediss")
