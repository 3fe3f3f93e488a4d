"""The language switch at the foot of every page: a signed-in user's choice is kept on
the account (as ``PATCH /me`` keeps it), a visitor's or an applicant's in a cookie."""

from flask import redirect
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectChoice, SelectField

from app.i18n import COOKIE, COOKIE_AGE
from app.main.views import bp
from app.redirects import local_target
from decisions import users
from decisions.db import db
from decisions.languages import LANGUAGES


class LanguageForm(FlaskForm):
    language = SelectField(choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()])
    #: the page the switch was on, to go back to
    next = HiddenField()


@bp.post("/language")
def choose_language() -> Response:
    form = LanguageForm()
    back = redirect(local_target(form.next.data))
    if not form.validate_on_submit():  # an unknown language, or no CSRF token: no change
        return back
    code = str(form.language.data)
    if current_user.is_authenticated:
        users.update_user(db.session, None, current_user.id, locale=code)
    back.set_cookie(COOKIE, code, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    return back
