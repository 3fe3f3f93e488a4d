"""Checks of input shared by the services (the web forms and the API check shape too,
but the services are the last word, so no caller can write a bad value)."""

import re
from datetime import datetime
from enum import StrEnum
from typing import TypeVar
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from decisions.countries import COUNTRIES
from decisions.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)

_COUNTRY = re.compile(r"^[A-Z]{2}$")
#: control characters no text of ours holds (tab and newlines aside); PostgreSQL refuses
#: NUL outright, so one must never reach the database
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: the largest count a setting takes (a quorum): far above any partnership's size, far
#: below what the database's INTEGER columns hold
COUNT_MAX = 100_000


def text(value: object, field: str, max_length: int, *, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_l("Must be text."), field=field)
    value = value.strip()
    if _CONTROL.search(value):
        raise InvalidInput(_l("Must not contain control characters."), field=field)
    if required and not value:
        raise InvalidInput(_l("This field is required."), field=field)
    if len(value) > max_length:
        raise InvalidInput(
            lazy_ngettext("At most %(num)d character.", "At most %(num)d characters.", max_length),
            field=field,
        )
    return value


#: what ends a line: a name or a title holding one could split an e-mail header in two
_LINE_BREAK = re.compile(r"[\r\n\x85\u2028\u2029]")


def line(value: object, field: str, max_length: int, *, required: bool = True) -> str:
    """Text on one line: a name, a title, anything that may go into an e-mail header
    (a line break there would add headers of the sender's choosing, such as a Bcc)."""
    if isinstance(value, str) and _LINE_BREAK.search(value.strip()):
        raise InvalidInput(_l("Must be on one line."), field=field)
    return text(value, field, max_length, required=required)


def choice(enum: type[E], value: object, field: str) -> E:
    """A member of ``enum`` named by its value; anything else is refused, listing the choices."""
    try:
        return enum(str(value).strip())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise InvalidInput(
            _l("Choose one of: %(allowed)s.", allowed=allowed), field=field
        ) from None


def country(value: object, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code of a country that exists (not merely two letters)."""
    if not isinstance(value, str) or not _COUNTRY.match(value.strip().upper()):
        raise InvalidInput(_l("A two-letter ISO 3166 country code."), field=field)
    code = value.strip().upper()
    if code not in COUNTRIES:
        raise InvalidInput(_l("No country has the ISO 3166 code %(code)s.", code=code), field=field)
    return code


def time_zone(value: object, field: str = "time_zone") -> str:
    if not isinstance(value, str) or value not in available_timezones():
        raise InvalidInput(_l("An IANA time zone such as Asia/Manila."), field=field)
    return value


def aware(value: object, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInput(_l("A date and time."), field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(_l("The time needs a UTC offset or a time zone."), field=field)
    return value


def non_negative_int(value: object, field: str, maximum: int = COUNT_MAX) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(_l("A whole number, zero or more."), field=field)
    if value > maximum:
        raise InvalidInput(_l("At most %(n)d.", n=maximum), field=field)
    return value


def boolean(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(_l("True or false."), field=field)
    return value
