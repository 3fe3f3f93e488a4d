"""Closing a round: the outcome, the effects, the log entry, all in one transaction."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import events
from decisions.consensus import Outcome, Stance, Tally, tally
from decisions.kinds import apply_adopted, apply_not_adopted
from decisions.log import append_entry, timestamp
from decisions.models import (
    Channel,
    DecisionEntry,
    Elector,
    Partner,
    Position,
    ProposalStatus,
    Round,
)
from decisions.objection_settling import record_objections


class CurrentPosition(NamedTuple):
    """A partner's current position in a round: what a page, the API, a tally and a close
    read of it. Read as columns: a round of 10 000 partners would otherwise be as many
    ORM objects to build, and most of the time of its page or its close."""

    id: int
    round_id: int
    partner_id: int
    stance: Stance
    reason: str
    on_behalf: bool
    note: str
    registered_at: datetime
    registered_by_id: int
    channel: Channel


def current_positions(
    session: Session, round_ids: Iterable[int]
) -> dict[int, dict[int, CurrentPosition]]:
    """round id -> partner id -> the partner's latest registration, in one query."""
    ids = list(round_ids)
    current: dict[int, dict[int, CurrentPosition]] = {round_id: {} for round_id in ids}
    if not ids:
        return current
    # every registration, oldest first: the latest of each partner is its position
    rows = session.execute(
        select(*(getattr(Position, name) for name in CurrentPosition._fields))
        .where(Position.round_id.in_(ids))
        .order_by(Position.id)
    )
    for row in rows:
        current[row.round_id][row.partner_id] = CurrentPosition(*row)
    return current


def tally_of(round_: Round, positions: dict[int, CurrentPosition]) -> Tally:
    return tally(round_.electorate, _stances(positions), round_.quorum)


def _stances(positions: dict[int, CurrentPosition]) -> dict[int, Stance]:
    return {pid: p.stance for pid, p in positions.items()}


def record_outcome(
    session: Session, round_: Round, outcome: Outcome | None, now: datetime
) -> DecisionEntry:
    """Record ``outcome`` (None: as the rule decides) and close ``round_``: the step
    shared by the Secretariat's close_round, close_rounds_past_deadline and a
    withdrawal. The caller's unit of work commits."""
    positions = current_positions(session, [round_.id])[round_.id]
    electors = _electors(session, round_)
    counted = tally([pid for pid, _ in electors], _stances(positions), round_.quorum)
    outcome = outcome or counted.outcome
    round_.closed_at = now
    round_.outcome = outcome
    proposal = round_.proposal
    # before the effects: they date what they create by it
    proposal.updated_at = now
    effects: list[dict[str, Any]] = []
    if outcome == Outcome.ADOPTED:
        proposal.status = ProposalStatus.ADOPTED
        effects = apply_adopted(session, proposal)
    elif outcome in (Outcome.BLOCKED, Outcome.LAPSED):
        proposal.status = ProposalStatus.NOT_ADOPTED
        effects = apply_not_adopted(session, proposal)
    entry = append_entry(
        session,
        round_,
        outcome,
        counted,
        _position_record(electors, positions),
        effects,
        now,
    )
    # Each objection left by this round, and the earlier ones its positions settle
    # (none on a withdrawal: see decisions/objections.py).
    record_objections(session, round_, positions)
    session.flush()
    events.publish(session, events.RoundClosed(round_id=round_.id, decision_id=entry.id))
    return entry


def _electors(session: Session, round_: Round) -> list[tuple[int, str]]:
    """The electorate as (partner id, name as it is now), by name: columns, not objects,
    for an electorate of thousands."""
    rows = session.execute(
        select(Partner.id, Partner.name)
        .join(Elector, Elector.partner_id == Partner.id)
        .where(Elector.round_id == round_.id)
        .order_by(Partner.name)
    )
    return [(partner_id, name) for partner_id, name in rows]


def _position_record(
    electors: list[tuple[int, str]], positions: dict[int, CurrentPosition]
) -> list[dict[str, Any]]:
    """Every elector's final position, as the log keeps it (names as they were then)."""
    record = []
    for partner_id, name in electors:
        position = positions.get(partner_id)
        record.append(
            {
                "partner_id": partner_id,
                "partner": name,
                "stance": str(position.stance) if position else "pending",
                "reason": position.reason if position else "",
                "on_behalf": position.on_behalf if position else False,
                "note": position.note if position else "",
                "registered_at": timestamp(position.registered_at) if position else None,
            }
        )
    return record
