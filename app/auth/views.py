import math

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

import app.auth.signing_in as signing_in
from app import labels
from app.auth.forms import AccountForm, LoginForm, PasswordForm
from app.extensions import login_manager
from app.forms import zone_choices
from app.redirects import local_target
from app.refusal import refusal_on
from decisions import passwords, settings, users
from decisions.db import db
from decisions.models import User
from notifications import preferences

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    return passwords.user_by_session_token(db.session, session_token)


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        account = (form.email.data or "").strip().lower()
        wait = signing_in.wait(account, request.remote_addr)
        if wait is not None:
            return _too_many_tries(form, wait)
        user = passwords.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(local_target(request.args.get("next")))
        signing_in.failed(account, request.remote_addr)
        form.form_errors.append(_("Wrong e-mail or password."))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


def _too_many_tries(form: LoginForm, wait: float):  # type: ignore[no-untyped-def]
    minutes = max(1, math.ceil(wait / 60))
    form.form_errors.append(
        ngettext(
            "Too many wrong passwords: signing in is paused. Try again in %(num)d minute.",
            "Too many wrong passwords: signing in is paused. Try again in %(num)d minutes.",
            minutes,
        )
    )
    html = render_template("auth/login.html", form=form)
    return html, 429, {"Retry-After": str(int(wait))}


@bp.post("/logout")
@login_required
def logout():  # type: ignore[no-untyped-def]
    # A new session token: this cookie, a remember-me cookie and every other session of
    # the user stop working on the server, not only in this browser.
    passwords.end_sessions(db.session, current_user)
    logout_user()
    flash(_("You are signed out, on every device."))
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():  # type: ignore[no-untyped-def]
    form = _account_form()
    if form.validate_on_submit():
        with refusal_on(form):
            if form.email_events.data:  # checked first; update_user's commit saves both
                preferences.set_email_events(db.session, current_user, form.email_events.data)
            users.update_user(
                db.session,
                None,
                current_user.id,
                name=form.name.data,
                time_zone=form.time_zone.data,
                locale=form.locale.data or None,
            )
            flash(_("Your account is saved."))
            return redirect(url_for("auth.account"))
    status = 422 if form.errors or form.form_errors else 200
    return _account_page(form, PasswordForm(), status)


@bp.post("/account/password")
@login_required
def change_password():  # type: ignore[no-untyped-def]
    form = PasswordForm()
    if form.validate_on_submit():
        if passwords.authenticate(db.session, current_user.email, form.current.data) is None:
            form.current.errors = [_("This is not your current password.")]
        else:
            passwords.set_password(db.session, current_user, form.password.data)
            login_user(current_user._get_current_object())  # the user, not the proxy
            flash(_("Your password is changed; other sessions are signed out."))
            return redirect(url_for("auth.account"))
    return _account_page(_account_form(), form, 422)


def _account_page(form: AccountForm, password_form: PasswordForm, status: int):  # type: ignore[no-untyped-def]
    role_label = labels.ROLE[current_user.role]
    return render_template(
        "auth/account.html", form=form, password_form=password_form, role_label=role_label
    ), status


def _account_form() -> AccountForm:
    form = AccountForm(obj=current_user, time_zone=current_user.time_zone or "")
    if not form.is_submitted():  # the language the pages speak, chosen or not
        form.locale.data = current_user.locale or str(get_locale())
    zone = settings.get_partnership(db.session).time_zone
    form.time_zone.choices = zone_choices(_("The partnership's time zone (%(zone)s)", zone=zone))
    return form
