"""How often one client address may send the public application form.

Kept in the process's memory, not in the database: Accord runs as one process (the
single-process server that also runs the embedded scheduler), so one counter sees every
request. Under several worker processes each would count on its own and the limit would
be multiplied by their number; a restart forgets the counts. Both are acceptable for a
guard against a flood of forms, which is all this is.
"""

import math
import re
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app

from decisions.clock import now

_PERIODS = {
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
}
_RATE = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)
#: the config key and its default, per client address
CONFIG_KEY = "ACCORD_APPLY_RATE"
DEFAULT_RATE = "5 per hour"
_EXTENSION = "accord_apply_limiter"


@dataclass(frozen=True)
class Rate:
    limit: int
    period: timedelta


def parse_rate(text: str) -> Rate:
    """'5 per hour', '5/hour', '20 per day' → Rate; anything else is a configuration error."""
    match = _RATE.match(str(text))
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"{CONFIG_KEY} must read like '5 per hour', not {text!r}")
    return Rate(int(match.group(1)), _PERIODS[match.group(2).lower()])


class SlidingWindow:
    """At most ``rate.limit`` hits per key within any span of ``rate.period``."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, rate: Rate, moment: datetime) -> float | None:
        """Count a hit for ``key`` and return None; or, when the limit is reached, count
        nothing and return the seconds until the next hit would be accepted."""
        with self._lock:
            self._forget_before(moment - rate.period)
            hits = self._hits.setdefault(key, deque())
            if len(hits) >= rate.limit:
                wait = (hits[0] + rate.period - moment).total_seconds()
                return float(max(1, math.ceil(wait)))
            hits.append(moment)
            return None

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def _forget_before(self, start: datetime) -> None:
        # Every address's old hits go, so memory holds only the current window.
        for key in list(self._hits):
            hits = self._hits[key]
            while hits and hits[0] <= start:
                hits.popleft()
            if not hits:
                del self._hits[key]


def init_app(app: Flask) -> None:
    """Check the configured rate at start-up, so a typo fails then and not on a request."""
    parse_rate(app.config.get(CONFIG_KEY) or DEFAULT_RATE)
    app.extensions[_EXTENSION] = SlidingWindow()


def limiter() -> SlidingWindow:
    window: SlidingWindow = current_app.extensions[_EXTENSION]
    return window


def refuse(address: str | None) -> float | None:
    """Count one application sent from ``address``; the seconds to wait when over the limit."""
    rate = parse_rate(current_app.config.get(CONFIG_KEY) or DEFAULT_RATE)
    return limiter().hit(address or "unknown", rate, now())
