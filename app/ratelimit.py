"""How often one client address may send the public application (by the form or the
API), or ask for a forgotten password's link; how many wrong passwords one account, or
one address, may try: each ``what`` with its own limit.

The attempts are kept in the database, not in a process's memory: under several web
workers (gunicorn -w 4) each would otherwise count on its own and multiply the limit,
and a restart would forget. Only a keyed digest of the address is stored, and only for
as long as the window lasts. Two attempts from one address at the very same moment in
two workers may both be let through; a guard against a flood of forms needs no more.
"""

import hashlib
import hmac
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, select

from app.ratelimit_model import ApplicationAttempt
from decisions.clock import now
from decisions.db import db

_PERIODS = {
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
}
_RATE = re.compile(
    r"^\s*(\d+)\s*(?:per|/)\s*(\d+\s*)?(second|minute|hour|day)s?\s*$", re.IGNORECASE
)
#: the public application's config key and its default, per client address
CONFIG_KEY = "ACCORD_APPLY_RATE"
DEFAULT_RATE = "5 per hour"
#: what is limited: its config key and default rate, per client address
LIMITS = {
    "apply": (CONFIG_KEY, DEFAULT_RATE),
    "password_reset": ("ACCORD_PASSWORD_RESET_RATE", "5 per hour"),
    # wrong passwords, counted for the account tried and for the address trying
    "login_account": ("ACCORD_LOGIN_RATE", "10 per 15 minutes"),
    "login_address": ("ACCORD_LOGIN_RATE", "10 per 15 minutes"),
}


@dataclass(frozen=True)
class Rate:
    limit: int
    period: timedelta


def parse_rate(text: str, key: str = CONFIG_KEY) -> Rate:
    """'5 per hour', '5/hour', '10 per 15 minutes' → Rate; anything else is a
    configuration error."""
    match = _RATE.match(str(text))
    periods = int(match.group(2) or 1) if match else 0
    if not match or int(match.group(1)) < 1 or periods < 1:
        raise ValueError(f"{key} must read like '5 per hour', not {text!r}")
    return Rate(int(match.group(1)), _PERIODS[match.group(3).lower()] * periods)


def rate_of(config: Mapping[str, Any], what: str) -> Rate:
    key, default = LIMITS[what]
    return parse_rate(config.get(key) or default, key)


def init_app(app: Flask) -> None:
    """Check the configured rates at start-up, so a typo fails then and not on a request."""
    for what in LIMITS:
        rate_of(app.config, what)


def refuse(address: str | None, what: str = "apply") -> float | None:
    """Count one sending of ``what`` from ``address`` and return None; or, when the
    address has reached the limit, count nothing and return the seconds until the next
    would be accepted. Refused sendings count too: the limit guards the server, not
    the register. Commits."""
    wait = waiting(address, what)
    if wait is None:
        count(address, what)
    db.session.commit()
    return wait


def waiting(sender: str | None, what: str) -> float | None:
    """None while ``sender`` (an address, an account) is under the limit of ``what``;
    else the seconds until it is again. Counts nothing; forgets attempts that have
    left the window."""
    rate = rate_of(current_app.config, what)
    moment = now()
    start = moment - rate.period
    session = db.session
    # Every sender's old attempts go, so the table holds only the current window.
    session.execute(
        delete(ApplicationAttempt).where(
            ApplicationAttempt.what == what, ApplicationAttempt.sent_at <= start
        )
    )
    latest = session.scalars(
        select(ApplicationAttempt.sent_at)
        .where(
            ApplicationAttempt.what == what,
            ApplicationAttempt.sender == _digest(sender or "unknown"),
            ApplicationAttempt.sent_at > start,
        )
        .order_by(ApplicationAttempt.sent_at.desc())
        .limit(rate.limit)
    ).all()
    if len(latest) < rate.limit:
        return None
    # The next is accepted once the limit-th latest attempt has left the window.
    wait = (latest[-1] + rate.period - moment).total_seconds()
    return float(max(1, math.ceil(wait)))


def count(sender: str | None, what: str) -> None:
    """One more attempt of ``what`` by ``sender``; the caller commits."""
    db.session.add(
        ApplicationAttempt(what=what, sender=_digest(sender or "unknown"), sent_at=now())
    )


def _digest(address: str) -> str:
    """Keyed with the secret key: a plain hash of an IPv4 address is undone by trying
    all four billion."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()
