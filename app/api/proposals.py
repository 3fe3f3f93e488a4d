"""Proposals, their rounds, and the positions registered in them."""

import app.api.represent as represent
from app.api.blueprint import bp
from app.api.members import SECRETARIAT
from app.api.operations import operation
from app.api.schemas import (
    ClosedOut,
    ExtendIn,
    Listing,
    PageQuery,
    PositionIn,
    PositionOut,
    ProposalIn,
    ProposalOut,
    ProposalPatch,
    ProposalQuery,
    RoundIn,
    RoundOut,
)
from decisions import proposals, queries, rounds, tokens
from decisions.db import db
from decisions.models import Channel, Role, User
from decisions.paging import in_pages

DRAFTERS = (Role.SECRETARIAT, Role.PARTNER)


def _proposal(proposal_id: int) -> ProposalOut:
    return represent.proposal(queries.proposal_overview(db.session, proposal_id))


def _round(round_id: int) -> RoundOut:
    return represent.round_(queries.round_summary(db.session, round_id))


@operation(
    bp,
    "POST",
    "/proposals",
    summary="Submit a proposal (a draft)",
    who=DRAFTERS,
    body=ProposalIn,
    status=201,
    answer=ProposalOut,
)
def create_proposal(user: User, body: ProposalIn) -> ProposalOut:
    subject = body.subject.model_dump() if body.subject is not None else None
    drafted = proposals.draft_proposal(
        db.session,
        user,
        body.title,
        body.body,
        body.kind,
        subject,
        language=body.language,
        translations={code: parts.model_dump() for code, parts in body.translations.items()},
    )
    return _proposal(drafted.id)


@operation(
    bp,
    "GET",
    "/proposals",
    summary="Proposals, newest first",
    query=ProposalQuery,
    answer=Listing[ProposalOut],
)
def list_proposals(user: User, query: ProposalQuery) -> Listing[ProposalOut]:
    page = queries.proposal_list(db.session, query.status, query.page, query.per_page)
    return represent.listing(page, represent.proposal)


@operation(bp, "GET", "/proposals/{proposal_id}", summary="A proposal", answer=ProposalOut)
def get_proposal(user: User, proposal_id: int) -> ProposalOut:
    return _proposal(proposal_id)


@operation(
    bp,
    "PATCH",
    "/proposals/{proposal_id}",
    summary="Amend the title, the text, its language or its translations",
    who=DRAFTERS,
    body=ProposalPatch,
    answer=ProposalOut,
    also=(409,),
)
def amend_proposal(user: User, proposal_id: int, body: ProposalPatch) -> ProposalOut:
    """By the Secretariat or the proposer; only before the first round or after one that
    did not adopt it (409 while a round is open, or once adopted or withdrawn). A
    translation is amended like the text: ``{"translations": {"fr": {...}}}`` adds or
    replaces the French one, ``{"fr": null}`` removes it."""
    proposals.amend_proposal(db.session, user, proposal_id, **body.changes())
    return _proposal(proposal_id)


@operation(
    bp,
    "POST",
    "/proposals/{proposal_id}/rounds",
    summary="Open a decision round",
    who=SECRETARIAT,
    body=RoundIn,
    status=201,
    answer=RoundOut,
    also=(409,),
)
def open_round(user: User, proposal_id: int, body: RoundIn) -> RoundOut:
    """The electorate is frozen now: the partners with standing (for a suspension or a
    removal, all but the partner concerned). 409 when a round is open already or the
    proposal is adopted or withdrawn; 422 when the deadline is not in the future."""
    opened = rounds.open_round(
        db.session, user, proposal_id, body.deadline, body.quorum, body.auto_close
    )
    return _round(opened.id)


@operation(
    bp,
    "POST",
    "/proposals/{proposal_id}/withdraw",
    summary="Withdraw a proposal",
    who=DRAFTERS,
    answer=ProposalOut,
    also=(409,),
)
def withdraw_proposal(user: User, proposal_id: int) -> ProposalOut:
    """By the Secretariat or the proposer; an open round closes as withdrawn and is
    entered in the decision log."""
    proposals.withdraw_proposal(db.session, user, proposal_id)
    return _proposal(proposal_id)


@operation(bp, "GET", "/rounds/{round_id}", summary="A round", answer=RoundOut)
def get_round(user: User, round_id: int) -> RoundOut:
    return _round(round_id)


@operation(
    bp,
    "PUT",
    "/rounds/{round_id}/positions/{partner_id}",
    summary="Register or change a partner's position",
    who=DRAFTERS,
    body=PositionIn,
    answer=PositionOut,
    also=(409,),
    caller=True,
)
def register_position(
    user: tokens.Caller, round_id: int, partner_id: int, body: PositionIn
) -> PositionOut:
    """By the partner's representatives, or by the Secretariat on its behalf (then
    ``note`` says how the position was received, and it shows ``on_behalf``). An
    objection needs a reason. 409 once the round is closed or its deadline passed; 403
    for a partner outside the round's electorate."""
    registered = rounds.record_position(
        db.session,
        user,
        round_id,
        partner_id,
        body.stance,
        body.reason,
        body.note,
        channel=Channel.API,
    )
    return represent.position(registered)


@operation(
    bp,
    "GET",
    "/rounds/{round_id}/positions/{partner_id}/history",
    summary="Every registration of a partner's position, oldest first",
    query=PageQuery,
    answer=Listing[PositionOut],
)
def position_history(
    user: User, round_id: int, partner_id: int, query: PageQuery
) -> Listing[PositionOut]:
    history = rounds.position_history(db.session, round_id, partner_id)
    page = in_pages(history, query.page, query.per_page)
    return represent.listing(page, represent.position)


@operation(
    bp,
    "POST",
    "/rounds/{round_id}/extend",
    summary="Move the deadline later",
    who=SECRETARIAT,
    body=ExtendIn,
    answer=RoundOut,
    also=(409,),
)
def extend_round(user: User, round_id: int, body: ExtendIn) -> RoundOut:
    """422 unless the new deadline is later than the current one; 409 once closed."""
    rounds.extend_round(db.session, user, round_id, body.deadline)
    return _round(round_id)


@operation(
    bp,
    "POST",
    "/rounds/{round_id}/close",
    summary="Close a round",
    who=SECRETARIAT,
    answer=ClosedOut,
    also=(409,),
)
def close_round(user: User, round_id: int) -> ClosedOut:
    """Before the deadline only when no partner is pending (else 409). The outcome is
    the rule's; the entry in the decision log is ``decision_id``."""
    entry = rounds.close_round(db.session, user, round_id)
    return ClosedOut(outcome=entry.outcome, decision_id=entry.id)
