"""The set-password page a new representative reaches from the invitation e-mail.

The token in the address is the only key: no sign-in. An unknown, used or expired token
gets a page that says so and changes nothing; a good one, with a password typed twice,
sets the password, ends the invitation and signs the person in.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user
from werkzeug.wrappers import Response

from app.auth.forms import InvitationForm
from app.auth.views import bp
from app.refusal import refusal_on
from app.secret_pages import private
from decisions import invitations
from decisions.db import db
from decisions.errors import InvitationInvalid


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Response:
    found = invitations.invitation_by_token(db.session, token)
    if found is None:
        return private(render_template("auth/invitation_invalid.html"), 404)
    form = InvitationForm()
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            user = invitations.accept_invitation(db.session, token, form.password.data or "")
            login_user(user)
            flash(_("Your password is set. Welcome to Accord."))
            return private(redirect(url_for("main.home")), 302)
    if isinstance(refusal.error, InvitationInvalid):  # used or expired while the form was open
        return private(render_template("auth/invitation_invalid.html"), 404)
    status = 422 if form.errors or form.form_errors else 200
    page = render_template("auth/invitation.html", form=form, invited=found.user)
    return private(page, status)
