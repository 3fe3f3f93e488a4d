"""What a round's close does to objections (shared API.md, "Deliberation"; the lifecycle
is told in decisions/objections.py): each earlier objection of the proposal still open or
answered is settled by its partner's position in the closed round, and each partner
objecting there leaves a new objection.

A round closed because its proposal was withdrawn records and settles nothing: its
positions were not a decision on the text (the proposal left the table), and a
withdrawn proposal is never put to another round that could resolve an objection.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from decisions.consensus import Outcome, Stance
from decisions.deliberation_models import UNSETTLED, Objection, ObjectionStatus
from decisions.models import Round

if TYPE_CHECKING:  # closing.py calls this module
    from decisions.closing import CurrentPosition


def record_objections(
    session: Session, round_: Round, positions: Mapping[int, "CurrentPosition"]
) -> None:
    """Settle the proposal's earlier objections by ``positions`` (partner id -> current
    position in ``round_``), then record this round's. Called by closing.record_outcome
    once the round is closed (outcome and time set), in its transaction, with the round
    and its proposal locked. At most four statements, however many partners."""
    if round_.outcome == Outcome.WITHDRAWN:
        return  # see the module's docstring
    continued = _settle_earlier(session, round_, positions)
    rows = [
        {
            "proposal_id": round_.proposal_id,
            "round_id": round_.id,
            "partner_id": partner_id,
            "reason": position.reason,
            "status": ObjectionStatus.OPEN,
            "answer": "",
            "previous_id": continued.get(partner_id),
            "created_at": round_.closed_at,
        }
        for partner_id, position in sorted(positions.items())
        if position.stance == Stance.OBJECT
    ]
    if rows:
        session.execute(insert(Objection), rows)


def _settle_earlier(
    session: Session, round_: Round, positions: Mapping[int, "CurrentPosition"]
) -> dict[int, int]:
    """Settle the proposal's objections of earlier rounds still open or answered;
    partner id -> the latest of its objections that this round maintains."""
    earlier = session.scalars(
        select(Objection)
        .where(
            Objection.proposal_id == round_.proposal_id,
            Objection.round_id != round_.id,
            Objection.status.in_(UNSETTLED),
        )
        .order_by(Objection.id)
    ).all()
    resolved: list[int] = []
    maintained: list[int] = []
    #: partner id -> the latest of its objections this round maintains
    continued: dict[int, int] = {}
    for objection in earlier:
        position = positions.get(objection.partner_id)
        if position is None:
            continue  # no say, or silent: the objection stays as it was
        if position.stance == Stance.OBJECT:
            maintained.append(objection.id)
            continued[objection.partner_id] = objection.id  # ordered by id: the latest wins
        else:
            resolved.append(objection.id)
    _settle(session, resolved, ObjectionStatus.RESOLVED, round_.id)
    _settle(session, maintained, ObjectionStatus.MAINTAINED, round_.id)
    return continued


def _settle(session: Session, ids: list[int], status: ObjectionStatus, round_id: int) -> None:
    if ids:
        session.execute(
            update(Objection)
            .where(Objection.id.in_(ids))
            .values(status=status, settled_in_round_id=round_id)
        )
