"""The decision log's filter form (sent by GET, so no CSRF token) and the words shown
for the log's stored values."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, StringField

from app import labels
from app.forms import options as choices


class LogFilterForm(FlaskForm):
    class Meta:
        # A GET search changes nothing, and its URL must be shareable.
        csrf = False

    outcome = SelectField(
        _l("Outcome"), choices=choices([("", _l("Any outcome")), *labels.OUTCOME.items()])
    )
    kind = SelectField(_l("Kind"), choices=choices([("", _l("Any kind")), *labels.KIND.items()]))
    year = SelectField(_l("Year"), choices=[])
    q = SearchField(_l("Search titles and texts"))

    def offer_years(self, years: list[int]) -> None:
        self.year.choices = choices([("", _l("Any year")), *((str(y), str(y)) for y in years)])


class ReceiptForm(FlaskForm):
    """A receipt to check (sent by GET: it changes nothing, and its answer's URL may be
    kept)."""

    class Meta:
        csrf = False

    receipt = StringField(_l("Receipt"))
