"""The Secretariat's review of an application: its recommendation, then an admission
proposal, or a decline."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from decisions import proposals, validation
from decisions.access import require_secretariat
from decisions.application_models import Application, ApplicationStatus
from decisions.application_text import proposal_text
from decisions.applications import UNDER_REVIEW, change_status, eligibility, get_application, yes_no
from decisions.clock import now as clock_now
from decisions.errors import ApplicationClosed, NotAllowed
from decisions.lookup import get_row
from decisions.models import REASON_MAX, TITLE_MAX, Proposal, ProposalKind, ProposalStatus, User
from decisions.unit_of_work import unit_of_work


def recommend(
    session: Session,
    actor: User | None,
    application_id: int,
    recommend: bool,
    text: str,
    now: datetime | None = None,
) -> Application:
    """Record (or rewrite) the Secretariat's recommendation, while under review."""
    with unit_of_work(session):
        require_secretariat(actor)
        application = get_application(session, application_id, lock=True)
        if application.status not in UNDER_REVIEW:
            raise ApplicationClosed(
                _l("The recommendation can be written only while the application is under review.")
            )
        application.recommend = yes_no(recommend, "recommend")
        application.recommendation = validation.text(text, "text", REASON_MAX)
        application.recommended_by_id = actor.id if actor else None
        moment = now or clock_now()
        application.recommended_at = moment
        change_status(
            session,
            application,
            ApplicationStatus.RECOMMENDED if recommend else ApplicationStatus.NOT_RECOMMENDED,
            moment,
        )
        return application


def propose(
    session: Session, actor: User | None, application_id: int, now: datetime | None = None
) -> Proposal:
    """Turn a reviewed application into a draft admission proposal, whose text carries
    what the partners decide on and the Secretariat's recommendation (not the contact
    person, nor the letter: those stay with the Secretariat)."""
    with unit_of_work(session):
        require_secretariat(actor)
        application = get_application(session, application_id, lock=True)
        if application.status not in (
            ApplicationStatus.RECOMMENDED,
            ApplicationStatus.NOT_RECOMMENDED,
        ):
            if application.status == ApplicationStatus.RECEIVED:
                raise ApplicationClosed(_l("Write the Secretariat's recommendation first."))
            raise ApplicationClosed(_l("This application cannot be proposed in its present state."))
        author = actor or application.recommended_by
        if author is None:
            raise NotAllowed(_l("A proposal needs an author from the Secretariat."))
        moment = now or clock_now()
        title = str(_l("Admission of %(name)s", name=application.organisation_name))
        proposal = proposals.new_draft(
            session,
            author,
            title[:TITLE_MAX],
            proposal_text(application, eligibility(session, application)),
            ProposalKind.ADMISSION,
            {"application_id": application.id},
            moment,
        )
        application.proposal_id = proposal.id
        change_status(session, application, ApplicationStatus.PROPOSED, moment)
        return proposal


def decline(
    session: Session, actor: User | None, application_id: int, now: datetime | None = None
) -> Application:
    """The Secretariat ends the application. One already proposed can be declined only
    while no round is deciding it; its draft proposal is withdrawn with it."""
    with unit_of_work(session):
        require_secretariat(actor)
        # Lock order, as everywhere: the proposal (a round may be opening on it), then the
        # application.
        proposal_id = get_application(session, application_id).proposal_id
        proposal = None
        if proposal_id is not None:
            proposal = get_row(session, Proposal, proposal_id, _l("No such proposal."), lock=True)
        application = get_application(session, application_id, lock=True)
        if application.proposal_id != proposal_id:
            raise ApplicationClosed(_l("This application has just been proposed; reload the page."))
        if application.status == ApplicationStatus.PROPOSED and proposal is not None:
            if proposal.status == ProposalStatus.OPEN:
                raise ApplicationClosed(
                    _l("The partners are deciding this application: withdraw the proposal first.")
                )
            if proposal.status == ProposalStatus.ADOPTED:
                raise ApplicationClosed(_l("The partnership has admitted this organisation."))
        elif application.status not in UNDER_REVIEW:
            raise ApplicationClosed(_l("This application is closed already."))
        moment = now or clock_now()
        if proposal is not None and proposal.status in (
            ProposalStatus.DRAFT,
            ProposalStatus.NOT_ADOPTED,
        ):
            proposal.status = ProposalStatus.WITHDRAWN
            proposal.updated_at = moment
        change_status(session, application, ApplicationStatus.DECLINED, moment)
        return application
