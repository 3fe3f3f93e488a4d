"""A round's lock: registrations share it; whatever closes or changes the round holds it
alone.

Partners register their positions in a round side by side (each registration holds the
lock shared, and each partner's registrations follow one another: registering.py). A
close, a withdrawal, an extension or a reminder waits until the registrations under way
are committed, and every registration that comes after it waits until it is: a position
is counted or refused, never taken after the decision.

On PostgreSQL the lock is an advisory lock of the transaction, taken before any of the
round's rows. Its queue is fair: a registration that comes after a waiting close waits
behind it, so a stream of registrations cannot keep a round from closing, as shared row
locks could (a new FOR SHARE does not queue behind a waiting FOR UPDATE). On SQLite a
transaction that writes holds the whole database's write lock: there everything takes
its turn.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from decisions.errors import NotFound
from decisions.lookup import get_row, is_row_id
from decisions.models import Round

#: the advisory locks' first key ("Accr" in ASCII); the second is the round's id. A pair
#: of keys never meets the single key of notifications/lease.py
ROUND_LOCKS = 0x41636372
_KEY: ColumnElement[int] = literal_column(str(ROUND_LOCKS))


def shared(round_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[None]:
    """The round's lock taken shared, as a column of a registration's first statement:
    it waits for a close under way, and a close waits for it."""
    return func.pg_advisory_xact_lock_shared(_KEY, round_id)


def exclusive(session: Session, round_id: int) -> Round:
    """The round, locked alone against registrations and every other change: the
    advisory lock, then the row (FOR UPDATE), in the order registrations take them."""
    if not is_row_id(round_id):
        raise NotFound(_l("No such round."))
    if session.get_bind().dialect.name == "postgresql":
        lock = func.pg_advisory_xact_lock(_KEY, Round.id)
        session.execute(select(lock).where(Round.id == round_id))
    return get_row(session, Round, round_id, _l("No such round."), lock=True)
