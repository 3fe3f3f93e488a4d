"""The services take their row locks in one order: the round, then its proposal, then the
partnership (the decision log's lock). Two services taking the same rows in opposite
orders can each wait for the other: on PostgreSQL, a deadlock and a refused request.

The order is read from the statements the session runs (the same on SQLite, which has
no row locks, as on PostgreSQL); a lock re-reads its row, so a check made under it sees
the committed state even when the session held the row already (PostgreSQL only: on
SQLite every transaction holds the database's write lock from its start). Last, the two
services race for real: on PostgreSQL the old order deadlocked within a few rounds.
"""

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import ORMExecuteState, Session

from decisions import proposals, rounds
from decisions.consensus import Outcome
from decisions.db import db
from decisions.errors import ProposalLocked, RoundNotOpen
from decisions.models import DecisionEntry, ProposalStatus, Round, User
from tests.conftest import T0

ORDER = ["rounds", "proposals", "partnership"]
AFTER_DEADLINE = T0 + timedelta(days=8)


@pytest.fixture
def locks(session: Any) -> Iterator[list[str]]:
    """The tables whose rows the session locks (SELECT ... FOR UPDATE), in order."""
    taken: list[str] = []

    def record(state: ORMExecuteState) -> None:
        sql = str(state.statement.compile(dialect=postgresql.dialect()))
        if state.is_select and "FOR UPDATE" in sql and state.bind_mapper is not None:
            taken.append(state.bind_mapper.local_table.name)

    event.listen(session, "do_orm_execute", record)
    yield taken
    event.remove(session, "do_orm_execute", record)


@pytest.fixture
def open_round(make: Any) -> tuple[User, Round]:
    make.partners(2)
    sec = make.secretariat()
    return sec, make.open_round(make.proposal(sec), sec)


def test_withdrawing_locks_the_round_before_the_proposal(
    session: Any, open_round: tuple[User, Round], locks: list[str]
) -> None:
    sec, round_ = open_round
    proposals.withdraw_proposal(session, sec, round_.proposal_id, now=T0 + timedelta(hours=1))
    assert locks[: len(ORDER)] == ORDER
    assert sorted(locks, key=ORDER.index) == locks  # no lock out of order after them either
    assert rounds.get_round(session, round_.id).outcome == Outcome.WITHDRAWN


def test_closing_locks_the_round_then_the_proposal_then_the_log(
    session: Any, open_round: tuple[User, Round], locks: list[str]
) -> None:
    sec, round_ = open_round
    rounds.close_round(session, sec, round_.id, now=AFTER_DEADLINE)
    assert locks == ORDER


def test_automatic_closing_takes_the_same_order(session: Any, make: Any, locks: list[str]) -> None:
    make.partners(2)
    sec = make.secretariat()
    make.open_round(make.proposal(sec), sec, auto_close=True)
    locks.clear()
    assert len(rounds.close_rounds_past_deadline(session, now=AFTER_DEADLINE)) == 1
    assert locks == ORDER


def test_withdrawing_a_draft_locks_only_the_proposal(
    session: Any, make: Any, locks: list[str]
) -> None:
    sec = make.secretariat()
    proposal = make.proposal(sec)
    locks.clear()
    proposals.withdraw_proposal(session, sec, proposal.id, now=T0)
    assert locks == ["proposals"]


@pytest.mark.parametrize(("quorum", "closed_as"), [(0, Outcome.ADOPTED), (1, Outcome.LAPSED)])
def test_withdrawing_sees_a_round_closed_meanwhile(
    session: Any, make: Any, quorum: int, closed_as: Outcome
) -> None:
    """The session read the proposal and its round while the round was open; another
    connection closes the round. Withdrawing must act on what is committed, not on what
    the session remembers: no second closing of the round, no second log entry."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite: every transaction holds the write lock, nothing changes meanwhile")
    make.partners(2)
    sec = make.secretariat()
    round_ = make.open_round(make.proposal(sec), sec, quorum=quorum)
    proposal_id, round_id = round_.proposal_id, round_.id
    remembered = proposals.get_proposal(session, proposal_id)
    assert remembered.status == ProposalStatus.OPEN and remembered.open_round is not None

    with Session(db.engine) as other:
        rounds.close_round(other, other.get(User, sec.id), round_id, now=AFTER_DEADLINE)

    if closed_as == Outcome.ADOPTED:
        with pytest.raises(ProposalLocked):
            proposals.withdraw_proposal(session, sec, proposal_id, now=AFTER_DEADLINE)
        session.rollback()
    else:  # not adopted: it may still be withdrawn, with no round left to close
        withdrawn = proposals.withdraw_proposal(session, sec, proposal_id, now=AFTER_DEADLINE)
        assert withdrawn.status == ProposalStatus.WITHDRAWN
    session.expire_all()
    entries = session.scalars(select(DecisionEntry).where(DecisionEntry.round_id == round_id))
    assert [e.outcome for e in entries] == [closed_as]
    assert session.scalar(select(func.count()).select_from(DecisionEntry)) == 1


def test_withdrawing_and_closing_at_once_never_deadlock(ctx: Any, make: Any) -> None:
    """Each proposal is withdrawn while the Secretariat closes its round: one of the two
    wins, the other is refused, and the round is entered in the log exactly once."""
    make.partners(2)
    sec = make.secretariat()
    opened = [make.open_round(make.proposal(sec), sec) for _ in range(6)]
    pairs = [(r.id, r.proposal_id) for r in opened]
    sec_id = sec.id
    db.session.remove()
    start = threading.Barrier(2 * len(pairs), timeout=30)
    failures: list[BaseException] = []

    def act(service: Any) -> None:
        with ctx.app_context():
            try:
                actor = db.session.get(User, sec_id)
                db.session.commit()  # hold no transaction (on SQLite: no lock) while waiting
                start.wait()
                service(actor)
            except (RoundNotOpen, ProposalLocked):
                db.session.rollback()  # the other one won
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)

    threads = []
    for round_id, proposal_id in pairs:
        threads.append(
            threading.Thread(
                target=act,
                args=(lambda a, p=proposal_id: proposals.withdraw_proposal(db.session, a, p),),
            )
        )
        threads.append(
            threading.Thread(
                target=act,
                args=(lambda a, r=round_id: rounds.close_round(db.session, a, r, AFTER_DEADLINE),),
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    for round_id, proposal_id in pairs:
        entries = db.session.scalars(
            select(DecisionEntry).where(DecisionEntry.round_id == round_id)
        )
        outcomes = [e.outcome for e in entries]
        assert outcomes in ([Outcome.WITHDRAWN], [Outcome.ADOPTED])
        status = proposals.get_proposal(db.session, proposal_id).status
        expected = {
            Outcome.WITHDRAWN: ProposalStatus.WITHDRAWN,
            Outcome.ADOPTED: ProposalStatus.ADOPTED,
        }
        assert status == expected[outcomes[0]]
