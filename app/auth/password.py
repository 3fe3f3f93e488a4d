"""The forgotten password: a form that e-mails a single-use link, and the page of that
link, where a new password is chosen.

The form answers the same whether or not an account uses the address, and is limited
per client address like the public application. The link's page holds its secret in
the address: no cache keeps it, no Referer sends it on.
"""

import math

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user
from werkzeug.wrappers import Response

from app import ratelimit
from app.auth.forms import ForgottenForm, NewPasswordForm
from app.auth.views import bp
from app.refusal import refusal_on
from app.secret_pages import private
from decisions import password_reset
from decisions.db import db
from decisions.errors import InvitationInvalid
from notifications import password_mail
from notifications.settings import Settings

Page = str | tuple[str, int] | tuple[str, int, dict[str, str]] | Response


@bp.route("/password/forgotten", methods=["GET", "POST"])
def forgotten() -> Page:
    form = ForgottenForm()
    if form.is_submitted():
        wait = ratelimit.refuse(request.remote_addr, "password_reset")
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            page = render_template("auth/too_many.html", minutes=minutes)
            return page, 429, {"Retry-After": str(int(wait))}
    if form.validate_on_submit():
        with refusal_on(form):  # a malformed address: nothing was made
            password_mail.send_link(db.session, Settings.of_app(), form.email.data or "")
            return redirect(url_for("auth.reset_sent"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/forgotten.html", form=form), status


@bp.get("/password/forgotten/sent")
def reset_sent() -> Page:
    return render_template("auth/reset_sent.html", hours=password_reset.RESET_HOURS)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Response:
    found = password_reset.reset_by_token(db.session, token)
    if found is None:
        return private(render_template("auth/reset_invalid.html"), 404)
    form = NewPasswordForm()
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            user = password_reset.reset_password(db.session, token, form.password.data or "")
            login_user(user)
            flash(_("Your new password is set, and you are signed in."))
            return private(redirect(url_for("main.home")), 302)
    if isinstance(refusal.error, InvitationInvalid):  # used or expired while the form was open
        return private(render_template("auth/reset_invalid.html"), 404)
    status = 422 if form.errors or form.form_errors else 200
    page = render_template("auth/reset.html", form=form, person=found.user)
    return private(page, status)
