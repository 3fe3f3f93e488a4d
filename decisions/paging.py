"""One page of a longer list: the log, the proposals, the partners, a position's history.

Page numbers come from a query string (text) or a JSON client (a number); a bad one is
refused with ``InvalidInput`` naming the field, and each page costs two statements
(the count and the rows), however long the list.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from decisions.errors import InvalidInput

T = TypeVar("T")

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
#: the last page number asked for; a larger one would overflow the query's OFFSET
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of items and where it sits in the whole list: page ``number`` of ``last``."""

    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def last(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.last


def whole_number(
    value: Any, field: str, *, minimum: int, maximum: int | None, message: Any = None
) -> int:
    """A whole number within bounds, from an int or from its decimal text."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number < minimum or (maximum is not None and number > maximum):
        if message is None:
            message = (
                _l("A whole number from %(low)d to %(high)d.", low=minimum, high=maximum)
                if maximum is not None
                else _l("A whole number, %(low)d or more.", low=minimum)
            )
        raise InvalidInput(message, field=field)
    return number


def page_bounds(page: Any, per_page: Any, default_per_page: int) -> tuple[int, int]:
    """The page number and size asked for; blank means the first page, default size."""
    number = 1 if _blank(page) else whole_number(page, "page", minimum=1, maximum=MAX_PAGE)
    size = (
        default_per_page
        if _blank(per_page)
        else whole_number(per_page, "per_page", minimum=1, maximum=MAX_PER_PAGE)
    )
    return number, size


def paginate(
    session: Session,
    query: Select[T],
    page: Any = 1,
    per_page: Any = None,
    default_per_page: int = DEFAULT_PER_PAGE,
) -> Page[T]:
    """``query`` (ordered) cut to one page, with the number of rows it has in all."""
    number, size = page_bounds(page, per_page, default_per_page)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = session.scalars(query.limit(size).offset((number - 1) * size)).all()
    return Page(items=items, number=number, per_page=size, total=total)


def in_pages(
    items: Sequence[T],
    page: Any = 1,
    per_page: Any = None,
    default_per_page: int = DEFAULT_PER_PAGE,
) -> Page[T]:
    """A short list already in memory, cut the same way (a position's history)."""
    number, size = page_bounds(page, per_page, default_per_page)
    start = (number - 1) * size
    return Page(items=items[start : start + size], number=number, per_page=size, total=len(items))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
