"""Decision rounds: opening, extending, registering positions, closing."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, Table, bindparam, func, insert, literal, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, joinedload

from decisions import events, registering, round_lock, round_terms, validation
from decisions.access import Actor, may_speak_for, require_secretariat
from decisions.clock import as_utc
from decisions.clock import now as clock_now
from decisions.closing import CurrentPosition, current_positions, record_outcome, tally_of
from decisions.collector import collector_paused
from decisions.consensus import Stance
from decisions.deadlines import check_deadline
from decisions.errors import (
    DeadlineNotLater,
    DeadlinePassed,
    NotAllowed,
    NoteRequired,
    NotInElectorate,
    PartnersPending,
    ReasonRequired,
    RoundNotOpen,
)
from decisions.lookup import get_row
from decisions.models import (
    NOTE_MAX,
    REASON_MAX,
    Channel,
    DecisionEntry,
    Elector,
    Position,
    ProposalStatus,
    Role,
    Round,
    User,
)
from decisions.partners import get_partner
from decisions.proposals import get_proposal
from decisions.unit_of_work import unit_of_work

# Lock order, in every service that takes more than one of these rows: the round, then
# its proposal, then the partnership (the decision log's lock, taken in log.append_entry).
# One order everywhere means two transactions never each hold what the other waits for
# (a deadlock, on PostgreSQL). See also proposals.withdraw_proposal.


def get_round(session: Session, round_id: int, *, lock: bool = False) -> Round:
    """With ``lock``, the round locked alone: no registration in it meanwhile
    (decisions/round_lock.py)."""
    if lock:
        return round_lock.exclusive(session, round_id)
    return get_row(session, Round, round_id, _l("No such round."))


def _lock_for_closing(session: Session, round_id: int) -> Round:
    """The round and its proposal, locked in the order above: closing changes both."""
    round_ = get_round(session, round_id, lock=True)
    get_proposal(session, round_.proposal_id, lock=True)
    return round_


@collector_paused()  # a round's thousands of rows: decisions/collector.py
def open_round(
    session: Session,
    actor: User | None,
    proposal_id: int,
    deadline: datetime,
    quorum: int | None = None,
    auto_close: bool = False,
    now: datetime | None = None,
    zone: str = "UTC",
) -> Round:
    """``zone``: the reader's, in which a refusal names the earliest deadline allowed."""
    with unit_of_work(session):
        require_secretariat(actor)
        proposal = get_proposal(session, proposal_id, lock=True)
        moment = now or clock_now()  # read once the lock is held: times follow the locks' order
        deadline = validation.aware(deadline, "deadline")
        electorate, quorum = round_terms.terms(session, proposal, deadline, quorum, moment, zone)
        round_ = Round(
            proposal=proposal,
            number=len(proposal.rounds) + 1,
            title=proposal.title,
            text=proposal.body,
            opened_at=moment,
            opened_by_id=actor.id if actor else proposal.created_by_id,
            deadline=deadline,
            quorum=quorum,
            auto_close=bool(auto_close),
        )
        session.add(round_)
        proposal.status = ProposalStatus.OPEN
        session.flush()
        _insert_electors(session, round_.id, electorate)
        events.publish(session, events.RoundOpened(round_id=round_.id))
        return round_


def _insert_electors(session: Session, round_id: int, electorate: list[int]) -> None:
    """One statement for the whole electorate, and no Elector object per partner."""
    table = cast(Table, Elector.__table__)
    if session.get_bind().dialect.name == "postgresql":
        # One array parameter: psycopg would parse a parameter per value in Python.
        ids = func.unnest(bindparam("electorate", electorate, postgresql.ARRAY(Integer)))
        columns = select(literal(round_id, Integer), ids)
        session.execute(insert(table).from_select(["round_id", "partner_id"], columns))
    else:
        session.execute(
            insert(table), [{"round_id": round_id, "partner_id": p} for p in electorate]
        )


@collector_paused()  # a round's thousands of rows: decisions/collector.py
def extend_round(
    session: Session,
    actor: User | None,
    round_id: int,
    deadline: datetime,
    now: datetime | None = None,
) -> Round:
    with unit_of_work(session):
        require_secretariat(actor)
        round_ = get_round(session, round_id, lock=True)
        moment = now or clock_now()  # read once the lock is held: times follow the locks' order
        if not round_.is_open:
            raise RoundNotOpen()
        deadline = validation.aware(deadline, "deadline")
        if deadline <= round_.deadline:
            raise DeadlineNotLater()
        check_deadline(deadline, moment)
        previous = round_.deadline
        round_.deadline = deadline
        events.publish(
            session, events.DeadlineExtended(round_id=round_.id, previous_deadline=previous)
        )
        return round_


def register_position(
    session: Session,
    actor: Actor,
    round_id: int,
    partner_id: int,
    stance: str,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
    channel: Channel = Channel.WEB,
) -> Position:
    """Register (or change) a partner's position (``record_position``), and the position
    as a Position of the session, known without reading it back."""
    written = record_position(
        session, actor, round_id, partner_id, stance, reason, note, now, channel
    )
    return registering.as_loaded(session, written)


