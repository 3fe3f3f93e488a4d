"""The decision log's filter form (sent by GET, so no CSRF token) and the words shown
for the log's stored values."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField

try:  # WTForms 3.3 declares options as SelectChoice and deprecates tuples
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choices(pairs: Any) -> list[Any]:
    """Select options from (value, label) pairs, in the form this WTForms wants."""
    if SelectChoice is None:  # pragma: no cover
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


OUTCOME_LABELS = {
    "adopted": _l("Adopted"),
    "blocked": _l("Blocked"),
    "lapsed": _l("Lapsed"),
    "withdrawn": _l("Withdrawn"),
}

KIND_LABELS = {
    "general": _l("General"),
    "admission": _l("Admission"),
    "regional_focus": _l("Regional focus"),
    "suspension": _l("Suspension"),
    "removal": _l("Removal"),
}

STANCE_LABELS = {
    "consent": _l("Consent"),
    "stand_aside": _l("Stand aside"),
    "object": _l("Object"),
    "pending": _l("No position (pending)"),
}

PARTNER_STATUS_LABELS = {
    "active": _l("active"),
    "suspended": _l("suspended"),
    "removed": _l("removed"),
}


class LogFilterForm(FlaskForm):
    class Meta:
        # A GET search changes nothing, and its URL must be shareable.
        csrf = False

    outcome = SelectField(
        _l("Outcome"), choices=choices([("", _l("Any outcome")), *OUTCOME_LABELS.items()])
    )
    kind = SelectField(_l("Kind"), choices=choices([("", _l("Any kind")), *KIND_LABELS.items()]))
    year = SelectField(_l("Year"), choices=[])
    q = SearchField(_l("Search titles and texts"))

    def offer_years(self, years: list[int]) -> None:
        self.year.choices = choices([("", _l("Any year")), *((str(y), str(y)) for y in years)])
