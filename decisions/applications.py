"""Membership applications: the public submission, its eligibility, the Secretariat's
recommendation, and the admission proposal it becomes.

What the partnership's decision does with it (a new partner, or a declined
application) lives in decisions/admission.py, applied when the round closes.
"""

import hmac
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from decisions import events, pdf, proposals, validation
from decisions.clock import now as clock_now
from decisions.closing import finish_round
from decisions.consensus import Outcome
from decisions.countries import COUNTRIES
from decisions.errors import ApplicationClosed, InvalidInput, NotAllowed
from decisions.lookup import get_row
from decisions.membership import (
    category_by_slug,
    get_partnership,
    normalise_email,
    require_secretariat,
    token_digest,
)
from decisions.models import (
    MANDATE_MAX,
    NAME_MAX,
    REASON_MAX,
    TITLE_MAX,
    Application,
    ApplicationStatus,
    Category,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Round,
    User,
)
from decisions.unit_of_work import unit_of_work

#: the largest letter of intent accepted
LETTER_MAX = 5 * 1024 * 1024
#: the most countries of operation one application names (there are fewer countries)
OPERATING_MAX = 300
#: where a PDF's end-of-file marker must be: the last bytes, give or take trailing junk
_EOF_WINDOW = 1024

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


@dataclass
class Reason:
    code: str
    message: str
    #: a blocking reason makes the application ineligible; the others are warnings
    blocking: bool


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[Reason]


# Submission ------------------------------------------------------------------------


def check_letter(data: bytes | None, category: Category) -> None:
    """A letter of intent is a PDF by its content, whatever its name or declared type,
    and at most LETTER_MAX bytes; a category with a voice requires one. ``None`` is
    no letter; empty bytes are an empty file, refused."""
    if data is None:
        if category.has_standing:
            raise InvalidInput(
                _l("A signed letter of intent (PDF) is required for this category."),
                field="letter_of_intent",
            )
        return
    if not data:
        raise InvalidInput(_l("The letter of intent is an empty file."), field="letter_of_intent")
    if len(data) > LETTER_MAX:
        raise InvalidInput(
            _l("The letter of intent may be at most 5 MB."), field="letter_of_intent"
        )
    if not is_pdf(data):
        raise InvalidInput(_l("The letter of intent must be a PDF."), field="letter_of_intent")
    if pdf.active_content(data):
        raise InvalidInput(
            _l(
                "The letter of intent runs a script or launches a program when opened: "
                "send it as a plain PDF (print it to PDF, or export it without scripts)."
            ),
            field="letter_of_intent",
        )


def is_pdf(data: bytes) -> bool:
    """The two marks every PDF carries: its header first, its end-of-file marker last."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-_EOF_WINDOW:]


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
            _l("At most %(n)d countries.", n=OPERATING_MAX), field="operating_countries"
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
        "legally_registered": _yes_no(data.legally_registered, "legally_registered"),
        "government_controlled": _yes_no(data.government_controlled, "government_controlled"),
        "agrees_with_principles": _yes_no(data.agrees_with_principles, "agrees_with_principles"),
        "contact_name": validation.line(data.contact_name, "contact_name", NAME_MAX),
        "contact_email": _email(data.contact_email),
    }
    category = category_by_slug(session, data.category, "category")
    return columns, category


def _yes_no(value: object, field: str) -> bool:
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
) -> tuple[Application, str]:
    """Check and record an application; the letter is stored under ``letters_dir`` with
    a random name. Returns the row and the applicant's secret withdraw token, which is
    stored only as its hash."""
    columns, category = checked_input(session, data)
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
    stored = _store_letter(letter, letters_dir) if letter is not None else None
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
            _remove_letter(letters_dir, stored)
        raise
    return application, token


def _store_letter(data: bytes, letters_dir: str) -> str:
    """Write the letter under a name nobody can guess or choose; returns that name."""
    os.makedirs(letters_dir, mode=0o700, exist_ok=True)
    name = secrets.token_hex(16) + ".pdf"
    path = os.path.join(letters_dir, name)
    # "x": never overwrite, however unlikely a clash of 128 random bits is
    with open(path, "xb") as file:
        file.write(data)
    return name


def _remove_letter(letters_dir: str, name: str) -> None:
    try:
        os.remove(os.path.join(letters_dir, name))
    except OSError:
        pass  # nothing was written, or it is gone already: either way nothing is kept


def letter_file(application: Application, letters_dir: str) -> str | None:
    """The path of the application's letter of intent, or None when it has none."""
    if not application.letter_file:
        return None
    path = os.path.join(letters_dir, os.path.basename(application.letter_file))
    return path if os.path.isfile(path) else None


# Eligibility -----------------------------------------------------------------------


