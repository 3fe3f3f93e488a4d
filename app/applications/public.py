"""The pages an applicant sees, without an account: the application form, its
confirmation, and the withdrawal reached from the secret link in the applicant's e-mail."""

import math

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import ratelimit
from app.applications.blueprint import bp
from app.applications.forms import ApplyForm, yes
from app.applications.places import focus_of, in_a_list
from app.domain_errors import status_of
from app.formatting import current_partnership
from app.forms import ButtonForm
from app.i18n import request_language
from app.letters import letters_dir
from app.refusal import refusal_on
from app.secret_pages import private
from decisions import applications
from decisions import categories as categories_domain
from decisions.db import db
from decisions.errors import DomainError

Page = str | tuple[str, int] | tuple[str, int, dict[str, str]] | Response


@bp.route("/apply", methods=["GET", "POST"])
def apply() -> Page:
    form = ApplyForm()
    categories = categories_domain.open_categories(db.session)  # a retired one is closed
    form.offer(categories)
    if form.is_submitted():
        wait = ratelimit.refuse(request.remote_addr)
        if wait is not None:
            return _too_many(wait)
    if form.validate_on_submit():
        # A refused application stored nothing, letter included.
        with refusal_on(form):
            applications.submit_application(
                db.session,
                _input(form),
                form.letter(),
                letters_dir(),
                language=request_language(),
            )
            return redirect(url_for("applications.received"))
    status = 422 if form.errors or form.form_errors else 200
    html = render_template(
        "applications/apply.html",
        form=form,
        # Said before the countries are picked, so an applicant outside it knows early.
        focus=focus_of(current_partnership().regional_focus or []),
        letter_needed_for=in_a_list([c.name for c in categories if c.has_standing]),
    )
    return html, status


def _input(form: ApplyForm) -> applications.ApplicationInput:
    return applications.ApplicationInput(
        organisation_name=form.organisation_name.data or "",
        mandate=form.mandate.data or "",
        headquarters_country=form.headquarters_country.data or "",
        operating_countries=list(form.operating_countries.data or []),
        legally_registered=yes(form.legally_registered.data),
        government_controlled=yes(form.government_controlled.data),
        agrees_with_principles=yes(form.agrees_with_principles.data),
        category=form.category.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
    )


def _too_many(wait: float) -> Page:
    minutes = max(1, math.ceil(wait / 60))
    html = render_template("applications/too_many.html", minutes=minutes)
    return html, 429, {"Retry-After": str(int(wait))}


@bp.get("/apply/received")
def received() -> Page:
    return render_template("applications/received.html")


@bp.route("/apply/<int:application_id>/withdraw/<token>", methods=["GET", "POST"])
def withdraw(application_id: int, token: str) -> Page:
    """The link is checked as soon as it is opened: a stale or wrong one says so rather
    than offering a button that can only fail."""
    form = ButtonForm()
    try:
        if form.validate_on_submit():
            applications.withdraw(db.session, application_id, token)
            return private(render_template("applications/withdrawn.html"))
        applications.withdrawable(db.session, application_id, token)
    except DomainError as error:
        html = render_template("applications/withdraw.html", form=form, refusal=error.message)
        return private(html, status_of(error))
    return private(render_template("applications/withdraw.html", form=form, refusal=None))
