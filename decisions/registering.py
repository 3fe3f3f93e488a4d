"""The statements of a position's registration (rounds.register_position), the API's
busiest write: each is one round trip, and two of them run while the round is locked,
when every other registration in that round waits."""

from datetime import datetime
from typing import Any, NamedTuple, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Result, Table, bindparam, insert, select
from sqlalchemy.orm import Session, make_transient_to_detached

from decisions.closing import CurrentPosition
from decisions.errors import NotFound
from decisions.lookup import is_row_id
from decisions.models import Elector, Partner, Position, Round

_POSITIONS = cast(Table, Position.__table__)
_ROUNDS = cast(Table, Round.__table__)
_ELECTORS = cast(Table, Elector.__table__)
#: Core, not the ORM's flush: one compiled statement, no unit of work to work out
_INSERT = insert(_POSITIONS).returning(_POSITIONS.c.id)
#: the round locked FOR UPDATE OF its own table (not the elector's row); only the columns
#: the checks read: each column of a result costs the driver work. Core on the tables,
#: as the INSERT: a statement of ORM attributes goes through the ORM's execution
_LOCK_ROUND = (
    select(_ROUNDS.c.closed_at, _ROUNDS.c.deadline, _ELECTORS.c.partner_id)
    .outerjoin(
        _ELECTORS,
        (_ELECTORS.c.round_id == _ROUNDS.c.id)
        & (_ELECTORS.c.partner_id == bindparam("partner_id")),
    )
    .where(_ROUNDS.c.id == bindparam("round_id"))
    .with_for_update(of=_ROUNDS)
)

#: the same, and the partner as an ORM object: for an objection, whose notices read the
#: objector from the session, where it is then found without a statement more
_LOCK_ROUND_WITH_PARTNER = (
    select(Round.closed_at, Round.deadline, Elector.partner_id, Partner)
    .select_from(Round)
    .outerjoin(
        Elector,
        (Elector.round_id == Round.id) & (Elector.partner_id == bindparam("partner_id")),
    )
    .outerjoin(Partner, Partner.id == Elector.partner_id)
    .where(Round.id == bindparam("round_id"))
    .with_for_update(of=Round)
)


class LockedRound(NamedTuple):
    is_open: bool
    deadline: datetime
    #: whether the partner is in the round's electorate
    elector: bool


def lock_round(
    session: Session, round_id: int, partner_id: int, *, with_partner: bool = False
) -> LockedRound:
    """The round locked, as read under the lock, and whether the partner is in its
    electorate: one statement instead of two. ``with_partner``: an elector's partner is
    loaded into the session too (Core otherwise: no ORM object, no ORM execution)."""
    if not is_row_id(round_id):
        raise NotFound(_l("No such round."))
    # An id no row can have matches no elector (and never reaches the driver as a
    # number out of its range); the caller then finds the partner missing.
    partner_key = partner_id if is_row_id(partner_id) else 0
    ids = {"round_id": round_id, "partner_id": partner_key}
    found: Result[*tuple[Any, ...]] = (
        session.execute(_LOCK_ROUND_WITH_PARTNER, ids)
        if with_partner
        else session.connection().execute(_LOCK_ROUND, ids)
    )
    row = found.one_or_none()
    if row is None:
        raise NotFound(_l("No such round."))
    closed_at, deadline, elector = row[:3]
    return LockedRound(closed_at is None, deadline, elector is not None)


def insert_position(session: Session, values: dict[str, Any]) -> CurrentPosition:
    """The position row, inserted, as written: its id is all that is read back."""
    found = session.connection().execute(_INSERT, values).scalar_one()
    return CurrentPosition(id=found, **values)


def as_loaded(session: Session, written: CurrentPosition) -> Position:
    """The position as a Position of the session, as if loaded: the session will not
    insert it again, nor read it to know it."""
    position = Position(**written._asdict())
    make_transient_to_detached(position)
    session.add(position)
    return position
