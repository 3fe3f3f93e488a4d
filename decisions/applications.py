"""Membership applications: the public submission and its checks, the applicant's
withdrawal, and the lookups the Secretariat's review starts from.

The Secretariat's review lives in decisions/application_review.py; what the partnership's
decision does with an application (a new partner, or a declined application) in
decisions/admission.py, applied when the round closes."""

import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from decisions import events, languages, round_lock, validation
from decisions.application_models import MANDATE_MAX, Application, ApplicationStatus
from decisions.application_text import reason_wording
from decisions.categories import category_by_slug
from decisions.clock import now as clock_now
from decisions.closing import record_outcome
from decisions.consensus import Outcome
from decisions.eligibility import Eligibility, assess
from decisions.errors import ApplicationClosed, InvalidInput, NotAllowed
from decisions.letters import check_letter, remove_letter, store_letter
from decisions.lookup import get_row
from decisions.models import NAME_MAX, Category, Proposal, ProposalStatus, Round
from decisions.settings import get_partnership
from decisions.tokens import token_digest
from decisions.unit_of_work import unit_of_work
from decisions.users import normalise_email

#: the most countries of operation one application names (there are fewer countries)
OPERATING_MAX = 300


#: the states in which the Secretariat still reviews an application
UNDER_REVIEW = (
    ApplicationStatus.RECEIVED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.NOT_RECOMMENDED,
)


#: the states from which the applicant may still withdraw
WITHDRAWABLE = (*UNDER_REVIEW, ApplicationStatus.PROPOSED)


@dataclass
class ApplicationInput:
    """What the applicant sent, before any check."""

    organisation_name: str
    mandate: str
    headquarters_country: str
    operating_countries: list[str]
    legally_registered: bool
    government_controlled: bool
    agrees_with_principles: bool
    #: the category's slug
    category: str
    contact_name: str
    contact_email: str


def checked_input(session: Session, data: ApplicationInput) -> tuple[dict[str, object], Category]:
    """The application's columns, each checked, with the field at fault named as the API
    names it; and the category applied for."""
    operating = data.operating_countries
    if not isinstance(operating, list | tuple) or not operating:
        raise InvalidInput(
            _l("Choose at least one country of operation."), field="operating_countries"
        )
    if len(operating) > OPERATING_MAX:
        raise InvalidInput(
            lazy_ngettext("At most %(num)d country.", "At most %(num)d countries.", OPERATING_MAX),
            field="operating_countries",
        )
    columns: dict[str, object] = {
        "organisation_name": validation.line(data.organisation_name, "organisation_name", NAME_MAX),
        "mandate": validation.text(data.mandate, "mandate", MANDATE_MAX),
        "headquarters_country": validation.country(
            data.headquarters_country, "headquarters_country"
        ),
        "operating_countries": sorted(
            {validation.country(code, "operating_countries") for code in operating}
        ),
        "legally_registered": yes_no(data.legally_registered, "legally_registered"),
        "government_controlled": yes_no(data.government_controlled, "government_controlled"),
        "agrees_with_principles": yes_no(data.agrees_with_principles, "agrees_with_principles"),
        "contact_name": validation.line(data.contact_name, "contact_name", NAME_MAX),
        "contact_email": _email(data.contact_email),
    }
    category = category_by_slug(session, data.category, "category", open_only=True)
    return columns, category


def yes_no(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(_l("Answer yes or no."), field=field)
    return value


def _email(value: object) -> str:
    try:
        return normalise_email(value)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="contact_email") from None


