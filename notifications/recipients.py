"""Who receives a notice: the electorate's representatives, the Secretariat, the proposer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVarTuple

from sqlalchemy import Select, String, cast, literal, select
from sqlalchemy.orm import Session

from decisions.deliberation_models import Comment
from decisions.models import Elector, EmailEvents, Partner, Position, Role, User
from decisions.settings import get_partnership
from notifications.messages import Recipient
from notifications.models import InboxEntry, Kind

#: what a user who chose "reminders and outcomes" still receives by e-mail; every other
#: kind (a new comment, …) goes by e-mail only to those who chose every notice
REMINDERS_OUTCOMES = (
    Kind.REMINDER,
    Kind.ROUND_CLOSED,
    #: to the objecting partner, the answer to its objection is as much an outcome
    Kind.OBJECTION_ANSWERED,
)


_Columns = TypeVarTuple("_Columns")

#: what a recipient is read from: a user's columns and their partner's name
UserColumns = Select[int, str, str, Role, str | None, EmailEvents, int | None, str, str | None]


def _recipients(session: Session, query: UserColumns) -> list[Recipient]:
    """The active users ``query`` finds (it selects from ``_users()``), by id. Columns,
    not User objects: a round's electorate may have thousands of representatives."""
    partnership = get_partnership(session)
    zone, language = partnership.time_zone, partnership.language
    rows = session.execute(query.where(User.active.is_(True)).order_by(User.id))
    return [
        Recipient(
            id=row.id,
            email=row.email,
            name=row.name,
            role=row.role,
            zone=row.time_zone or zone,
            email_events=row.email_events,
            partner_id=row.partner_id,
            partner_name=row.partner_name,
            locale=row.locale or language,
        )
        for row in rows
    ]


def _users() -> UserColumns:
    return select(
        User.id,
        User.email,
        User.name,
        User.role,
        User.time_zone,
        User.email_events,
        User.partner_id,
        Partner.name.label("partner_name"),
        User.locale,
    ).outerjoin(Partner, Partner.id == User.partner_id)


def representatives(
    session: Session, round_id: int, partner_ids: Iterable[int] | None = None
) -> list[Recipient]:
    """The active representatives of the round's electorate (or of ``partner_ids`` in it)."""
    query = (
        _users()
        .join(Elector, Elector.partner_id == User.partner_id)
        .where(Elector.round_id == round_id, User.role == Role.PARTNER)
    )
    if partner_ids is not None:
        query = query.where(Elector.partner_id.in_(list(partner_ids)))
    return _recipients(session, query)


def _pending(query: Select[*_Columns], round_id: int) -> Select[*_Columns]:
    """``query`` (from users) narrowed to the active representatives of the round's
    electors that have registered no position in it yet (positions are only ever added:
    any row means the partner has spoken)."""
    spoken = select(Position.id).where(
        Position.round_id == round_id, Position.partner_id == Elector.partner_id
    )
    return query.join(Elector, Elector.partner_id == User.partner_id).where(
        Elector.round_id == round_id,
        User.role == Role.PARTNER,
        User.active.is_(True),
        ~spoken.exists(),
    )


def pending_representatives(session: Session, round_id: int) -> list[Recipient]:
    return _recipients(session, _pending(_users(), round_id))


def any_pending_unnoticed(session: Session, round_id: int, key: tuple[str, str]) -> bool:
    """Whether a pending representative has no notice keyed ``prefix + user id + suffix``
    (``key``): one query, each key found by the inbox's unique index, rather than every
    representative and key read into Python."""
    prefix, suffix = key
    their_key = literal(prefix, String) + cast(User.id, String) + literal(suffix, String)
    noticed = select(InboxEntry.id).where(InboxEntry.key == their_key)
    return bool(
        session.scalar(
            select(_pending(select(User.id), round_id).where(~noticed.exists()).exists())
        )
    )


def secretariat(session: Session) -> list[Recipient]:
    return _recipients(session, _users().where(User.role == Role.SECRETARIAT))


def user(session: Session, user_id: int) -> list[Recipient]:
    """The user, if active, as a list to add to others."""
    return _recipients(session, _users().where(User.id == user_id))


def commenters(session: Session, proposal_id: int, before_id: int) -> list[Recipient]:
    """Whoever commented on the proposal before the comment ``before_id``."""
    earlier = select(Comment.author_id).where(
        Comment.proposal_id == proposal_id, Comment.id < before_id
    )
    return _recipients(session, _users().where(User.id.in_(earlier)))


def partner_representatives(session: Session, partner_id: int) -> list[Recipient]:
    """The active representatives of one partner, whatever its status."""
    return _recipients(
        session, _users().where(User.role == Role.PARTNER, User.partner_id == partner_id)
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
