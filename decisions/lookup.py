"""Finding one row by its id: the one way the services look a row up.

An id comes from a URL, a form or the API. One that no INTEGER column can hold never
reaches the database, whose driver would refuse it with an error of its own (SQLite's
OverflowError, PostgreSQL's NumericValueOutOfRange) instead of an answer: like an id
that is not a whole number at all, it names no row, so it is simply not found.
"""

from typing import TypeVar

from sqlalchemy.orm import Session

from decisions.errors import NotFound

#: the largest value the database's INTEGER columns hold (PostgreSQL's int4)
ID_MAX = 2**31 - 1

Row = TypeVar("Row")


def is_row_id(value: object) -> bool:
    """Whether ``value`` could be the id of a stored row."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


def get_row(
    session: Session, model: type[Row], row_id: object, missing: str, *, lock: bool = False
) -> Row:
    """The row of ``model`` whose id is ``row_id``, or ``NotFound`` saying ``missing``.

    With ``lock`` the row is locked (SELECT ... FOR UPDATE OF its table; on SQLite the transaction
    holds the database's write lock already) and read again even when the session holds
    it, so the caller's checks see the committed state, not what the session remembers.
    """
    if not is_row_id(row_id):
        raise NotFound(missing)
    # OF the row's own table: the rows its eager joins bring along are not locked (nor
    # can they be on PostgreSQL, when they sit on the nullable side of an outer join).
    locking = {"of": model} if lock else None
    row = session.get(model, row_id, with_for_update=locking, populate_existing=lock)
    if row is None:
        raise NotFound(missing)
    return row
