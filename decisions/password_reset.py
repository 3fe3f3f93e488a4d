"""The forgotten password: a single-use link, e-mailed to the account's address, that
expires after a few hours and lets its reader choose a new password.

Whoever asks learns nothing of whether an account uses the address: ``start`` makes a
link only for an active account, and the page answers the same either way. Only the
SHA-256 of the token in the link is stored.
"""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import secret_links, users
from decisions.clock import now as clock_now
from decisions.credential_models import PasswordReset
from decisions.models import User

#: how long a reset link stays valid
RESET_HOURS = 2


def start(
    session: Session, email: str, now: datetime | None = None
) -> tuple[PasswordReset, str] | None:
    """A new reset link for the active account that uses ``email``: its row and its
    token, which only the e-mail may hold; None when no active account uses it. A
    malformed address is an InvalidInput. The caller mails the link and commits."""
    address = users.normalise_email(email)
    user = session.scalar(select(User).where(User.email == address, User.active.is_(True)))
    if user is None:
        return None
    valid_for = timedelta(hours=RESET_HOURS)
    return secret_links.new_link(session, PasswordReset, user, valid_for, now or clock_now())
