"""The forgotten password: a single-use link, e-mailed to the account's address, that
expires after a few hours and lets its reader choose a new password.

Whoever asks learns nothing of whether an account uses the address: ``start`` makes a
link only for an active account, and the page answers the same either way. Only the
SHA-256 of the token in the link is stored.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import invitations, tokens, users
from decisions.clock import now as clock_now
from decisions.credential_models import PasswordReset
from decisions.errors import InvitationInvalid
from decisions.models import User
from decisions.unit_of_work import unit_of_work

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
    moment = now or clock_now()
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(
        user_id=user.id,
        token_hash=tokens.token_digest(token),
        created_at=moment,
        expires_at=moment + timedelta(hours=RESET_HOURS),
    )
    session.add(reset)
    session.flush()
    return reset, token


def reset_by_token(
    session: Session, token: str, now: datetime | None = None, *, lock: bool = False
) -> PasswordReset | None:
    """The reset link ``token`` names, when it is unused, unexpired and its account
    active; else None. With ``lock``, its row stays locked until the commit, so that a
    link used twice at once is used once."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    query = select(PasswordReset).where(PasswordReset.token_hash == tokens.token_digest(token))
    reset = session.scalar(query.with_for_update(of=PasswordReset) if lock else query)
    if reset is None or reset.used_at is not None:
        return None
    if reset.expires_at <= (now or clock_now()) or not reset.user.active:
        return None
    return reset


def reset_password(
    session: Session, token: str, password: str, now: datetime | None = None
) -> User:
    """Set the password the link's reader chose. The link then works no more, nor does
    any other reset link or invitation of the user; their other sessions end."""
    with unit_of_work(session):
        moment = now or clock_now()
        reset = reset_by_token(session, token, moment, lock=True)
        if reset is None:
            raise InvitationInvalid()
        user = reset.user
        invitations.choose_password(session, user, password, moment)
        for pending in session.scalars(
            select(PasswordReset).where(
                PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
            )
        ):
            pending.used_at = moment
        return user
