"""The statements of a position's registration (rounds.register_position), the API's
busiest write: each is one round trip, and two of them run while the round is locked,
when every other registration in that round waits."""

from datetime import datetime
from typing import Any, NamedTuple, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session, make_transient_to_detached

from decisions.errors import NotFound
from decisions.lookup import is_row_id
from decisions.models import Elector, Position, Round

_POSITIONS = cast(Table, Position.__table__)
#: Core, not the ORM's flush: one compiled statement, no unit of work to work out
_INSERT = insert(_POSITIONS).returning(_POSITIONS.c.id)
#: the round locked FOR UPDATE OF its own table (not the elector's row); only the columns
#: the checks read: each column of a result costs the driver and the ORM work
_LOCK_ROUND = (
    select(Round.closed_at, Round.deadline, Elector.partner_id)
    .outerjoin(
        Elector,
        (Elector.round_id == Round.id) & (Elector.partner_id == bindparam("partner_id")),
    )
    .where(Round.id == bindparam("round_id"))
    .with_for_update(of=Round)
)


class LockedRound(NamedTuple):
    is_open: bool
    deadline: datetime
    #: whether the partner is in the round's electorate
    elector: bool


def lock_round(session: Session, round_id: int, partner_id: int) -> LockedRound:
    """The round locked, as read under the lock, and whether the partner is in its
    electorate: one statement instead of two."""
    if not is_row_id(round_id):
        raise NotFound(_l("No such round."))
    # An id no row can have matches no elector (and never reaches the driver as a
    # number out of its range); the caller then finds the partner missing.
    partner_key = partner_id if is_row_id(partner_id) else 0
    ids = {"round_id": round_id, "partner_id": partner_key}
    found = session.execute(_LOCK_ROUND, ids).one_or_none()
    if found is None:
        raise NotFound(_l("No such round."))
    closed_at, deadline, elector = found
    return LockedRound(closed_at is None, deadline, elector is not None)


def insert_position(session: Session, values: dict[str, Any]) -> Position:
    """The position row, inserted, and the same row as a Position of the session, known
    without reading it back."""
    position = Position(id=session.execute(_INSERT, values).scalar_one(), **values)
    make_transient_to_detached(position)  # as if loaded: the session will not insert it
    session.add(position)
    return position
