"""The Secretariat's review of applications: the queue, an application's page with its
eligibility and letter, the recommendation, and turning it into a proposal or declining it.

Applicants' data is the Secretariat's alone: every page here answers 403 to anyone else.
"""

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app import labels
from app.access import secretariat_required
from app.applications.blueprint import bp
from app.applications.forms import QueueFilter, RecommendationForm, yes
from app.applications.places import by_subregion, country_name
from app.domain_errors import status_of
from app.forms import ButtonForm, options
from app.letters import letters_dir
from app.refusal import refusal_on
from decisions import application_review, applications, letters
from decisions.application_models import Application, ApplicationStatus
from decisions.db import db
from decisions.eligibility import Eligibility
from decisions.errors import DomainError
from decisions.paging import in_pages

Page = str | tuple[str, int] | Response


@dataclass(frozen=True)
class Row:
    application: Application
    eligibility: Eligibility


@bp.get("/applications")
@secretariat_required
def queue() -> Page:
    filters = QueueFilter(formdata=request.args)
    filters.status.choices = options([("", _("All")), *labels.APPLICATION_STATUS.items()])
    status = 200
    rows: list[Row] = []
    if filters.validate():
        found = applications.applications(db.session, filters.status.data or None)
        checked = applications.eligibilities(db.session, found)
        rows = [Row(application, checked[application]) for application in found]
        if filters.eligible.data:
            wanted = yes(filters.eligible.data)
            rows = [row for row in rows if row.eligibility.eligible == wanted]
    else:
        status = 422
    try:
        page = in_pages(rows, request.args.get("page"))
    except DomainError as error:
        page, status = in_pages([]), status_of(error)
        filters.form_errors.append(error.message)
    return render_template("applications/queue.html", filters=filters, page=page), status


@dataclass(frozen=True)
class Actions:
    """What the Secretariat may do with the application now: each shows its form."""

    recommend: bool
    propose: bool
    decline: bool


def _actions(application: Application) -> Actions:
    under_review = application.status in applications.UNDER_REVIEW
    return Actions(
        recommend=under_review,
        propose=application.status
        in (ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED),
        # The service says why not when a round is deciding the proposal.
        decline=under_review or application.status == ApplicationStatus.PROPOSED,
    )


@bp.get("/applications/<int:application_id>")
@secretariat_required
def show(application_id: int) -> Page:
    return _page(application_id)


def _page(application_id: int, status: int = 200, **bound: FlaskForm) -> Page:
    """The application's page; ``bound`` holds a submitted form to show with its errors."""
    application = applications.get_application(db.session, application_id)
    recommendation = bound.get("recommendation") or RecommendationForm(
        formdata=None,
        recommend=_stored_choice(application.recommend),
        text=application.recommendation,
    )
    return render_template(
        "applications/show.html",
        application=application,
        eligibility=applications.eligibility(db.session, application),
        headquarters=country_name(application.headquarters_country),
        operating=by_subregion(application.operating_countries or []),
        has_letter=letters.letter_file(application, letters_dir()) is not None,
        actions=_actions(application),
        recommendation_form=recommendation,
        propose_form=bound.get("propose") or ButtonForm(formdata=None),
    ), status


def _stored_choice(recommend: bool | None) -> str | None:
    return None if recommend is None else ("yes" if recommend else "no")


@bp.get("/applications/<int:application_id>/letter")
@secretariat_required
def letter(application_id: int) -> Any:
    application = applications.get_application(db.session, application_id)
    path = letters.letter_file(application, letters_dir())
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"letter-of-intent-{application.id}.pdf",
        max_age=0,
    )


@bp.post("/applications/<int:application_id>/recommendation")
@secretariat_required
def recommend(application_id: int) -> Page:
    form = RecommendationForm()
    if not form.validate_on_submit():
        return _page(application_id, 422, recommendation=form)
    with refusal_on(form) as refusal:
        application_review.recommend(
            db.session, current_user, application_id, yes(form.recommend.data), form.text.data
        )
        flash(_("The recommendation is recorded."))
        return redirect(url_for("applications.show", application_id=application_id))
    return _page(application_id, refusal.page_status(), recommendation=form)


@bp.post("/applications/<int:application_id>/propose")
@secretariat_required
def propose(application_id: int) -> Page:
    form = ButtonForm()
    if not form.validate_on_submit():
        return _page(application_id, 422, propose=form)
    with refusal_on(form) as refusal:
        proposal = application_review.propose(db.session, current_user, application_id)
        flash(
            _("The admission proposal is saved as a draft: open a round to put it to the partners.")
        )
        return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return _page(application_id, refusal.page_status(), propose=form)


@bp.route("/applications/<int:application_id>/decline", methods=["GET", "POST"])
@secretariat_required
def decline(application_id: int) -> Page:
    """Declining cannot be undone, so it asks once more: GET shows the question, POST
    declines."""
    form = ButtonForm()
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            application_review.decline(db.session, current_user, application_id)
            flash(_("The application is declined; the applicant is told by e-mail."))
            return redirect(url_for("applications.show", application_id=application_id))
    status = refusal.page_status()
    application = applications.get_application(db.session, application_id)
    may_decline = _actions(application).decline
    if not may_decline and status == 200:
        status = 409  # a stale link: the application is closed
    return render_template(
        "applications/decline.html",
        application=application,
        form=form,
        may_decline=may_decline,
    ), status
