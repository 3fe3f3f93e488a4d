"""Reading the decision log: a filtered page of entries, one entry, the years it spans.

The web pages and the JSON API both read the log through here, so the filters accept
what either sends (query-string text or typed values) and refuse a bad value with
``InvalidInput`` naming the field. Each call issues a fixed number of SQL statements,
however long the log or however many partners took a position.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Text, cast, func, select
from sqlalchemy.orm import Session, defer

from decisions import log_fulltext, log_pages, validation
from decisions.clock import as_utc
from decisions.consensus import Outcome
from decisions.errors import InvalidInput
from decisions.lookup import get_row
from decisions.models import DecisionEntry, ProposalKind
from decisions.paging import DEFAULT_PER_PAGE, Page, page_bounds, whole_number
from decisions.position_groups import Grouped, Said, grouped

QUERY_MAX = 200
#: what a list on a page loads of an entry: not its positions, nor its text
_LISTED = (defer(DecisionEntry.positions), defer(DecisionEntry.text))
#: what a list that shows texts loads: its positions come later, one entry at a time
_WITH_TEXTS = (defer(DecisionEntry.positions),)
#: entries read at once by ``with_positions_json``: with 10 000 partners, each is megabytes
_POSITIONS_AT_ONCE = 4


@dataclass(frozen=True)
class RecordedPosition:
    """A partner's final position as the log keeps it (its name as it was then)."""

    partner_id: int
    partner: str
    stance: str
    reason: str
    on_behalf: bool
    note: str
    registered_at: datetime | None


def search_log(
    session: Session,
    outcome: Any = None,
    kind: Any = None,
    year: Any = None,
    q: Any = None,
    since: Any = None,
    until: Any = None,
    page: Any = 1,
    per_page: Any = None,
    *,
    before: Any = None,
    after: Any = None,
    default_per_page: int = DEFAULT_PER_PAGE,
    with_texts: bool = False,
    facts: log_pages.LogFacts | None = None,
) -> Page[DecisionEntry]:
    """Entries matching every filter given, newest closing first; ``q`` looks for words
    in titles and texts (decisions/log_fulltext.py); ``since`` and ``until`` bound the
    closing time (a bare date covers that whole UTC day). ``before`` (or else ``after``),
    an entry's id, asks for the page just older (newer) than that entry, ``page`` then
    only numbering it. With a thousand partners the positions are most of an entry, so
    they are never loaded with the page (``with_positions_json`` reads them one entry at a
    time); nor are the texts, unless ``with_texts``. ``facts``, when the caller has read
    them, spare a statement."""
    chosen_year, words = _year(year), _query(q)
    # the search apart: it is read in one of two ways (log_pages.read_searched_page)
    conditions = filter_conditions(session, outcome, kind, chosen_year, None, since, until)
    number, size = page_bounds(page, per_page, default_per_page)
    before_id = log_pages.cursor(before, "before")
    after_id = None if before_id is not None else log_pages.cursor(after, "after")
    options = _WITH_TEXTS if with_texts else _LISTED
    if words is None:
        items = log_pages.read_page(
            session, conditions, number, size, before=before_id, after=after_id, options=options
        )
        total = _total(session, conditions, chosen_year, facts)
    else:
        search = log_pages.Search(
            indexed=log_fulltext.matching(session, words),
            tested=log_fulltext.matching(session, words, indexed=False),
            counted=log_fulltext.counted(session, words),
        )
        items, total = log_pages.read_searched_page(
            session,
            conditions,
            search,
            number,
            size,
            log_size=(facts or log_pages.log_facts(session)).total,
            before=before_id,
            after=after_id,
            options=options,
        )
    return Page(items=items, number=number, per_page=size, total=total)


def filter_conditions(
    session: Session,
    outcome: Any = None,
    kind: Any = None,
    year: Any = None,
    q: Any = None,
    since: Any = None,
    until: Any = None,
) -> list[ColumnElement[bool]]:
    """The conditions on ``DecisionEntry`` of the filters given, read as ``search_log``
    reads them (a bad value raises ``InvalidInput`` naming its field): for a reader of
    the log in another order, e.g. an export (decisions/log_export.py)."""
    return _conditions(
        session,
        outcome=_outcome(outcome),
        kind=_kind(kind),
        year=_year(year),
        q=_query(q),
        since=_since(since),
        until=_until(until),
    )


def get_entry(session: Session, decision_id: int) -> DecisionEntry:
    return get_row(session, DecisionEntry, decision_id, _l("No such decision."))


def years(session: Session) -> list[int]:
    """The years the log has entries in, latest first (for a year filter)."""
    return log_pages.log_facts(session).years


def _total(
    session: Session,
    conditions: list[ColumnElement[bool]],
    year: int | None,
    facts: log_pages.LogFacts | None,
) -> int:
    """How many entries meet ``conditions``: counted only when a filter is in force."""
    if not conditions:
        return (facts or log_pages.log_facts(session)).total
    if facts is not None and year is not None and len(conditions) == 1:
        return facts.sizes.get(year, 0)
    return session.scalar(select(func.count()).select_from(DecisionEntry).where(*conditions)) or 0


