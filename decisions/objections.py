"""Objections as things to resolve (shared API.md, "Deliberation").

When a round closes, each partner whose current position in it is ``object`` leaves an
objection (its reason as it stood). The Secretariat or the proposer answers it: how the
amended proposal meets it (``open`` → ``answered``; the answer may be revised while the
objection is not settled). When a later round of the same proposal closes, each earlier
objection still open or answered is settled by its partner's position there:
``resolved`` (consent, stand aside), ``maintained`` (an objection again, which the new
objection continues: its ``previous_id``), or left as it was (no position: the partner
was pending, or not in that round's electorate).

What a round's close does to them is decisions/objection_settling.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from decisions import events, validation
from decisions.clock import now as clock_now
from decisions.deliberation_models import (
    ANSWER_MAX,
    SETTLED,
    UNSETTLED,
    Objection,
    ObjectionStatus,
)
from decisions.errors import NotAllowed, ObjectionSettled
from decisions.lookup import get_row
from decisions.models import Proposal, ProposalStatus, Role, Round, User
from decisions.paging import Page, paginate
from decisions.proposals import get_proposal
from decisions.unit_of_work import unit_of_work

#: proposals that may still go to another round, whose open objections wait for an answer
STILL_DECIDING = (ProposalStatus.OPEN, ProposalStatus.NOT_ADOPTED)


# --- answered by the Secretariat or the proposer ---------------------------------------


def may_answer(actor: User, proposal: Proposal) -> bool:
    """The Secretariat, and the proposal's proposer."""
    return actor.role == Role.SECRETARIAT or actor.id == proposal.created_by_id


def get_objection(session: Session, objection_id: object, *, lock: bool = False) -> Objection:
    return get_row(session, Objection, objection_id, _l("No such objection."), lock=lock)


def answer_objection(
    session: Session,
    actor: User,
    objection_id: int,
    answer: str,
    now: datetime | None = None,
) -> Objection:
    """Say how the proposal meets the objection; its status becomes ``answered``. An
    answer may be revised (and is told again) until a later round settles the
    objection; then it is refused (ObjectionSettled, 409)."""
    with unit_of_work(session):
        objection = get_objection(session, objection_id, lock=True)
        proposal = session.get_one(Proposal, objection.proposal_id)
        if not may_answer(actor, proposal):
            raise NotAllowed()
        if objection.status in SETTLED:
            raise ObjectionSettled()
        objection.answer = validation.text(answer, "answer", ANSWER_MAX)
        objection.answered_by_id = actor.id
        objection.answered_at = now or clock_now()
        objection.status = ObjectionStatus.ANSWERED
        session.flush()
        events.publish(session, events.ObjectionAnswered(objection_id=objection.id))
        return objection


# --- read ------------------------------------------------------------------------------

#: what an objection is shown with: its partner, its round, who answered it
_SHOWN = (
    joinedload(Objection.partner),
    joinedload(Objection.round),
    joinedload(Objection.answered_by),
)


def _of_proposal(proposal_id: int) -> Select[Any]:
    return (
        select(Objection)
        .where(Objection.proposal_id == proposal_id)
        .options(*_SHOWN)
        .order_by(Objection.id)
    )


def objections_of(session: Session, proposal_id: int) -> Sequence[Objection]:
    """Every objection to the proposal, oldest first (one statement)."""
    return session.scalars(_of_proposal(proposal_id)).unique().all()


def objection_page(
    session: Session, proposal_id: int, page: object = 1, per_page: object = None
) -> Page[Objection]:
    """A page of the proposal's objections, oldest first (NotFound for no proposal)."""
    get_proposal(session, proposal_id)
    return paginate(session, _of_proposal(proposal_id), page, per_page)


def open_objections(session: Session, proposal_id: int) -> Sequence[Objection]:
    """The objections a next round is to address: open or answered, oldest first."""
    return (
        session.scalars(_of_proposal(proposal_id).where(Objection.status.in_(UNSETTLED)))
        .unique()
        .all()
    )


def resolved_by_round(session: Session, round_id: int) -> Sequence[Objection]:
    """The objections the round's close resolved, oldest first (for its log entry)."""
    return (
        session.scalars(
            select(Objection)
            .where(
                Objection.settled_in_round_id == round_id,
                Objection.status == ObjectionStatus.RESOLVED,
            )
            .options(*_SHOWN)
            .order_by(Objection.id)
        )
        .unique()
        .all()
    )


def resolved_ids_by_round(session: Session, round_ids: Sequence[int]) -> dict[int, list[int]]:
    """round id -> the ids of the objections its close resolved, in one statement."""
    found: dict[int, list[int]] = {round_id: [] for round_id in round_ids}
    if not round_ids:
        return found
    rows = session.execute(
        select(Objection.settled_in_round_id, Objection.id)
        .where(
            Objection.settled_in_round_id.in_(list(round_ids)),
            Objection.status == ObjectionStatus.RESOLVED,
        )
        .order_by(Objection.id)
    )
    for round_id, objection_id in rows:
        found.setdefault(round_id or 0, []).append(objection_id)
    return found


def unanswered(session: Session) -> Sequence[Objection]:
    """Objections nobody has answered yet, oldest first, on proposals that may still
    go to a round (an adopted or withdrawn proposal's are moot): the Secretariat's to-do.
    One statement, with each objection's partner, round and proposal."""
    return (
        session.scalars(
            _unanswered(select(Objection))
            .options(
                joinedload(Objection.partner),
                joinedload(Objection.round).joinedload(Round.proposal),
            )
            .order_by(Objection.id)
        )
        .unique()
        .all()
    )


def unanswered_count(session: Session) -> int:
    return session.scalar(_unanswered(select(func.count()).select_from(Objection))) or 0


def _unanswered(query: Select[Any]) -> Select[Any]:
    """``query`` narrowed to the objections nobody has answered, on proposals that may
    still go to a round."""
    return query.join(Proposal, Proposal.id == Objection.proposal_id).where(
        Objection.status == ObjectionStatus.OPEN, Proposal.status.in_(STILL_DECIDING)
    )


@dataclass(frozen=True)
class ProposalObjections:
    """A proposal's objections as its page shows them: those to address, and the
    settled ones with the round that settled each and what continues a maintained one."""

    objections: Sequence[Objection]
    #: objection id -> the number of the round that settled it
    settled_in: dict[int, int] = field(default_factory=dict)

    @property
    def to_address(self) -> list[Objection]:
        return [o for o in self.objections if o.status in UNSETTLED]

    @property
    def settled(self) -> list[Objection]:
        return [o for o in self.objections if o.status in SETTLED]

    @property
    def continued_by(self) -> dict[int, int]:
        """A maintained objection's id -> the id of the objection that continues it."""
        return {o.previous_id: o.id for o in self.objections if o.previous_id is not None}


def proposal_objections(session: Session, proposal_id: int) -> ProposalObjections:
    """The proposal's objections, oldest first, with the number of the round that
    settled each: one statement."""
    settling = aliased(Round)
    rows = session.execute(
        _of_proposal(proposal_id)
        .add_columns(settling.number)
        .outerjoin(settling, settling.id == Objection.settled_in_round_id)
    ).unique()
    objections, settled_in = [], {}
    for objection, number in rows:
        objections.append(objection)
        if number is not None:
            settled_in[objection.id] = number
    return ProposalObjections(objections=objections, settled_in=settled_in)
