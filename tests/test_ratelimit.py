"""The sliding-window rate limiter and its configuration."""
from __future__ import annotations

import pytest

from bot.gateway.ratelimit import SlidingWindowLimiter, parse_limits


def test_parse_limits():
    assert parse_limits("sender=20/60,address=120/60") == {"sender": (20, 60.0), "address": (120, 60.0)}
    assert parse_limits("off") == {}
    with pytest.raises(ValueError, match="bad rate limit"):
        parse_limits("everyone=lots")
    for spec in ("sender=0/60", "sender=5/0", "sender=5/x", "address=3/inf"):
        with pytest.raises(ValueError, match="bad rate limit"):  # a limit of nothing would refuse every family
            parse_limits(spec)


def test_window_slides_and_retry_after_counts_down():
    now = [0.0]
    limiter = SlidingWindowLimiter(2, 10, clock=lambda: now[0])
    assert limiter.check("a") is None and limiter.check("a") is None
    assert limiter.check("a") == 10
    assert limiter.check("b") is None  # keys are independent
    now[0] = 6.0
    assert limiter.check("a") == 4
    now[0] = 10.0
    assert limiter.check("a") is None
