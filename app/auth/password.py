"""The forgotten password: a form that e-mails a single-use link (whose page is in
app.auth.set_password).

The form answers the same whether or not an account uses the address, and is limited
per client address like the public application.
"""

import math

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app import ratelimit
from app.auth.forms import ForgottenForm
from app.auth.views import bp
from app.refusal import refusal_on
from decisions import password_reset
from decisions.db import db
from notifications import password_mail
from notifications.settings import Settings


@bp.route("/password/forgotten", methods=["GET", "POST"])
def forgotten() -> ResponseReturnValue:
    form = ForgottenForm()
    if form.is_submitted():
        wait = ratelimit.refuse(request.remote_addr, "password_reset")
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            html = render_template("auth/too_many.html", minutes=minutes)
            return html, 429, {"Retry-After": str(int(wait))}
    if form.validate_on_submit():
        with refusal_on(form):  # a malformed address: nothing was made
            password_mail.send_link(db.session, Settings.of_app(), form.email.data or "")
            return redirect(url_for("auth.reset_sent"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/forgotten.html", form=form), status


@bp.get("/password/forgotten/sent")
def reset_sent() -> ResponseReturnValue:
    return render_template("auth/reset_sent.html", hours=password_reset.RESET_HOURS)
