"""Invitations: single-use links that let a user choose a password."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from decisions import events, secret_links
from decisions.access import require_secretariat
from decisions.clock import now as clock_now
from decisions.credential_models import Invitation
from decisions.errors import NotInvitable
from decisions.models import User
from decisions.unit_of_work import unit_of_work
from decisions.users import get_user

#: how long a set-password link stays valid
INVITATION_DAYS = 14


def invite(session: Session, user: User, now: datetime | None = None) -> str:
    """A set-password link's token for ``user`` (stored hashed); the caller commits, so
    that an invitation made while a round closes is part of that transaction."""
    valid_for = timedelta(days=INVITATION_DAYS)
    return secret_links.new_link(session, Invitation, user, valid_for, now or clock_now())[1]


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
        secret_links.end_links(session, Invitation, user, moment)
        token = invite(session, user, moment)
        events.publish(session, events.UserInvited(user_id=user.id, invitation_token=token))
        return user
