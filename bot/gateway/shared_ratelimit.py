"""Sliding-window rate limits counted in Redis, so that every gateway spends one budget.

The semantics and the Retry-After are those of `SlidingWindowLimiter`: one sorted set of hit
times per key, trimmed, counted and added to by one Lua script (atomic: two gateways cannot both
take the last place), on Redis's clock, so that gateways on several machines agree. A refused
request is not counted, and a key expires one window after its last hit.

If Redis does not answer, the request is counted in this process instead: a parent at night
must still reach the assistant, and a few requests over the limit are the lesser harm.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Callable, Dict, Optional, Tuple

import redis.asyncio
from redis.exceptions import RedisError

from bot.gateway.ratelimit import SlidingWindowLimiter

log = logging.getLogger("carebot.gateway")

KEY_PREFIX = "carebot:rate:"
TIMEOUT_SECONDS = 0.5        # a rate check waits no longer for Redis
RETRY_REDIS_SECONDS = 5.0    # after a failure, how long to count in-process before trying again

# KEYS[1]: the key; ARGV: limit, window (s), a unique member, now (s; empty: Redis's clock).
# Returns 0 if allowed (and recorded), else the seconds to wait.
SCRIPT = """
local key, limit, window, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local now = tonumber(ARGV[4])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  return math.max(1, math.ceil(oldest + window - now))
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, math.ceil(window * 1000))
return 0
"""


class RedisHealth:
    """Whether a gateway's Redis answered lately: shared by its limiters, so that an outage
    costs one failed attempt per pause and one warning, not one per request."""

    def __init__(self, retry_seconds: float = RETRY_REDIS_SECONDS):
        self.retry_seconds = retry_seconds
        self.down_until: Optional[float] = None  # time.monotonic(); None while Redis answers

    def usable(self) -> bool:
        return self.down_until is None or time.monotonic() >= self.down_until

    def failed(self, error: BaseException) -> None:
        if self.down_until is None:
            log.warning("Redis does not answer (%s): rate limits are counted in this gateway "
                        "alone until it does", str(error) or type(error).__name__)
        self.down_until = time.monotonic() + self.retry_seconds

    def answered(self) -> None:
        if self.down_until is not None:
            log.warning("Redis answers again: rate limits are shared again")
            self.down_until = None


class SharedSlidingWindowLimiter:
    """`limit` requests per `window` seconds per key, counted in Redis under `carebot:rate:NAME:`."""

    def __init__(self, client: redis.asyncio.Redis, name: str, limit: int, window: float,
                 health: Optional[RedisHealth] = None, clock: Optional[Callable[[], float]] = None):
        self.prefix = f"{KEY_PREFIX}{name}:"
        self.limit, self.window = limit, window
        self.script = client.register_script(SCRIPT)
        self.health = health or RedisHealth()
        self.clock = clock  # None: Redis's clock (tests pass their own)
        self.fallback = SlidingWindowLimiter(limit, window, clock or time.monotonic)

    async def check(self, key: str) -> Optional[int]:
        """Record a hit; return None if allowed, else the seconds to wait (Retry-After)."""
        if not self.health.usable():
            return self.fallback.check(key)
        now = "" if self.clock is None else repr(self.clock())
        try:
            wait = await self.script(keys=[self.prefix + key],
                                     args=[self.limit, repr(float(self.window)), uuid.uuid4().hex, now])
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            self.health.failed(exc)
            return self.fallback.check(key)
        self.health.answered()
        return int(wait) or None


def shared_limiters(client: redis.asyncio.Redis, limits: Dict[str, Tuple[int, float]],
                    health: Optional[RedisHealth] = None) -> Dict[str, SharedSlidingWindowLimiter]:
    """One limiter per configured limit (see `parse_limits`), all watching one Redis."""
    health = health or RedisHealth()
    return {name: SharedSlidingWindowLimiter(client, name, count, seconds, health)
            for name, (count, seconds) in limits.items()}
