"""Helpers shared by the web forms."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from decisions.errors import DomainError


class ButtonForm(FlaskForm):
    """A button that changes something (close a round, withdraw, retry a message): its
    CSRF token is the whole form."""


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


#: the areas the time-zone picker groups canonical zones by, in the order shown
ZONE_AREAS = {
    "Africa": _l("Africa"),
    "America": _l("America"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific"),
}


@cache
def canonical_zones() -> tuple[str, ...]:
    """The IANA zones a person picks from: one or more per country, as listed in the
    time-zone database's zone.tab and zone1970.tab, without the aliases and legacy names
    (US/Eastern, Etc/GMT+3, Asia/Calcutta, Singapore) that make up most of the ~600
    names the system knows. Read from the ``tzdata`` package, else the system's
    /usr/share/zoneinfo; with neither, every Area/Place name in a known area."""
    known = _known_zones()
    listed: set[str] = set()
    for name in ("zone1970.tab", "zone.tab"):
        for line in _zone_table(name).splitlines():
            columns = line.split("\t")
            if not line.startswith("#") and len(columns) >= 3:
                listed.add(columns[2])
    if not listed:
        listed = {zone for zone in known if zone.partition("/")[0] in ZONE_AREAS}
    return tuple(sorted(zone for zone in listed & known))


@cache
def _known_zones() -> frozenset[str]:
    """Every name the system knows (``available_timezones`` reads the disk each time)."""
    return frozenset(available_timezones())


def _zone_table(name: str) -> str:
    try:
        return resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        pass
    try:
        return Path("/usr/share/zoneinfo", name).read_text("utf-8")
    except OSError:
        return ""


def _place(zone: str) -> str:
    """America/Argentina/Buenos_Aires → Argentina / Buenos Aires."""
    return zone.partition("/")[2].replace("_", " ").replace("/", " / ")


@dataclass(frozen=True)
class ZoneChoices:
    """Called by WTForms with the form and the field, each time it reads the choices."""

    empty_label: str | None = None

    def __call__(self, form: Any, field: Any) -> list[SelectChoice]:
        choices = [SelectChoice("", self.empty_label)] if self.empty_label else []
        grouped = sorted(
            (list(ZONE_AREAS).index(zone.partition("/")[0]), _place(zone), zone)
            for zone in canonical_zones()
            if zone.partition("/")[0] in ZONE_AREAS
        )
        choices += [
            SelectChoice(zone, place, optgroup=str(ZONE_AREAS[zone.partition("/")[0]]))
            for _area, place, zone in grouped
        ]
        choices.append(SelectChoice("UTC", "UTC", optgroup="UTC"))
        stored = getattr(field, "object_data", None)
        if stored in _known_zones() and stored not in canonical_zones() and stored != "UTC":
            choices.append(SelectChoice(stored, stored, optgroup=str(_l("Other"))))
        return choices


def zone_choices(empty_label: str | None = None) -> ZoneChoices:
    """The time-zone picker's choices: canonical zones in one group per area, then UTC;
    with ``empty_label``, first an empty choice (no zone of one's own). Assign it to a
    SelectField's ``choices``: the field's stored zone stays a choice (in a group
    "Other") even when it is not canonical, so an old value shows as selected and is
    kept by a save, while no other non-canonical name is accepted."""
    return ZoneChoices(empty_label)


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's refusal next to the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
