"""The one clock the project reads: UTC now, and today's UTC date.

`CAREBOT_CLOCK_OFFSET_DAYS` moves it forward or back (e.g. 31), so that the whole stack can be
run as on another day: the tests use it to show that nothing depends on the day they run.
"""
from __future__ import annotations

import datetime as dt
import os

OFFSET_ENV = "CAREBOT_CLOCK_OFFSET_DAYS"


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=float(os.environ.get(OFFSET_ENV) or 0))


def today() -> dt.date:
    return now().date()


def now_iso(timespec: str = "seconds") -> str:
    return now().isoformat(timespec=timespec)
