"""What an adopted suspension, removal or regional focus does, applied in the
transaction that records the decision.

A handler changes the partnership and returns a description of what it did, for the
decision log; decisions/kinds.py says which kind has which handler (an admission's
are in decisions/admission.py).
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from decisions.models import Partner, Partnership, PartnerStatus, Proposal

Effect = dict[str, Any]
Handler = Callable[[Session, Proposal], list[Effect]]


def set_partner_status(status: PartnerStatus) -> Handler:
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


def replace_regional_focus(session: Session, proposal: Proposal) -> list[Effect]:
    partnership = session.get(Partnership, 1)
    countries = sorted((proposal.subject or {}).get("countries", []))
    if partnership is None:
        return []
    previous = list(partnership.regional_focus or [])
    partnership.regional_focus = countries
    return [{"effect": "regional_focus", "from": previous, "to": countries}]