def with_positions_json(
    session: Session, entries: Sequence[DecisionEntry]
) -> Iterator[tuple[DecisionEntry, str]]:
    """Each of a page's ``entries``, in its order, with its positions as the log stores
    them, JSON text that is never parsed (with a thousand partners, parsing it and writing
    it again was most of a list's time): in one statement, whose rows are fetched a few
    at a time as the caller goes on, so that a page of entries of 10 000 partners each is
    never in memory whole."""
    by_id = {entry.id: entry for entry in entries}
    rows = session.execute(
        select(DecisionEntry.id, cast(DecisionEntry.positions, Text))
        .where(DecisionEntry.id.in_(by_id))
        .order_by(*log_pages.NEWEST_FIRST)
        .execution_options(yield_per=_POSITIONS_AT_ONCE)
    )
    # the rows come in the page's order; should they not, none is lost, only held
    waiting: dict[int, str] = {}
    try:
        for entry in entries:
            while entry.id not in waiting:
                entry_id, positions = next(rows)
                waiting[entry_id] = positions
            yield entry, waiting.pop(entry.id)
    finally:
        rows.close()  # PostgreSQL's cursor on the server, even when the answer stops early


def recorded_positions(entry: DecisionEntry) -> list[RecordedPosition]:
    """The entry's positions with their times as datetimes, in the log's order."""
    return [
        RecordedPosition(
            partner_id=record["partner_id"],
            partner=record["partner"],
            stance=record["stance"],
            reason=record.get("reason", ""),
            on_behalf=bool(record.get("on_behalf")),
            note=record.get("note", ""),
            registered_at=(
                datetime.fromisoformat(record["registered_at"])
                if record.get("registered_at")
                else None
            ),
        )
        for record in entry.positions
    ]


def grouped_positions(entry: DecisionEntry) -> Grouped[RecordedPosition]:
    """The entry's positions as its page shows them: what stopped the proposal and every
    reason whole, the rest by stance (decisions.position_groups)."""
    return grouped(
        recorded_positions(entry),
        lambda position: Said(position.stance, position.reason, position.on_behalf),
    )


def _conditions(
    session: Session,
    *,
    outcome: Outcome | None,
    kind: ProposalKind | None,
    year: int | None,
    q: str | None,
    since: datetime | None,
    until: tuple[datetime, bool] | None,
) -> list[ColumnElement[bool]]:
    if since is not None and until is not None and until[0] < since:
        raise InvalidInput(_l("The end of the period is before its start."), field="until")
    conditions: list[ColumnElement[bool]] = []
    if outcome is not None:
        conditions.append(DecisionEntry.outcome == outcome)
    if kind is not None:
        conditions.append(DecisionEntry.kind == kind)
    if year is not None:
        conditions.append(DecisionEntry.year == year)
    if q is not None:
        conditions.append(log_fulltext.matching(session, q))
    if since is not None:
        conditions.append(DecisionEntry.closed_at >= since)
    if until is not None:
        moment, exclusive = until
        conditions.append(
            DecisionEntry.closed_at < moment if exclusive else DecisionEntry.closed_at <= moment
        )
    return conditions


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _outcome(value: Any) -> Outcome | None:
    if _blank(value):
        return None
    return validation.choice(Outcome, value, "outcome")


def _kind(value: Any) -> ProposalKind | None:
    if _blank(value):
        return None
    return validation.choice(ProposalKind, value, "kind")


def _year(value: Any) -> int | None:
    if _blank(value):
        return None
    return whole_number(value, "year", minimum=1, maximum=9999, message=_l("A year such as 2026."))


def _query(value: Any) -> str | None:
    if _blank(value):
        return None
    return validation.text(value, "q", QUERY_MAX)


def _since(value: Any) -> datetime | None:
    """The start of the period: a bare date is the start of that UTC day."""
    bound = _bound(value, "since")
    if bound is None or isinstance(bound, datetime):
        return bound
    return datetime.combine(bound, time(0), tzinfo=UTC)


def _until(value: Any) -> tuple[datetime, bool] | None:
    """The end of the period and whether it is exclusive: a bare date includes that
    whole UTC day, so it ends, exclusively, at the next midnight."""
    bound = _bound(value, "until")
    if bound is None or isinstance(bound, datetime):
        return None if bound is None else (bound, False)
    try:
        next_day = bound + timedelta(days=1)
    except OverflowError:  # 9999-12-31 has no next day
        raise _out_of_range("until") from None
    return datetime.combine(next_day, time(0), tzinfo=UTC), True


def _bound(value: Any, field: str) -> datetime | date | None:
    """An aware UTC datetime or a bare date, from either or from ISO 8601 text."""
    if _blank(value):
        return None
    if isinstance(value, str):
        value = _parse_iso(value.strip(), field)
    if isinstance(value, datetime):
        try:
            return as_utc(validation.aware(value, field))
        except OverflowError:  # 0001-01-01T00:00+05:00 is in year 0 in UTC
            raise _out_of_range(field) from None
    if isinstance(value, date):
        return value
    raise InvalidInput(_l("A date and time."), field=field)


def _out_of_range(field: str) -> InvalidInput:
    return InvalidInput(_l("This date is too far in the past or the future."), field=field)


def _parse_iso(text: str, field: str) -> date | datetime:
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            _l("A date (2026-03-01) or a time with its offset (2026-03-01T09:00:00+08:00)."),
            field=field,
        ) from None
