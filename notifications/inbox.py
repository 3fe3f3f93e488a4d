"""The in-app inbox: every notice of a user, newest first, until they mark it read."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from decisions.clock import now as clock_now
from decisions.errors import NotFound
from decisions.lookup import is_row_id
from decisions.models import User
from decisions.paging import Page, paginate
from notifications.models import InboxEntry

PER_PAGE = 50


def notifications_of(
    session: Session, user: User, page: object = 1, per_page: object = None
) -> Page[InboxEntry]:
    """One page of the user's notices, newest first. Each has ``id, kind, subject, body,
    created_at, read_at`` (and ``link``)."""
    return paginate(
        session,
        select(InboxEntry)
        .where(InboxEntry.user_id == user.id)
        .order_by(InboxEntry.created_at.desc(), InboxEntry.id.desc()),
        page,
        per_page,
        default_per_page=PER_PAGE,
    )


def unread_count(session: Session, user_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(InboxEntry)
            .where(InboxEntry.user_id == user_id, InboxEntry.read_at.is_(None))
        )
        or 0
    )


def mark_read(session: Session, user: User, entry_id: object, now: datetime | None = None) -> None:
    """Mark one of the user's notices read; another user's is not found."""
    entry = session.get(InboxEntry, entry_id) if is_row_id(entry_id) else None
    if entry is None or entry.user_id != user.id:
        raise NotFound(_l("No such notice."))
    if entry.read_at is None:
        entry.read_at = now or clock_now()
    session.commit()


def mark_all_read(session: Session, user: User, now: datetime | None = None) -> None:
    session.execute(
        update(InboxEntry)
        .where(InboxEntry.user_id == user.id, InboxEntry.read_at.is_(None))
        .values(read_at=now or clock_now())
    )
    session.commit()
