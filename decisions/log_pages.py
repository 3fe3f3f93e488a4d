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
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select, text, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ExecutableOption

from decisions.models import DecisionEntry
from decisions.paging import whole_number

#: the largest id either database's integer column holds
ID_MAX = 2**31 - 1

#: a searched page is found by walking the list's order when it would test at most this
#: many entries to fill itself (its share of the log's entries says how many)
WALK_AT_MOST = 400
#: and never tests more than this many (when its matches are in older entries)
WALK_AT_MOST_EVER = 5 * WALK_AT_MOST

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


@dataclass(frozen=True)
class Search:
    """A full-text search, written twice with one meaning (decisions/log_fulltext.py):
    for the full-text index, which gives every match at once, and as a test of one
    entry, for a walk in the list's order."""

    indexed: ColumnElement[bool]
    tested: ColumnElement[bool]
    #: how many entries match, when no other filter is in force
    counted: Select[Any]


def read_page(
    session: Session,
    conditions: Sequence[ColumnElement[bool]],
    number: int,
    size: int,
    *,
    before: int | None = None,
    after: int | None = None,
    options: Sequence[ExecutableOption] = (),
    search: Search | None = None,
    walk: bool = False,
) -> Sequence[DecisionEntry]:
    """Page ``number`` of the entries that meet ``conditions`` (and ``search``), or the
    page just older than the entry ``before``, or just newer than the entry ``after``;
    newest first. A search's page is read from its matches, or with ``walk`` by testing
    the entries in the list's order, at most ``WALK_AT_MOST_EVER`` of them (then the page
    may come short)."""
    where = list(conditions)
    if before is not None:
        where.append(_position() < _position_of(before))
    elif after is not None:
        where.append(_position() > _position_of(after))
    newest_first = after is None
    skip = 0 if before is not None or after is not None else (number - 1) * size
    query = select(DecisionEntry).options(*options)
    # Otherwise the page's ids are found first, from indexes only, and then its rows.
    if search is not None and walk:
        query = query.where(
            DecisionEntry.id.in_(_walked_ids(where, search, size, skip, newest_first))
        )
    elif search is not None:
        query = query.where(
            DecisionEntry.id.in_(_matched_ids(where, search, size, skip, newest_first))
        )
    elif skip:
        query = query.where(DecisionEntry.id.in_(_ids(where, size, skip, newest_first)))
    else:
        query = query.where(*where).limit(size)
    rows = session.scalars(query.order_by(*(NEWEST_FIRST if newest_first else OLDEST_FIRST))).all()
    return rows if newest_first else list(reversed(rows))


def read_searched_page(
    session: Session,
    conditions: Sequence[ColumnElement[bool]],
    search: Search,
    number: int,
    size: int,
    *,
    log_size: int,
    before: int | None = None,
    after: int | None = None,
    options: Sequence[ExecutableOption] = (),
) -> tuple[Sequence[DecisionEntry], int]:
    """``read_page`` of a search, and how many entries match. They are counted from the
    full-text index first, and their share of the log's ``log_size`` entries says how to
    find the page: for a word most entries have, walking the list's order tests a few
    dozen entries, where reading every match and sorting them took tens of milliseconds
    at 100 000 entries; for a rarer word, its matches are read from the index."""
    total = session.scalar(
        select(func.count()).select_from(DecisionEntry).where(*conditions, search.indexed)
        if conditions
        else search.counted
    )
    page = partial(
        read_page,
        session,
        conditions,
        number,
        size,
        before=before,
        after=after,
        options=options,
        search=search,
    )
    skip = 0 if before is not None or after is not None else (number - 1) * size
    if not total or skip >= total:
        return [], total or 0
    if (skip + size) * log_size <= WALK_AT_MOST * total:
        walked = page(walk=True)
        # Short only at the end of the matches, or when the walk gave up before it, its
        # matches as many as that but in older entries (the words of one year, say).
        ended = before is None and after is None and skip + len(walked) == total
        if len(walked) == size or ended or log_size <= WALK_AT_MOST_EVER:
            return walked, total
    return page(), total


def _ids(where: list[ColumnElement[bool]], size: int, skip: int, newest_first: bool) -> Select[Any]:
    """The ids of one page of the entries that meet ``where``, from its index."""
    key = (DecisionEntry.closed_at.expression, DecisionEntry.id.expression)
    return (
        select(DecisionEntry.id)
        .where(*where)
        .order_by(*_order(key, newest_first))
        .limit(size)
        .offset(skip)
    )


def _matched_ids(
    where: list[ColumnElement[bool]], search: Search, size: int, skip: int, newest_first: bool
) -> Select[Any]:
    """The matches first, from the full-text index, then in the list's order."""
    # OFFSET 0 keeps PostgreSQL from walking the list's order instead, testing each
    # entry: for a rare word, that reads the whole log.
    matched = select(DecisionEntry.id, DecisionEntry.closed_at).where(*where, search.indexed)
    found = matched.offset(0).subquery("matched")
    key = (found.c.closed_at, found.c.id)
    return select(found.c.id).order_by(*_order(key, newest_first)).limit(size).offset(skip)


def _walked_ids(
    where: list[ColumnElement[bool]], search: Search, size: int, skip: int, newest_first: bool
) -> Select[Any]:
    """The entries in the list's order, at most WALK_AT_MOST_EVER of them, each tested as
    it is reached (the test is a column of the walk: the database stops testing once the
    page is full)."""
    key = (DecisionEntry.closed_at.expression, DecisionEntry.id.expression)
    walk = (
        select(
            DecisionEntry.id,
            DecisionEntry.closed_at,
            case((search.tested, 1), else_=0).label("hit"),
        )
        .where(*where)
        .order_by(*_order(key, newest_first))
        .limit(WALK_AT_MOST_EVER)
        .subquery("walked")
    )
    walked_key = (walk.c.closed_at, walk.c.id)
    return (
        select(walk.c.id)
        .where(walk.c.hit == 1)
        .order_by(*_order(walked_key, newest_first))
        .limit(size)
        .offset(skip)
    )


def _order(key: Sequence[ColumnElement[Any]], newest_first: bool) -> list[ColumnElement[Any]]:
    return [column.desc() if newest_first else column.asc() for column in key]


def _position() -> ColumnElement[Any]:
    return tuple_(DecisionEntry.closed_at, DecisionEntry.id)


def _position_of(entry_id: int) -> ColumnElement[Any]:
    """Where the entry ``entry_id`` sits in the list, read in the same statement."""
    closed_at = select(DecisionEntry.closed_at).where(DecisionEntry.id == entry_id)
    return tuple_(closed_at.scalar_subquery(), entry_id)
