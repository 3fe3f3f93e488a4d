"""Who receives a notice: the electorate's representatives, the Secretariat, the proposer."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from decisions.deliberation_models import Comment
from decisions.models import Elector, EmailEvents, Role, User
from decisions.settings import get_partnership
from notifications.messages import Recipient
from notifications.models import Kind

#: what a user who chose "reminders and outcomes" still receives by e-mail; every other
#: kind (a new comment, …) goes by e-mail only to those who chose every notice
REMINDERS_OUTCOMES = (
    Kind.REMINDER,
    Kind.ROUND_CLOSED,
    #: to the objecting partner, the answer to its objection is as much an outcome
    Kind.OBJECTION_ANSWERED,
)


def _recipients(session: Session, query: Select[User]) -> list[Recipient]:
    partnership = get_partnership(session)
    zone = partnership.time_zone
    users = session.scalars(query.where(User.active.is_(True)).order_by(User.id)).all()
    return [
        Recipient(
            id=user.id,
            email=user.email,
            name=user.name,
            role=user.role,
            zone=user.time_zone or zone,
            email_events=user.email_events,
            partner_id=user.partner_id,
            partner_name=user.partner.name if user.partner else None,
            locale=user.locale or partnership.language,
        )
        for user in users
    ]


def representatives(
    session: Session, round_id: int, partner_ids: Iterable[int] | None = None
) -> list[Recipient]:
    """The active representatives of the round's electorate (or of ``partner_ids`` in it)."""
    query = (
        select(User)
        .join(Elector, Elector.partner_id == User.partner_id)
        .where(Elector.round_id == round_id, User.role == Role.PARTNER)
    )
    if partner_ids is not None:
        query = query.where(Elector.partner_id.in_(list(partner_ids)))
    return _recipients(session, query)


def secretariat(session: Session) -> list[Recipient]:
    return _recipients(session, select(User).where(User.role == Role.SECRETARIAT))


def user(session: Session, user_id: int) -> list[Recipient]:
    """The user, if active, as a list to add to others."""
    return _recipients(session, select(User).where(User.id == user_id))


def commenters(session: Session, proposal_id: int, before_id: int) -> list[Recipient]:
    """Whoever commented on the proposal before the comment ``before_id``."""
    earlier = select(Comment.author_id).where(
        Comment.proposal_id == proposal_id, Comment.id < before_id
    )
    return _recipients(session, select(User).where(User.id.in_(earlier)))


def partner_representatives(session: Session, partner_id: int) -> list[Recipient]:
    """The active representatives of one partner, whatever its status."""
    return _recipients(
        session, select(User).where(User.role == Role.PARTNER, User.partner_id == partner_id)
    )


def each_once(*groups: list[Recipient]) -> list[Recipient]:
    seen: dict[int, Recipient] = {}
    for group in groups:
        for recipient in group:
            seen.setdefault(recipient.id, recipient)
    return list(seen.values())


def wants_email(recipient: Recipient, kind: Kind) -> bool:
    """Whether the recipient's preference lets this kind of notice go out by e-mail
    (reminders to a partner nobody else hears for are decided in reminders.py)."""
    if recipient.email_events == EmailEvents.ALL:
        return True
    if recipient.email_events == EmailEvents.REMINDERS_OUTCOMES:
        return kind in REMINDERS_OUTCOMES
    return False
