"""What an adopted proposal does, applied in the transaction that records the decision.

Each kind maps to a handler that changes the partnership and returns a description of
what it did, for the decision log. A proposal that is not adopted (blocked or lapsed)
may have effects too: an admission's application is declined.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from decisions.admission import admit, decline_not_adopted
from decisions.models import Partner, Partnership, PartnerStatus, Proposal, ProposalKind

Effect = dict[str, Any]
Handler = Callable[[Session, Proposal], list[Effect]]


def _set_partner_status(status: PartnerStatus) -> Handler:
    def handler(session: Session, proposal: Proposal) -> list[Effect]:
        partner = session.get(Partner, proposal.subject_partner_id)
        if partner is None:
            return []
        previous = partner.status
        # A suspension and a removal of the same partner may both be open; once the
        # removal is adopted, the suspension must not bring the partner back. A removed
        # partner returns only by admission; the entry records that nothing changed.
        if previous != PartnerStatus.REMOVED:
            partner.status = status
        effect: Effect = {
            "effect": "partner_status",
            "partner_id": partner.id,
            "partner": partner.name,
            "from": str(previous),
            "to": str(partner.status),
        }
        if partner.status == previous:
            effect["unchanged"] = True
        return [effect]

    return handler


def _replace_regional_focus(session: Session, proposal: Proposal) -> list[Effect]:
    partnership = session.get(Partnership, 1)
    countries = sorted((proposal.subject or {}).get("countries", []))
    if partnership is None:
        return []
    previous = list(partnership.regional_focus or [])
    partnership.regional_focus = countries
    return [{"effect": "regional_focus", "from": previous, "to": countries}]


HANDLERS: dict[ProposalKind, Handler] = {
    ProposalKind.SUSPENSION: _set_partner_status(PartnerStatus.SUSPENDED),
    ProposalKind.REMOVAL: _set_partner_status(PartnerStatus.REMOVED),
    ProposalKind.REGIONAL_FOCUS: _replace_regional_focus,
    ProposalKind.ADMISSION: admit,
}

#: what a blocked or lapsed round does, by kind
NOT_ADOPTED_HANDLERS: dict[ProposalKind, Handler] = {
    ProposalKind.ADMISSION: decline_not_adopted,
}


def register(kind: ProposalKind, handler: Handler) -> None:
    """The hook for effects that live elsewhere."""
    HANDLERS[kind] = handler


def apply_effects(session: Session, proposal: Proposal) -> list[Effect]:
    handler = HANDLERS.get(proposal.kind)
    return handler(session, proposal) if handler else []


def apply_not_adopted(session: Session, proposal: Proposal) -> list[Effect]:
    handler = NOT_ADOPTED_HANDLERS.get(proposal.kind)
    return handler(session, proposal) if handler else []
