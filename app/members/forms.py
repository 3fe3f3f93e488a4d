"""Forms of the Secretariat's administration pages: partners, users, settings.

They check the shape of input only; whether a value is allowed (a unique name, a partner
for a representative, the regional focus after the first decision) is the services' word.
"""

import re
from collections.abc import Iterable
from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app import labels
from app.forms import options, zone_choices
from decisions.countries import SUBREGIONS
from decisions.kind_rules import MAX_ROUND_HOURS
from decisions.models import EMAIL_MAX, NAME_MAX, ProposalKind

# Two-letter codes Babel names that are not countries: exceptionally reserved codes
# (Ascension, Clipperton, Diego Garcia, Ceuta, Canaries, Tristan, EU, Eurozone, UN) and
# CLDR's private-use ones. XK (Kosovo) stays: it is the code in common use.
_NOT_COUNTRIES = {
    "AC",
    "CP",
    "CQ",
    "DG",
    "EA",
    "EU",
    "EZ",
    "IC",
    "QO",
    "TA",
    "UN",
    "XA",
    "XB",
    "ZZ",
}
_SEPARATORS = re.compile(r"[\s,;]+")
_BAD_HOURS = _l("Whole numbers of hours separated by commas, e.g. 72, 24, 3.")


def country_choices(current: str | None = None) -> list[SelectChoice]:
    """ISO 3166 alpha-2 codes named in the reader's language, sorted by name. A code
    already stored is kept even if the list lacks it, so an edit never loses it."""
    names = Locale.parse(str(get_locale() or "en")).territories
    codes = {c for c in names if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES}
    if current:
        codes.add(current)
    named = sorted((f"{names.get(code, code)} ({code})", code) for code in codes)
    return options([("", _l("Choose a country")), *((code, name) for name, code in named)])


def optional_id(value: Any) -> int | None:
    """'' (no partner) becomes None; anything else must be a whole number."""
    if value in (None, ""):
        return None
    return int(value)


class ListField(StringField):
    """Text such as "72, 24, 3" shown and read as a list; separators are commas,
    semicolons or spaces."""

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return ", ".join(str(item) for item in self.data or [])

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            self.data = self.parse([p for p in _SEPARATORS.split(valuelist[0]) if p])

    def parse(self, items: list[str]) -> list[Any]:
        return items


class HoursField(ListField):
    def parse(self, items: list[str]) -> list[Any]:
        try:
            return [int(item) for item in items]
        except ValueError:
            raise ValueError(_BAD_HOURS) from None


class CountryCodesField(ListField):
    def parse(self, items: list[str]) -> list[Any]:
        return [item.upper() for item in items]


class PartnerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    country = SelectField(_l("Country of the headquarters"), validators=[InputRequired()])
    category = SelectField(_l("Membership category"), validators=[InputRequired()])

    def offer(self, categories: Iterable[Any], country: str | None = None) -> None:
        self.country.choices = country_choices(country)
        self.category.choices = options((c.slug, c.name) for c in categories)


class PartnerStatusForm(FlaskForm):
    """Suspends or reactivates a partner: the status it sets is its one field."""

    status = HiddenField(validators=[InputRequired()])


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    role = SelectField(_l("Role"), choices=options(labels.ROLE.items()))
    partner_id = SelectField(_l("Partner"), coerce=optional_id, validate_choice=True)
    time_zone = SelectField(_l("Time zone"))
    active = BooleanField(_l("Active: may sign in"))
    password = PasswordField(_l("New password"), validators=[Optional(), Length(min=8, max=200)])

    def offer(self, partners: Iterable[Any]) -> None:
        self.partner_id.choices = options(
            [("", _l("None (Secretariat or observer)")), *((p.id, p.name) for p in partners)]
        )
        self.time_zone.choices = zone_choices(str(_l("The partnership's time zone")))


class UserForm(UserEditForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=EMAIL_MAX)])
    password = PasswordField(
        _l("Initial password"), validators=[Optional(), Length(min=8, max=200)]
    )
    active = None  # type: ignore[assignment]  # a new user is active


class SettingsForm(FlaskForm):
    name = StringField(
        _l("Name of the partnership"), validators=[DataRequired(), Length(max=NAME_MAX)]
    )
    time_zone = SelectField(_l("Time zone"))
    default_quorum = IntegerField(
        _l("Default quorum"),
        validators=[InputRequired(_l("A whole number, zero or more."))],
        render_kw={"min": 0},
    )
    reminder_offsets_hours = HoursField(_l("Reminders, hours before the deadline"))
    regional_focus = CountryCodesField(_l("Regional focus"))
    #: whole sub-regions added to the focus (only while the founding Secretariat sets it)
    focus_subregions = SelectMultipleField(
        _l("Add every country of these UN sub-regions"),
        invalid_choice_message=_l("Choose sub-regions from the list."),
    )
    public_log = BooleanField(_l("Anyone may read the decision log without signing in"))

    def offer(self) -> None:
        self.time_zone.choices = zone_choices()
        self.focus_subregions.choices = options((name, name) for name in SUBREGIONS)

    def focus(self) -> list[str] | None:
        """The focus the form sends: the codes typed plus the sub-regions ticked; None
        when it sends none (the page shows the focus read-only)."""
        if not self.regional_focus.raw_data and not self.focus_subregions.data:
            return None
        whole = {code for name in self.focus_subregions.data or [] for code in SUBREGIONS[name]}
        return sorted(set(self.regional_focus.data or []) | whole)


class KindRulesForm(FlaskForm):
    """Each kind of proposal's rules: the shortest round, in hours, and whether silence
    may count as consent; one ``min_round_hours_<kind>`` and one ``allow_silence_<kind>``
    field per kind (added below)."""

    @classmethod
    def data_of(cls, rules: dict[str, Any]) -> dict[str, Any]:
        """The form's fields filled from ``kind_rules.rules_of``."""
        data: dict[str, Any] = {}
        for kind, rule in rules.items():
            data[f"min_round_hours_{kind}"] = rule["min_round_hours"]
            data[f"allow_silence_{kind}"] = rule["allow_silence"]
        return data

    def fields_of(self, kind: str) -> tuple[Any, Any]:
        return self[f"min_round_hours_{kind}"], self[f"allow_silence_{kind}"]

    def rules(self) -> dict[str, dict[str, Any]]:
        """What the form sends, as ``settings.update_settings`` takes it."""
        return {
            kind.value: {
                "min_round_hours": self[f"min_round_hours_{kind}"].data,
                "allow_silence": bool(self[f"allow_silence_{kind}"].data),
            }
            for kind in ProposalKind
        }


_HOURS = _l("A whole number of hours, from 0 to %(n)d.", n=MAX_ROUND_HOURS)
for _kind in ProposalKind:
    setattr(
        KindRulesForm,
        f"min_round_hours_{_kind}",
        IntegerField(
            _l("Shortest round, in hours"),
            validators=[InputRequired(_HOURS), NumberRange(0, MAX_ROUND_HOURS, _HOURS)],
            render_kw={"min": 0, "max": MAX_ROUND_HOURS, "inputmode": "numeric"},
        ),
    )
    setattr(
        KindRulesForm, f"allow_silence_{_kind}", BooleanField(_l("Silence may count as consent"))
    )