def submit_application(
    session: Session,
    data: ApplicationInput,
    letter: bytes | None,
    letters_dir: str,
    now: datetime | None = None,
    language: str | None = None,
) -> tuple[Application, str]:
    """Check and record an application; the letter is stored under ``letters_dir`` with
    a random name. Returns the row and the applicant's secret withdraw token, which is
    stored only as its hash. ``language``: the one the applicant applied in, which every
    e-mail to them speaks (None: the partnership's)."""
    columns, category = checked_input(session, data)
    if language is not None:
        columns["language"] = languages.language(language, "language")
    check_letter(letter, category)
    moment = now or clock_now()
    token = secrets.token_urlsafe(32)
    application = Application(
        **columns,
        category_id=category.id,
        status=ApplicationStatus.RECEIVED,
        recommendation="",
        withdraw_token_hash=token_digest(token),
        created_at=moment,
        updated_at=moment,
    )
    stored = store_letter(letter, letters_dir) if letter is not None else None
    application.letter_file = stored
    try:
        with unit_of_work(session):
            session.add(application)
            session.flush()
            events.publish(
                session,
                events.ApplicationReceived(application_id=application.id, withdraw_token=token),
            )
    except BaseException:
        if stored is not None:
            remove_letter(letters_dir, stored)
        raise
    return application, token


def applications_query(status: str | None = None) -> Select[Application]:
    """Applications, newest first; only those with ``status`` when one is given."""
    query = select(Application).order_by(Application.id.desc())
    if status:
        wanted = validation.choice(ApplicationStatus, status, "status")
        query = query.where(Application.status == wanted)
    return query


def applications(session: Session, status: str | None = None) -> Sequence[Application]:
    return session.scalars(applications_query(status)).all()


def get_application(session: Session, application_id: int, *, lock: bool = False) -> Application:
    return get_row(session, Application, application_id, _l("No such application."), lock=lock)


def eligibility(session: Session, application: Application) -> Eligibility:
    """Measured against the partnership's regional focus as it is now."""
    return eligibilities(session, [application])[application]


def eligibilities(session: Session, rows: Sequence[Application]) -> dict[Application, Eligibility]:
    """Each application's eligibility, the focus read once for them all."""
    focus = set(get_partnership(session).regional_focus or [])
    wording = reason_wording()
    return {application: assess(application, focus, wording) for application in rows}


def withdrawable(session: Session, application_id: int, token: str) -> Application:
    """The application the applicant's secret link may still withdraw; changes nothing.
    An unknown application and a wrong secret are refused alike, so that the link's
    page tells a stranger nothing about which applications exist."""
    application = session.get(Application, application_id)
    if (
        application is None
        or not isinstance(token, str)
        or not hmac.compare_digest(token_digest(token), application.withdraw_token_hash)
    ):
        raise NotAllowed(_l("This withdrawal link is not valid."))
    if application.status not in WITHDRAWABLE:
        raise ApplicationClosed(_l("This application is closed already."))
    return application


def withdraw(
    session: Session, application_id: int, token: str, now: datetime | None = None
) -> Application:
    """The applicant withdraws with the secret e-mailed at submission. A round open on
    its admission closes as withdrawn, and is entered in the decision log."""
    with unit_of_work(session):
        application = withdrawable(session, application_id, token)
        # Lock order, as everywhere: round, proposal, then the application.
        open_round = None
        proposal = None
        if application.proposal_id is not None:
            round_id = session.scalar(
                select(Round.id).where(
                    Round.proposal_id == application.proposal_id, Round.closed_at.is_(None)
                )
            )
            if round_id is not None:
                open_round = round_lock.exclusive(session, round_id)
            proposal = get_row(
                session, Proposal, application.proposal_id, _l("No such proposal."), lock=True
            )
        application = get_application(session, application_id, lock=True)
        if application.status not in WITHDRAWABLE:
            raise ApplicationClosed(_l("This application is closed already."))
        moment = now or clock_now()
        if open_round is not None and open_round.is_open:
            record_outcome(session, open_round, Outcome.WITHDRAWN, moment)
        if proposal is not None and proposal.status != ProposalStatus.ADOPTED:
            proposal.status = ProposalStatus.WITHDRAWN
            proposal.updated_at = moment
        change_status(session, application, ApplicationStatus.WITHDRAWN, moment)
        return application


def change_status(
    session: Session, application: Application, status: ApplicationStatus, moment: datetime
) -> None:
    """Set the status and tell the subscribers (the applicant is e-mailed); the caller
    commits."""
    application.status = status
    application.updated_at = moment
    session.flush()
    events.publish(
        session,
        events.ApplicationStatusChanged(application_id=application.id, status=str(status)),
    )
