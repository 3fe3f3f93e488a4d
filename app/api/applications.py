"""Membership applications: the public submission, and the Secretariat's review."""

from flask import request
from werkzeug.exceptions import TooManyRequests

import app.api.represent as represent
from app import ratelimit
from app.api.blueprint import bp
from app.api.members import SECRETARIAT
from app.api.operations import BODY_LIMIT, operation
from app.api.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationQuery,
    ApplicationReceivedOut,
    Listing,
    ProposalOut,
    RecommendationIn,
)
from app.i18n import request_language
from app.letters import letters_dir
from decisions import application_review, applications, letters, queries
from decisions.application_models import Application
from decisions.db import db
from decisions.models import User
from decisions.paging import paginate

LETTER = "letter_of_intent"


def _within_rate() -> None:
    """The public form's limit, counted together with it: per address, before the body
    is read, refused applications included."""
    wait = ratelimit.refuse(request.remote_addr)
    if wait is not None:
        raise TooManyRequests(retry_after=int(wait))


@operation(
    bp,
    "POST",
    "/applications",
    summary="Apply for membership",
    public=True,
    body=ApplicationIn,
    status=201,
    answer=ApplicationReceivedOut,
    files=(LETTER,),
    body_limit=letters.LETTER_MAX + BODY_LIMIT,
    guard=_within_rate,
    also=(429,),
)
def submit_application(
    user: None, body: ApplicationIn, files: dict[str, bytes | None]
) -> ApplicationReceivedOut:
    """No token needed. As JSON, or as multipart/form-data with ``letter_of_intent``: a
    PDF (by its content, whatever its name or declared type) of at most 5 MB, required
    for a category with a voice. The applicant is e-mailed a confirmation with a link
    to withdraw; the answer says whether the application looks eligible, and why not.
    One address may send a few an hour (ACCORD_APPLY_RATE, shared with the web form);
    beyond that, 429 with Retry-After."""
    data = applications.ApplicationInput(**body.model_dump())
    row, _token = applications.submit_application(
        db.session, data, files[LETTER], letters_dir(), language=request_language()
    )
    return ApplicationReceivedOut(
        id=row.id,
        status=row.status,
        eligibility=represent.eligibility(applications.eligibility(db.session, row)),
    )


@operation(
    bp,
    "GET",
    "/applications",
    summary="Membership applications, newest first",
    who=SECRETARIAT,
    query=ApplicationQuery,
    answer=Listing[ApplicationOut],
)
def list_applications(user: User, query: ApplicationQuery) -> Listing[ApplicationOut]:
    page = paginate(
        db.session, applications.applications_query(query.status), query.page, query.per_page
    )
    checked = applications.eligibilities(db.session, page.items)
    return represent.listing(page, lambda row: represent.application(row, checked[row]))


@operation(
    bp,
    "GET",
    "/applications/{application_id}",
    summary="A membership application",
    who=SECRETARIAT,
    answer=ApplicationOut,
)
def get_application(user: User, application_id: int) -> ApplicationOut:
    return _application_out(applications.get_application(db.session, application_id))


@operation(
    bp,
    "POST",
    "/applications/{application_id}/recommendation",
    summary="Record the Secretariat's recommendation",
    who=SECRETARIAT,
    body=RecommendationIn,
    answer=ApplicationOut,
    also=(409,),
)
def recommend(user: User, application_id: int, body: RecommendationIn) -> ApplicationOut:
    """While the application is under review (received, recommended or not
    recommended); 409 once it is proposed or closed. A new recommendation replaces the
    previous one."""
    row = application_review.recommend(db.session, user, application_id, body.recommend, body.text)
    return _application_out(row)


@operation(
    bp,
    "POST",
    "/applications/{application_id}/propose",
    summary="Turn the application into an admission proposal (a draft)",
    who=SECRETARIAT,
    status=201,
    answer=ProposalOut,
    also=(409,),
)
def propose(user: User, application_id: int) -> ProposalOut:
    """Once recommended (or not recommended): the draft's subject is this application
    and its text includes the recommendation. 409 before a recommendation, or once the
    application is proposed or closed."""
    proposal = application_review.propose(db.session, user, application_id)
    return represent.proposal(queries.proposal_overview(db.session, proposal.id))


def _application_out(row: Application) -> ApplicationOut:
    return represent.application(row, applications.eligibility(db.session, row))
