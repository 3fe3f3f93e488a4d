"""What depends on a proposal's kind, in one entry per kind: what it acts on, who
decides it, and what the partnership's decision does. Adding a kind is adding one
entry to RULES (and its value to ProposalKind).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from decisions import validation
from decisions.admission import admit, decline_not_adopted
from decisions.application_models import Application, ApplicationStatus
from decisions.effects import Effect, Handler, replace_regional_focus, set_partner_status
from decisions.errors import InvalidInput
from decisions.lookup import is_row_id
from decisions.models import Partner, PartnerStatus, Proposal, ProposalKind

Subject = dict[str, Any]


@dataclass(frozen=True)
class KindRules:
    #: checks what the proposal acts on, when it is drafted and again when a round
    #: opens on it (the partner concerned may have changed meanwhile); returns what
    #: is stored
    check_subject: Callable[[Session, Subject], Subject | None]
    #: consensus minus one: the partner concerned is left out of the electorate
    minus_one: bool = False
    #: what an adopted proposal does, described for the decision log
    on_adopted: Handler | None = None
    #: what a blocked or lapsed one does
    on_not_adopted: Handler | None = None


def _no_subject(session: Session, subject: Subject) -> None:
    return None


def _partner_concerned(*, must_be_active: bool) -> Callable[[Session, Subject], Subject]:
    def check(session: Session, subject: Subject) -> Subject:
        partner_id = subject.get("partner_id")
        if isinstance(partner_id, bool) or not isinstance(partner_id, int):
            raise InvalidInput(_l("Name the partner concerned."), field="subject")
        partner = session.get(Partner, partner_id) if is_row_id(partner_id) else None
        if partner is None:
            raise InvalidInput(_l("No such partner."), field="subject")
        if partner.status == PartnerStatus.REMOVED:
            raise InvalidInput(_l("This partner is removed already."), field="subject")
        if must_be_active and partner.status != PartnerStatus.ACTIVE:
            raise InvalidInput(_l("This partner is not active."), field="subject")
        return {"partner_id": partner_id}

    return check


def _new_focus(session: Session, subject: Subject) -> Subject:
    countries = subject.get("countries")
    if not isinstance(countries, list):
        raise InvalidInput(_l("List the countries of the new focus."), field="subject")
    return {"countries": sorted({validation.country(c, "subject") for c in countries})}


def _application_decided(session: Session, subject: Subject) -> Subject | None:
    application_id = subject.get("application_id")
    if application_id is None:
        return None
    if isinstance(application_id, bool) or not isinstance(application_id, int):
        raise InvalidInput(_l("Not a valid application."), field="subject")
    application = session.get(Application, application_id) if is_row_id(application_id) else None
    if application is None:
        raise InvalidInput(_l("No such application."), field="subject")
    if application.status in (ApplicationStatus.ADMITTED, ApplicationStatus.WITHDRAWN):
        raise InvalidInput(
            _l("This application is admitted or withdrawn already."), field="subject"
        )
    return {"application_id": application_id}


RULES: dict[ProposalKind, KindRules] = {
    ProposalKind.GENERAL: KindRules(_no_subject),
    ProposalKind.ADMISSION: KindRules(
        _application_decided, on_adopted=admit, on_not_adopted=decline_not_adopted
    ),
    ProposalKind.REGIONAL_FOCUS: KindRules(_new_focus, on_adopted=replace_regional_focus),
    ProposalKind.SUSPENSION: KindRules(
        _partner_concerned(must_be_active=True),
        minus_one=True,
        on_adopted=set_partner_status(PartnerStatus.SUSPENDED),
    ),
    ProposalKind.REMOVAL: KindRules(
        _partner_concerned(must_be_active=False),
        minus_one=True,
        on_adopted=set_partner_status(PartnerStatus.REMOVED),
    ),
}


def apply_adopted(session: Session, proposal: Proposal) -> list[Effect]:
    handler = RULES[proposal.kind].on_adopted
    return handler(session, proposal) if handler else []


def apply_not_adopted(session: Session, proposal: Proposal) -> list[Effect]:
    handler = RULES[proposal.kind].on_not_adopted
    return handler(session, proposal) if handler else []
