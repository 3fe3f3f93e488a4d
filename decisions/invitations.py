"""Invitations: single-use links that let a user choose a password."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import events
from decisions.access import require_secretariat
from decisions.clock import now as clock_now
from decisions.credential_models import Invitation
from decisions.errors import InvitationInvalid, NotInvitable
from decisions.models import User
from decisions.passwords import password_hash, renew_session_token
from decisions.tokens import token_digest
from decisions.unit_of_work import unit_of_work
from decisions.users import get_user

#: how long a set-password link stays valid
INVITATION_DAYS = 14


def invite(session: Session, user: User, now: datetime | None = None) -> str:
    """A set-password link's token for ``user`` (stored hashed); the caller commits, so
    that an invitation made while a round closes is part of that transaction."""
    moment = now or clock_now()
    token = secrets.token_urlsafe(32)
    session.add(
        Invitation(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=moment,
            expires_at=moment + timedelta(days=INVITATION_DAYS),
        )
    )
    session.flush()
    return token


def invitation_by_token(
    session: Session, token: str, now: datetime | None = None
) -> Invitation | None:
    """The invitation ``token`` names, when it is unused and unexpired; else None."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None or invitation.used_at is not None:
        return None
    if invitation.expires_at <= (now or clock_now()) or not invitation.user.active:
        return None
    return invitation


def accept_invitation(
    session: Session, token: str, password: str, now: datetime | None = None
) -> User:
    """Set the invited user's password; the link then works no more, nor do the user's
    other open invitations."""
    with unit_of_work(session):
        moment = now or clock_now()
        invitation = invitation_by_token(session, token, moment)
        if invitation is None:
            raise InvitationInvalid()
        user = invitation.user
        choose_password(session, user, password, moment)
        return user


def choose_password(session: Session, user: User, password: str, moment: datetime) -> None:
    """A password chosen through a link (an invitation, a password reset): the user's
    sessions end, and so do their open invitations. The caller commits."""
    user.password_hash = password_hash(password)
    renew_session_token(user)
    _end_invitations(session, user, moment)


def invite_again(
    session: Session, actor: User | None, user_id: int, now: datetime | None = None
) -> User:
    """A new set-password link for an active user who has none yet: an admitted
    partner's contact whose link expired, or a user added without a password. The
    earlier links stop working; the new one is e-mailed (see notifications)."""
    with unit_of_work(session):
        require_secretariat(actor)
        user = get_user(session, user_id, lock=True)
        if not user.active or user.password_hash:
            raise NotInvitable()
        moment = now or clock_now()
        _end_invitations(session, user, moment)
        token = invite(session, user, moment)
        events.publish(session, events.UserInvited(user_id=user.id, invitation_token=token))
        return user


def _end_invitations(session: Session, user: User, moment: datetime) -> None:
    for pending in session.scalars(
        select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ):
        pending.used_at = moment
