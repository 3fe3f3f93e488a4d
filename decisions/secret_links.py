"""Single-use links that let their reader choose a password: an invitation (for a user
who has none yet) and a password reset. Both are made, found and used the same way; only
the SHA-256 of the token in the link is stored."""

import secrets
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions.clock import now as clock_now
from decisions.credential_models import Invitation, PasswordReset, SecretLink
from decisions.errors import InvitationInvalid
from decisions.models import User
from decisions.passwords import password_hash, renew_session_token
from decisions.tokens import token_digest
from decisions.unit_of_work import unit_of_work

Link = TypeVar("Link", Invitation, PasswordReset)


def new_link(
    session: Session, kind: type[Link], user: User, valid_for: timedelta, moment: datetime
) -> tuple[Link, str]:
    """A new link for ``user``: its row and its token, which only the e-mail may hold.
    The caller commits."""
    token = secrets.token_urlsafe(32)
    link = kind(
        user_id=user.id,
        token_hash=token_digest(token),
        created_at=moment,
        expires_at=moment + valid_for,
    )
    session.add(link)
    session.flush()
    return link, token


def find(
    session: Session,
    kind: type[Link],
    token: str,
    now: datetime | None = None,
    *,
    lock: bool = False,
) -> Link | None:
    """The link ``token`` names, when it is unused, unexpired and its account active;
    else None. With ``lock``, its row stays locked until the commit, so that a link used
    twice at once is used once."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    query = select(kind).where(kind.token_hash == token_digest(token))
    link = session.scalar(query.with_for_update(of=kind) if lock else query)
    if link is None or link.used_at is not None:
        return None
    if link.expires_at <= (now or clock_now()) or not link.user.active:
        return None
    return link


def use(
    session: Session, kind: type[Link], token: str, password: str, now: datetime | None = None
) -> User:
    """Set the password the link's reader chose; InvitationInvalid when the link is
    unknown, used or expired (perhaps a moment ago, in another tab)."""
    with unit_of_work(session):
        moment = now or clock_now()
        link = find(session, kind, token, moment, lock=True)
        if link is None:
            raise InvitationInvalid()
        choose_password(session, link.user, password, moment)
        return link.user


def choose_password(session: Session, user: User, password: str, moment: datetime) -> None:
    """A password chosen through a link: every open link of the user, of either kind,
    works no more, and the user's sessions end. The caller commits."""
    user.password_hash = password_hash(password)
    renew_session_token(user)
    for kind in (Invitation, PasswordReset):
        end_links(session, kind, user, moment)


def end_links(session: Session, kind: type[SecretLink], user: User, moment: datetime) -> None:
    for pending in session.scalars(
        select(kind).where(kind.user_id == user.id, kind.used_at.is_(None))
    ):
        pending.used_at = moment
