"""Signing in is throttled: after ACCORD_LOGIN_RATE wrong passwords (10 in 15 minutes)
on one account, or from one address, every attempt is refused until the window passes,
the right password too, so that guessing gains nothing from trying faster.

Counted in the database (app/ratelimit.py), so every worker sees the same
count. Only failures count, and a success resets nothing: signing in from one address
does not lift the pause that another address earned.
"""

from app import ratelimit
from decisions.db import db


def wait(account: str, address: str | None) -> float | None:
    """Seconds until this account may be tried from this address again; None: now."""
    waits = [
        ratelimit.waiting(account, "login_account"),
        ratelimit.waiting(address, "login_address"),
    ]
    paused = [seconds for seconds in waits if seconds is not None]
    return max(paused) if paused else None


def failed(account: str, address: str | None) -> None:
    """One wrong password more, for the account and for the address. Commits."""
    ratelimit.count(account, "login_account")
    ratelimit.count(address, "login_address")
    db.session.commit()
