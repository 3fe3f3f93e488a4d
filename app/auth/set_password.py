"""The page of a single-use link that sets a password: an invitation's, a password
reset's (decisions.secret_links).

The token in the address is the only key: no sign-in. An unknown, used or expired token
gets a page that says so and changes nothing; a good one, with a password typed twice,
sets the password, ends the user's other links and sessions and signs the person in.
The page holds its secret in the address: no cache keeps it, no Referer sends it on.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.auth.forms import InvitationForm, NewPasswordForm
from app.auth.views import bp
from app.refusal import refusal_on
from app.secret_pages import private
from decisions import secret_links
from decisions.credential_models import Invitation, PasswordReset
from decisions.db import db
from decisions.errors import InvitationInvalid


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Response:
    return _set_password(
        Invitation,
        token,
        InvitationForm,
        "auth/invitation",
        _l("Your password is set. Welcome to Accord."),
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Response:
    return _set_password(
        PasswordReset,
        token,
        NewPasswordForm,
        "auth/reset",
        _l("Your new password is set, and you are signed in."),
    )


def _set_password(
    kind: type[secret_links.Link],
    token: str,
    form_class: type[FlaskForm],
    template: str,
    done: str,
) -> Response:
    """``template``.html shows the form, ``template``_invalid.html a link that does not work."""
    found = secret_links.find(db.session, kind, token)
    if found is None:
        return private(render_template(f"{template}_invalid.html"), 404)
    form = form_class()
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            user = secret_links.use(db.session, kind, token, form.password.data or "")
            login_user(user)
            flash(str(done))
            return private(redirect(url_for("main.home")), 302)
    if isinstance(refusal.error, InvitationInvalid):  # used or expired while the form was open
        return private(render_template(f"{template}_invalid.html"), 404)
    status = 422 if form.errors or form.form_errors else 200
    return private(render_template(f"{template}.html", form=form, person=found.user), status)
