"""Forms of the page where a person manages their own API tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from decisions.models import NAME_MAX


class TokenForm(FlaskForm):
    label = StringField(_l("Label"), validators=[Optional(), Length(max=NAME_MAX)])


class RevokeTokenForm(FlaskForm):
    """Only the CSRF token: which token to revoke is in the address."""
