"""Forms of the proposal and round pages. They check the shape of the input; whether a
round is open, a deadline passed or a reason is needed is the services' question."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from app import labels
from decisions.errors import InvalidInput
from decisions.languages import LANGUAGES
from decisions.models import BODY_MAX, NOTE_MAX, REASON_MAX, TITLE_MAX

#: kinds whose subject is a partner (consensus minus one)
PARTNER_KINDS = ("suspension", "removal")
#: what a datetime-local input sends; seconds are accepted from hand-written requests
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def select_choices(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value=value, label=label) for value, label in labels.items()]


def optional_int(value: object) -> int | None:
    """An empty select sends ""; that is no choice, not a bad one."""
    if value in (None, ""):
        return None
    return int(value)  # type: ignore[call-overload]


def in_zone_to_utc(local: datetime, zone: str, field: str = "deadline") -> datetime:
    """A wall-clock time entered in ``zone`` as an aware UTC datetime.

    A time inside the hour skipped when the clocks go forward does not exist; rather than
    guess which moment was meant, the form asks again. So does a time the calendar cannot
    hold in UTC (year 0 or 10000): a refusal naming the field, not an OverflowError.
    """
    aware = local.replace(tzinfo=ZoneInfo(zone))
    try:
        utc = aware.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00 in Tokyo is in year 0 in UTC
        raise InvalidInput(
            _l("This date is too far in the past or the future."), field=field
        ) from None
    if utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != local:
        raise InvalidInput(
            _l("This time does not exist in %(zone)s: the clocks change then.", zone=zone),
            field=field,
        )
    return utc


def utc_to_zone(moment: datetime, zone: str) -> datetime:
    """The naive wall-clock time in ``zone``, to fill a datetime-local input."""
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def language_field() -> SelectField:
    """The authoritative text's language; each named in its own words, as the switch does.
    Whether it is one Accord speaks is the service's question."""
    return SelectField(_l("Written in"), choices=select_choices(LANGUAGES), validate_choice=False)


class ProposalForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=BODY_MAX)])
    language = language_field()
    kind = SelectField(_l("Kind"), choices=select_choices(labels.KIND), default="general")
    partner_id = SelectField(
        _l("Partner concerned"), choices=[], coerce=optional_int, validators=[Optional()]
    )
    countries = StringField(
        _l("Countries of the new regional focus"), validators=[Length(max=2000)]
    )

    def subject(self) -> dict[str, Any] | None:
        """What the proposal acts on, in the shape ``draft_proposal`` takes; the service
        checks that it fits the kind."""
        if self.kind.data in PARTNER_KINDS:
            return {"partner_id": self.partner_id.data}
        if self.kind.data == "regional_focus":
            codes = self.countries.data.replace(",", " ").split()
            return {"countries": codes}
        return None

    def subject_field(self) -> str:
        """The field where a refusal of the subject belongs."""
        return "countries" if self.kind.data == "regional_focus" else "partner_id"


class AmendForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=BODY_MAX)])
    language = language_field()


class TranslationForm(FlaskForm):
    """One language's rendering of the title and text; the language is in the address."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=BODY_MAX)])


class PositionForm(FlaskForm):
    """A representative speaks for its own partner, named in a hidden field."""

    partner_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    stance = RadioField(
        _l("Position"),
        choices=select_choices({k: v for k, v in labels.STANCE.items() if k != "pending"}),
        validators=[InputRequired()],
    )
    reason = TextAreaField(_l("Reason"), validators=[Length(max=REASON_MAX)])


class OnBehalfForm(PositionForm):
    """The Secretariat records a position received by letter, e-mail or call."""

    # The choices (the electorate) are set for display only: whether the partner may
    # speak in the round is the service's question (NotInElectorate).
    partner_id = SelectField(
        _l("Partner"),
        choices=[],
        coerce=optional_int,
        validate_choice=False,
        validators=[InputRequired()],
    )
    note = TextAreaField(
        _l("How was the position received?"), validators=[DataRequired(), Length(max=NOTE_MAX)]
    )


class OpenRoundForm(FlaskForm):
    deadline = DateTimeLocalField(_l("Deadline"), format=LOCAL_FORMATS, validators=[DataRequired()])
    quorum = IntegerField(_l("Quorum"), validators=[InputRequired(), NumberRange(min=0)])
    auto_close = BooleanField(_l("Close automatically at the deadline"))


class ExtendForm(FlaskForm):
    deadline = DateTimeLocalField(
        _l("New deadline"), format=LOCAL_FORMATS, validators=[DataRequired()]
    )