def eligibility(session: Session, application: Application) -> Eligibility:
    """Measured against the partnership's regional focus as it is now."""
    return eligibilities(session, [application])[application]


def eligibilities(session: Session, rows: Sequence[Application]) -> dict[Application, Eligibility]:
    """Each application's eligibility, the focus read once for them all."""
    focus = set(get_partnership(session).regional_focus or [])
    return {application: _assess(application, focus) for application in rows}


def _assess(application: Application, focus: set[str]) -> Eligibility:
    # (fails, code, what is said, whether it refuses or only warns), in the order shown
    checks = (
        (
            bool(focus) and not focus.intersection(application.operating_countries or []),
            "outside_focus",
            _l("It operates in no country of the partnership's regional focus."),
            True,
        ),
        (
            application.government_controlled,
            "government_controlled",
            _l("It is government-operated or -controlled."),
            True,
        ),
        (
            not application.agrees_with_principles,
            "principles_not_agreed",
            _l("It does not agree with the partnership's principles."),
            True,
        ),
        (
            not application.legally_registered,
            "not_registered",
            _l("It is not legally registered."),
            False,
        ),
    )
    reasons = [
        Reason(code, str(message), blocking) for fails, code, message, blocking in checks if fails
    ]
    return Eligibility(eligible=not any(r.blocking for r in reasons), reasons=reasons)


# The Secretariat's review ----------------------------------------------------------


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
        application.recommend = _yes_no(recommend, "recommend")
        application.recommendation = validation.text(text, "text", REASON_MAX)
        application.recommended_by_id = actor.id if actor else None
        moment = now or clock_now()
        application.recommended_at = moment
        _change_status(
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
            proposal_text(session, application),
            ProposalKind.ADMISSION,
            {"application_id": application.id},
            moment,
        )
        application.proposal_id = proposal.id
        _change_status(session, application, ApplicationStatus.PROPOSED, moment)
        return proposal


def proposal_text(session: Session, application: Application) -> str:
    """The admission proposal's Markdown: the organisation, its eligibility, and the
    Secretariat's recommendation."""
    countries = ", ".join(country_label(c) for c in application.operating_countries)
    checked = eligibility(session, application)
    verdict = (
        _l("The Secretariat recommends admission.")
        if application.recommend
        else _l("The Secretariat does not recommend admission.")
    )
    lines = [
        str(
            _l(
                "**%(name)s** applies to join the partnership as %(category)s.",
                name=_markdown_plain(application.organisation_name),
                category=application.category.name,
            )
        ),
        "",
        f"**{_l('Mandate and principal activities')}**",
        "",
        application.mandate,
        "",
        f"- {_l('Headquarters')}: {country_label(application.headquarters_country)}",
        f"- {_l('Countries of operation')}: {countries}",
        f"- {_l('Legally registered')}: {_yes_no_label(application.legally_registered)}",
        f"- {_l('Government-operated or -controlled')}: "
        f"{_yes_no_label(application.government_controlled)}",
        f"- {_l('Agrees with the principles')}: "
        f"{_yes_no_label(application.agrees_with_principles)}",
        "",
        f"**{_l('Eligibility')}**: "
        + (str(_l("eligible")) if checked.eligible else str(_l("not eligible"))),
    ]
    lines += [f"- {reason.message}" for reason in checked.reasons]
    lines += [
        "",
        f"**{_l('Recommendation of the Secretariat')}**: {verdict}",
        "",
        application.recommendation,
    ]
    return "\n".join(lines)


def country_label(code: str) -> str:
    return f"{COUNTRIES.get(code, code)} ({code})"


def _yes_no_label(value: bool) -> str:
    return str(_l("yes")) if value else str(_l("no"))


def _markdown_plain(value: str) -> str:
    """A name as literal text inside Markdown emphasis."""
    return value.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


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
        _change_status(session, application, ApplicationStatus.DECLINED, moment)
        return application


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
                open_round = get_row(session, Round, round_id, _l("No such round."), lock=True)
            proposal = get_row(
                session, Proposal, application.proposal_id, _l("No such proposal."), lock=True
            )
        application = get_application(session, application_id, lock=True)
        if application.status not in WITHDRAWABLE:
            raise ApplicationClosed(_l("This application is closed already."))
        moment = now or clock_now()
        if open_round is not None and open_round.is_open:
            finish_round(session, open_round, Outcome.WITHDRAWN, moment)
        if proposal is not None and proposal.status != ProposalStatus.ADOPTED:
            proposal.status = ProposalStatus.WITHDRAWN
            proposal.updated_at = moment
        _change_status(session, application, ApplicationStatus.WITHDRAWN, moment)
        return application


def _change_status(
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
