"""Sliding-window rate limits per conversation and per client address (in memory).

One gateway process holds the counts; with CAREBOT_REDIS_URL, several gateways share them in
Redis instead (shared_ratelimit.py, which falls back to this one when Redis does not answer).
Configured as `sender=20/60,address=120/60` (requests per seconds), or `off` for benchmarks.
"""
from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from typing import Callable, Dict, Optional, Tuple


def parse_limits(spec: str) -> Dict[str, Tuple[int, float]]:
    """`"sender=20/60,address=120/60"` → `{"sender": (20, 60.0), ...}`; `"off"` → `{}`."""
    if spec.strip().lower() in ("off", "0", "false", "no"):
        return {}
    limits = {}
    for part in spec.split(","):
        name, _, rate = part.strip().partition("=")
        bad = ValueError(f"bad rate limit {part!r}: expected sender=N/SECONDS or address=N/SECONDS, N and SECONDS above 0")
        count, _, seconds = rate.partition("/")
        if name not in ("sender", "address") or not count.isdigit() or int(count) < 1:
            raise bad
        try:
            window = float(seconds or 60)
        except ValueError:
            window = 0.0
        if not 0 < window < float("inf"):
            raise bad
        limits[name] = (int(count), window)
    return limits


class SlidingWindowLimiter:
    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.hits: Dict[str, deque] = defaultdict(deque)

    def check(self, key: str) -> Optional[int]:
        """Record a hit; return None if allowed, else the seconds to wait (Retry-After)."""
        now, hits = self.clock(), self.hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        if len(self.hits) > 50_000:  # forget idle keys so memory stays bounded
            self._forget_idle(now)
        return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self.hits.items() if not v or v[-1] <= now - self.window]:
            del self.hits[key]
