"""The statements of a position's registration (rounds.record_position), the API's
busiest write: each is one round trip. Registrations in one round hold its lock shared
(decisions/round_lock.py): they run side by side, and each partner's one after another.

On PostgreSQL the first statement takes the round's lock and the partner's row of the
electorate (FOR NO KEY UPDATE: that partner's registrations follow one another) and
reads the round; the INSERT then reads the round again under a lock of its row. The
first read may be older than the lock: a statement's snapshot is taken when it starts,
before it waits for a close under way. The INSERT's is newer, and it adds the position
only to a round still open before its deadline. On SQLite the transaction holds the
database's write lock before its first statement (decisions/db.py).
"""

from datetime import datetime
from typing import Any, NamedTuple, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Executable, Result, Table, bindparam, insert, select
from sqlalchemy.orm import Session, make_transient_to_detached

from decisions import round_lock
from decisions.closing import CurrentPosition
from decisions.errors import NotFound
from decisions.lookup import is_row_id
from decisions.models import Elector, Partner, Position, Round

_POSITIONS = cast(Table, Position.__table__)
_ROUNDS = cast(Table, Round.__table__)
_ELECTORS = cast(Table, Elector.__table__)

#: a position's columns, as rounds._new_position gives them; each parameter of the
#: column's type, so that it is stored as the ORM would store it (SQLite's times)
_COLUMNS = (
    "round_id",
    "partner_id",
    "stance",
    "reason",
    "on_behalf",
    "note",
    "registered_at",
    "registered_by_id",
    "channel",
)
_VALUES = {name: bindparam(name, type_=_POSITIONS.c[name].type) for name in _COLUMNS}
#: Core, not the ORM's flush: one compiled statement, no unit of work to work out. The
#: position is added only while the round is open and before its deadline, as read under
#: the lock of the round's row (FOR SHARE: it waits for any change of the row)
_INSERT = (
    insert(_POSITIONS)
    .from_select(
        list(_COLUMNS),
        select(*_VALUES.values())
        .where(
            _ROUNDS.c.id == _VALUES["round_id"],
            _ROUNDS.c.closed_at.is_(None),
            _ROUNDS.c.deadline > _VALUES["registered_at"],
        )
        .with_for_update(of=_ROUNDS, read=True),
    )
    .returning(_POSITIONS.c.id)
)

_THIS_ELECTOR = (
    _ELECTORS.c.round_id == bindparam("round_id"),
    _ELECTORS.c.partner_id == bindparam("partner_id"),
)
#: PostgreSQL: the round's lock shared, the partner's elector row locked, and only the
#: columns the checks read (each column of a result costs the driver work). Core on the
#: tables, as the INSERT: a statement of ORM attributes goes through the ORM's execution
_SHARE_ROUND = (
    select(_ROUNDS.c.closed_at, _ROUNDS.c.deadline, round_lock.shared(_ROUNDS.c.id))
    .select_from(_ELECTORS.join(_ROUNDS, _ROUNDS.c.id == _ELECTORS.c.round_id))
    .where(*_THIS_ELECTOR)
    .with_for_update(of=_ELECTORS, key_share=True)
)
#: the same, and the partner as an ORM object: for an objection, whose notices read the
#: objector from the session, where it is then found without a statement more
_SHARE_ROUND_WITH_PARTNER = (
    select(Round.closed_at, Round.deadline, round_lock.shared(Round.id), Partner)
    .select_from(Elector)
    .join(Round, Round.id == Elector.round_id)
    .join(Partner, Partner.id == Elector.partner_id)
    .where(*_THIS_ELECTOR)
    .with_for_update(of=Elector, key_share=True)
)
#: a partner outside the electorate, or no such round: the round alone, for the refusal
_SHARE_ROUND_ALONE = select(
    _ROUNDS.c.closed_at, _ROUNDS.c.deadline, round_lock.shared(_ROUNDS.c.id)
).where(_ROUNDS.c.id == bindparam("round_id"))

#: SQLite: the round and whether the partner is in its electorate, one statement (the
#: database's write lock is the round's lock there)
_READ_ROUND = (
    select(_ROUNDS.c.closed_at, _ROUNDS.c.deadline, _ELECTORS.c.partner_id)
    .outerjoin(_ELECTORS, (_ELECTORS.c.round_id == _ROUNDS.c.id) & _THIS_ELECTOR[1])
    .where(_ROUNDS.c.id == bindparam("round_id"))
)
#: the same, and the partner as an ORM object (for an objection, as above)
_READ_ROUND_WITH_PARTNER = (
    select(Round.closed_at, Round.deadline, Elector.partner_id, Partner)
    .select_from(Round)
    .outerjoin(Elector, (Elector.round_id == Round.id) & _THIS_ELECTOR[1])
    .outerjoin(Partner, Partner.id == Elector.partner_id)
    .where(Round.id == bindparam("round_id"))
)


class LockedRound(NamedTuple):
    is_open: bool
    deadline: datetime
    #: whether the partner is in the round's electorate
    elector: bool


def lock_round(
    session: Session, round_id: int, partner_id: int, *, with_partner: bool = False
) -> LockedRound:
    """The round, its lock shared, and whether the partner is in its electorate: one
    statement, two for a partner outside it. ``with_partner``: an elector's partner is
    loaded into the session too (Core otherwise: no ORM object, no ORM execution)."""
    if not is_row_id(round_id):
        raise NotFound(_l("No such round."))
    # An id no row can have matches no elector (and never reaches the driver as a
    # number out of its range); the caller then finds the partner missing.
    partner_key = partner_id if is_row_id(partner_id) else 0
    ids = {"round_id": round_id, "partner_id": partner_key}
    if session.get_bind().dialect.name != "postgresql":
        read = _READ_ROUND_WITH_PARTNER if with_partner else _READ_ROUND
        row = _one(session, read, ids, orm=with_partner)
        if row is None:
            raise NotFound(_l("No such round."))
        return LockedRound(row[0] is None, row[1], row[2] is not None)
    share = _SHARE_ROUND_WITH_PARTNER if with_partner else _SHARE_ROUND
    row = _one(session, share, ids, orm=with_partner)
    if row is not None:
        return LockedRound(row[0] is None, row[1], True)
    row = _one(session, _SHARE_ROUND_ALONE, ids, orm=False)
    if row is None:
        raise NotFound(_l("No such round."))
    return LockedRound(row[0] is None, row[1], False)


def _one(session: Session, statement: Executable, ids: dict[str, int], *, orm: bool) -> Any:
    found: Result[*tuple[Any, ...]] = (
        session.execute(statement, ids) if orm else session.connection().execute(statement, ids)
    )
    return found.one_or_none()


def insert_position(session: Session, values: dict[str, Any]) -> CurrentPosition | None:
    """The position row, inserted, as written (its id is all that is read back); None
    when the round closed, or its deadline passed, before the registration's lock was
    taken."""
    found = session.connection().execute(_INSERT, values).scalar_one_or_none()
    return None if found is None else CurrentPosition(id=found, **values)


def as_loaded(session: Session, written: CurrentPosition) -> Position:
    """The position as a Position of the session, as if loaded: the session will not
    insert it again, nor read it to know it."""
    position = Position(**written._asdict())
    make_transient_to_detached(position)
    session.add(position)
    return position
