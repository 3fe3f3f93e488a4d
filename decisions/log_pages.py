"""Pages of the decision log whose cost does not grow with the log or the page number.

The list's order is closing time then id, newest first, and an index on each filter ends
with that order (migration 0010). A page is read from there in one of three ways: older
than a given entry (``before``, the next page's link), newer than one (``after``, the
previous page's), or by its number, which skips rows over the index alone before reading
a page's worth of them. The log's size and years come from its numbers, not a count: an
entry's number is its year and its place in that year, given under the log's lock
without gaps (decisions/log.py), so a year's last number is how many entries it has.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, text, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ExecutableOption

from decisions.models import DecisionEntry
from decisions.paging import whole_number

#: the largest id either database's integer column holds
ID_MAX = 2**31 - 1

NEWEST_FIRST = (DecisionEntry.closed_at.desc(), DecisionEntry.id.desc())
OLDEST_FIRST = (DecisionEntry.closed_at.asc(), DecisionEntry.id.asc())

# One index lookup per year, however many entries a year has: the years are walked
# down from the latest (each step is "the latest year before this one"), and each
# year's last number is read where the unique (year, seq) index ends.
_YEARS_AND_SIZES = text(
    """
    WITH RECURSIVE log_years(year) AS (
        SELECT max(year) FROM decisions
        UNION ALL
        SELECT (SELECT max(d.year) FROM decisions AS d WHERE d.year < log_years.year)
        FROM log_years WHERE log_years.year IS NOT NULL
    )
    SELECT year, (SELECT max(d.seq) FROM decisions AS d WHERE d.year = log_years.year)
    FROM log_years WHERE year IS NOT NULL ORDER BY year DESC
    """
)


@dataclass(frozen=True)
class LogFacts:
    """The years the log has entries in, latest first, and how many entries each has."""

    sizes: dict[int, int]

    @property
    def years(self) -> list[int]:
        return sorted(self.sizes, reverse=True)

    @property
    def total(self) -> int:
        return sum(self.sizes.values())


def log_facts(session: Session) -> LogFacts:
    """In one statement, however long the log."""
    return LogFacts({year: size for year, size in session.execute(_YEARS_AND_SIZES)})


def cursor(value: Any, field: str) -> int | None:
    """An entry's id given as ``before`` or ``after``; blank means none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return whole_number(value, field, minimum=1, maximum=ID_MAX)


def read_page(
    session: Session,
    conditions: Sequence[ColumnElement[bool]],
    number: int,
    size: int,
    *,
    before: int | None = None,
    after: int | None = None,
    options: Sequence[ExecutableOption] = (),
    searching: bool = False,
) -> tuple[Sequence[DecisionEntry], int | None]:
    """Page ``number`` of the entries that meet ``conditions``, or the page just older
    than the entry ``before``, or just newer than the entry ``after``; newest first.
    ``searching``: one of the conditions is a full-text search; then, by its number, the
    page comes with how many entries match (None when the caller must count them)."""
    if searching and before is None and after is None:
        return _searched_page(session, list(conditions), number, size, options)
    where = list(conditions)
    if before is not None:
        where.append(_position() < _position_of(before))
    elif after is not None:
        where.append(_position() > _position_of(after))
    newest_first = after is None
    skip = 0 if before is not None or after is not None else (number - 1) * size
    query = select(DecisionEntry).options(*options)
    if skip or searching:
        # The rows skipped are read from an index only; the page's rows, from the table.
        query = query.where(DecisionEntry.id.in_(_ids(where, size, skip, newest_first, searching)))
    else:
        query = query.where(*where).limit(size)
    rows = session.scalars(query.order_by(*(NEWEST_FIRST if newest_first else OLDEST_FIRST))).all()
    return (rows if newest_first else list(reversed(rows))), None


def _searched_page(
    session: Session,
    where: list[ColumnElement[bool]],
    number: int,
    size: int,
    options: Sequence[ExecutableOption],
) -> tuple[Sequence[DecisionEntry], int | None]:
    """A search reads its matches once for both the page's ids and their number: for a
    word most entries have, reading them is most of the time."""
    found = session.execute(
        _ids(where, size, (number - 1) * size, True, True).add_columns(func.count().over())
    ).all()
    if not found:  # beyond the last page, no row carries the number
        return [], None
    query = select(DecisionEntry).options(*options)
    query = query.where(DecisionEntry.id.in_([row[0] for row in found]))
    return session.scalars(query.order_by(*NEWEST_FIRST)).all(), found[0][1]


def _ids(
    where: list[ColumnElement[bool]], size: int, skip: int, newest_first: bool, searching: bool
) -> Select[tuple[int]]:
    """The ids of one page of the entries that meet ``where``."""
    key: tuple[ColumnElement[Any], ColumnElement[Any]]
    if searching:
        # The matches first, from the full-text index, then in the list's order: walking
        # the list's order and testing each entry would read the whole log for a rare word.
        found = select(DecisionEntry.id, DecisionEntry.closed_at).where(*where).offset(0)
        matched = found.subquery("matched")
        query, key = select(matched.c.id), (matched.c.closed_at, matched.c.id)
    else:
        query, key = (
            select(DecisionEntry.id).where(*where),
            (DecisionEntry.closed_at.expression, DecisionEntry.id.expression),
        )
    order = [column.desc() if newest_first else column.asc() for column in key]
    return query.order_by(*order).limit(size).offset(skip)


def _position() -> ColumnElement[Any]:
    return tuple_(DecisionEntry.closed_at, DecisionEntry.id)


def _position_of(entry_id: int) -> ColumnElement[Any]:
    """Where the entry ``entry_id`` sits in the list, read in the same statement."""
    closed_at = select(DecisionEntry.closed_at).where(DecisionEntry.id == entry_id)
    return tuple_(closed_at.scalar_subquery(), entry_id)
