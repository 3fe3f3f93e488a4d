"""The terms a decision round opens on: whether the proposal may go to a round now, who
decides (the electorate, frozen at opening), how many must take part (the quorum), and
the rules of the proposal's kind (decisions.kind_rules)."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import kind_rules, validation
from decisions.deadlines import check_deadline
from decisions.errors import InvalidInput, ProposalLocked, RoundAlreadyOpen
from decisions.kinds import RULES
from decisions.models import (
    Category,
    Partner,
    PartnerStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from decisions.proposals import AMENDABLE, checked_subject
from decisions.settings import get_partnership


def terms(
    session: Session,
    proposal: Proposal,
    deadline: datetime,
    quorum: int | None,
    moment: datetime,
    zone: str,
) -> tuple[list[int], int]:
    """Whether a round may open on ``proposal`` now with this deadline and quorum (else
    the refusal): its electorate and its quorum."""
    if proposal.status == ProposalStatus.OPEN:
        raise RoundAlreadyOpen()
    if proposal.status not in AMENDABLE:
        raise ProposalLocked(_l("An adopted or withdrawn proposal is not decided again."))
    check_deadline(deadline, moment)
    # The partner concerned may have been suspended or removed since the drafting.
    checked_subject(session, proposal.kind, proposal.subject)
    electorate, quorum = _electorate_and_quorum(session, proposal, quorum)
    rules = kind_rules.rules_of(get_partnership(session))
    kind_rules.check_round(rules, proposal.kind, deadline, quorum, moment, zone)
    return electorate, quorum


def _electorate_and_quorum(
    session: Session, proposal: Proposal, quorum: int | None
) -> tuple[list[int], int]:
    """Who decides (the partners with standing now) and how many of them must take
    part (the partnership's usual quorum unless one is given)."""
    if quorum is None:
        quorum = get_partnership(session).default_quorum
    quorum = validation.non_negative_int(quorum, "quorum")
    electorate = electorate_for(session, proposal.kind, proposal.subject_partner_id)
    if not electorate:
        raise InvalidInput(_l("No partner has standing to decide."), field="proposal")
    if quorum > len(electorate):
        raise InvalidInput(
            lazy_ngettext(
                "The quorum exceeds the %(num)d partner with standing.",
                "The quorum exceeds the %(num)d partners with standing.",
                len(electorate),
            ),
            field="quorum",
        )
    return electorate, quorum


def electorate_for(session: Session, kind: ProposalKind, subject_partner: int | None) -> list[int]:
    """The partners with standing now: active, in a category with a voice."""
    query = (
        select(Partner.id)
        .join(Category)
        .where(Partner.status == PartnerStatus.ACTIVE, Category.has_standing.is_(True))
        .order_by(Partner.id)
    )
    if RULES[kind].minus_one and subject_partner is not None:
        query = query.where(Partner.id != subject_partner)
    return list(session.scalars(query))