def record_position(
    session: Session,
    actor: Actor,
    round_id: int,
    partner_id: int,
    stance: str,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
    channel: Channel = Channel.WEB,
) -> CurrentPosition:
    """Register (or change) a partner's position, and answer it as written, as columns
    (no ORM object to build: the API's busiest write). The Secretariat may do it on the
    partner's behalf, saying in ``note`` how the position was received; ``channel`` says
    how it reached Accord (the web form, the API, an e-mail reply)."""
    with unit_of_work(session):
        # The round's lock (shared: decisions/round_lock.py) orders this against a close:
        # a position is counted or refused, never taken after the decision nor (the time
        # read under the lock) dated after it.
        objecting = str(stance).strip() == Stance.OBJECT  # as validation.choice reads it
        round_ = registering.lock_round(session, round_id, partner_id, with_partner=objecting)
        moment = now or clock_now()
        if not round_.elector:  # an elector's partner exists; any other id may name none
            get_partner(session, partner_id)
        if not may_speak_for(actor, partner_id):
            raise NotAllowed(_l("You may register positions only for your own organisation."))
        if not round_.is_open:
            raise RoundNotOpen()
        if moment >= round_.deadline:
            raise DeadlinePassed()
        if not round_.elector:
            raise NotInElectorate()
        values = _new_position(actor, round_id, partner_id, moment, stance, reason, note)
        values["channel"] = channel  # a column of the same INSERT: no statement more
        written = registering.insert_position(session, values)
        if written is None:  # closed while this registration waited for its lock
            raise RoundNotOpen()
        if written.stance == Stance.OBJECT:
            # Its notices read the position from the session: there it is, with no SELECT,
            # and out of it again before the commit, which would expire it.
            position = registering.as_loaded(session, written)
            objection = events.ObjectionRegistered(round_id, partner_id, written.id)
            events.publish(session, objection)
            session.expunge(position)
    return written


def _new_position(
    actor: Actor,
    round_id: int,
    partner_id: int,
    moment: datetime,
    stance: str,
    reason: str,
    note: str,
) -> dict[str, Any]:
    """The position's columns as given, checked: an objection says why, and the
    Secretariat says how a position it registers on a partner's behalf was received."""
    chosen = validation.choice(Stance, stance, "stance")
    reason = validation.text(reason, "reason", REASON_MAX, required=False)
    if chosen == Stance.OBJECT and not reason:
        raise ReasonRequired()
    on_behalf = actor.role == Role.SECRETARIAT
    note = validation.text(note, "note", NOTE_MAX, required=False)
    if on_behalf and not note:
        raise NoteRequired()
    return {
        "round_id": round_id,
        "partner_id": partner_id,
        "registered_at": as_utc(moment),  # as the database gives it back
        "stance": chosen,
        "reason": reason,
        "on_behalf": on_behalf,
        "note": note if on_behalf else "",
        "registered_by_id": actor.id,
    }


def position_history(session: Session, round_id: int, partner_id: int) -> Sequence[Position]:
    get_round(session, round_id)
    get_partner(session, partner_id)
    return session.scalars(
        select(Position)
        .where(Position.round_id == round_id, Position.partner_id == partner_id)
        .options(joinedload(Position.registered_by))
        .order_by(Position.id)
    ).all()


@collector_paused()  # a round's thousands of rows: decisions/collector.py
def close_round(
    session: Session, actor: User | None, round_id: int, now: datetime | None = None
) -> DecisionEntry:
    """The Secretariat closes a round: before the deadline only when no partner is
    pending."""
    with unit_of_work(session):
        require_secretariat(actor)
        round_ = _lock_for_closing(session, round_id)
        moment = now or clock_now()  # read once the lock is held: times follow the locks' order
        if not round_.is_open:
            raise RoundNotOpen()
        if moment < round_.deadline:  # after it, the positions need not be read here
            positions = current_positions(session, [round_.id])[round_.id]
            if not can_close_now(round_, tally_of(round_, positions).pending, moment):
                raise PartnersPending()
        entry = record_outcome(session, round_, None, moment)
        return entry


@collector_paused()  # a round's thousands of rows: decisions/collector.py
def close_rounds_past_deadline(
    session: Session, now: datetime | None = None
) -> list[DecisionEntry]:
    """The scheduler closes every auto-close round whose deadline has passed; safe to run
    twice."""
    moment = now or clock_now()
    due = session.scalars(
        select(Round.id).where(
            Round.closed_at.is_(None), Round.auto_close.is_(True), Round.deadline <= moment
        )
    ).all()
    closed = []
    for round_id in due:  # one transaction per round: one failure does not undo the rest
        with unit_of_work(session):
            round_ = _lock_for_closing(session, round_id)
            if round_.is_open:  # another process may have closed it meanwhile
                closed.append(record_outcome(session, round_, None, moment))
    return closed


def accepts_positions(round_: Round, now: datetime) -> bool:
    """Whether a position registered now would be taken (open, deadline ahead)."""
    return round_.is_open and now < round_.deadline


def can_close_now(round_: Round, pending: int, now: datetime) -> bool:
    return round_.is_open and (pending == 0 or now >= round_.deadline)
