"""Forms of the membership pages: the public application, the applicant's withdrawal,
the Secretariat's recommendation, and a category's settings.

They check the shape of input; whether an organisation may apply, with which letter, and
whether an application can still change are the services' word.
"""

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

import app.applications.places as places
from app.forms import options
from decisions.application_models import MANDATE_MAX
from decisions.letters import LETTER_MAX
from decisions.models import EMAIL_MAX, NAME_MAX, REASON_MAX

YES_NO = options([("yes", _l("Yes")), ("no", _l("No"))])
_ANSWER = _l("Answer yes or no.")


def yes(value: str | None) -> bool:
    return value == "yes"


class ApplyForm(FlaskForm):
    organisation_name = StringField(
        _l("Name of the organisation"), validators=[DataRequired(), Length(max=NAME_MAX)]
    )
    mandate = TextAreaField(
        _l("Mandate and principal activities"),
        validators=[DataRequired(), Length(max=MANDATE_MAX)],
    )
    headquarters_country = SelectField(
        _l("Country of the headquarters"),
        validators=[InputRequired(_l("Choose a country."))],
        invalid_choice_message=_l("Choose a country from the list."),
    )
    operating_countries = SelectMultipleField(
        _l("Countries where the organisation works"),
        validators=[DataRequired(_l("Choose at least one country."))],
        invalid_choice_message=_l("Choose countries from the list."),
    )
    legally_registered = RadioField(
        _l("Is the organisation legally registered?"),
        choices=YES_NO,
        validators=[InputRequired(_ANSWER)],
    )
    government_controlled = RadioField(
        _l("Is the organisation operated or controlled by a government?"),
        choices=YES_NO,
        validators=[InputRequired(_ANSWER)],
    )
    agrees_with_principles = RadioField(
        _l("Does the organisation agree with the partnership's principles?"),
        choices=YES_NO,
        validators=[InputRequired(_ANSWER)],
    )
    category = SelectField(
        _l("Category applied for"),
        validators=[InputRequired(_l("Choose a category."))],
        invalid_choice_message=_l("Choose a category from the list."),
    )
    contact_name = StringField(
        _l("Contact person"), validators=[DataRequired(), Length(max=NAME_MAX)]
    )
    contact_email = EmailField(
        _l("Contact e-mail address"), validators=[DataRequired(), Length(max=EMAIL_MAX)]
    )
    letter_of_intent = FileField(
        _l("Signed letter of intent (PDF)"), render_kw={"accept": ".pdf,application/pdf"}
    )

    def offer(self, categories: Iterable[Any]) -> None:
        self.headquarters_country.choices = places.country_choices(
            empty_label=str(_l("Choose a country"))
        )
        self.operating_countries.choices = places.country_choices()
        self.category.choices = options((c.slug, c.name) for c in categories)

    def letter(self) -> bytes | None:
        """The uploaded letter's bytes, read no further than one byte past the limit (so
        the service can tell "too large"); None when no file was chosen."""
        storage = self.letter_of_intent.data
        if not isinstance(storage, FileStorage) or not storage:
            return None
        return storage.stream.read(LETTER_MAX + 1)


class RecommendationForm(FlaskForm):
    recommend = RadioField(
        _l("The Secretariat's recommendation"),
        choices=options([("yes", _l("Recommend admission")), ("no", _l("Do not recommend"))]),
        validators=[InputRequired(_l("Choose whether to recommend."))],
    )
    text = TextAreaField(
        _l("Reasons for the partners"), validators=[DataRequired(), Length(max=REASON_MAX)]
    )


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    has_standing = BooleanField(_l("Partners in this category have a voice in decisions"))


class RetireCategoryForm(FlaskForm):
    """Retires a category or brings it back: what it sets is its one field, so a form
    sent twice does not undo itself."""

    retired = SelectField(choices=options([("yes", "yes"), ("no", "no")]))


class QueueFilter(FlaskForm):
    """The queue's filters, read from the query string."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), default="")
    eligible = SelectField(
        _l("Eligibility"),
        default="",
        choices=options([("", _l("All")), ("yes", _l("Eligible")), ("no", _l("Not eligible"))]),
    )


class DirectoryFilter(FlaskForm):
    """The directory's filters, read from the query string. A value no partner has (a
    sub-region or category from an old link) is kept, and simply matches no partner."""

    class Meta:
        csrf = False

    subregion = SelectField(_l("Sub-region"), default="", validate_choice=False)
    category = SelectField(_l("Category"), default="", validate_choice=False)
    name = SearchField(_l("Name"), default="", validators=[Length(max=NAME_MAX)])

    def offer(self, places: Iterable[str], categories: Iterable[tuple[str, str]]) -> None:
        """The sub-regions and categories the partners are in, in the directory's order."""
        self.subregion.choices = options([("", _l("All")), *((p, p) for p in places)])
        self.category.choices = options([("", _l("All")), *categories])
