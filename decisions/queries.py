"""Read models for pages and the API: each loads what it shows in a fixed number of
queries, however many partners or positions there are."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from decisions.models import Elector, Position, Round


def open_rounds(session: Session) -> Sequence[Round]:
    return session.scalars(
        select(Round)
        .where(Round.closed_at.is_(None))
        .options(selectinload(Round.proposal))
        .order_by(Round.deadline)
    ).all()


def rounds_awaiting(session: Session, partner_id: int) -> Sequence[Round]:
    """Open rounds in whose electorate the partner is and where it has not yet spoken."""
    spoken = select(Position.round_id).where(Position.partner_id == partner_id)
    return session.scalars(
        select(Round)
        .join(Elector, Elector.round_id == Round.id)
        .where(
            Round.closed_at.is_(None),
            Elector.partner_id == partner_id,
            Round.id.not_in(spoken),
        )
        .options(selectinload(Round.proposal))
        .order_by(Round.deadline)
    ).all()
