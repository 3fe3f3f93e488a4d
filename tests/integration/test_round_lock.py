"""A round's lock (decisions/round_lock.py) on PostgreSQL: partners register side by side,
each partner's registrations follow one another, a close waits for the registrations
under way and every registration after it waits behind it, and a registration that
waited for a close is refused. (On SQLite every writing transaction holds the database's
write lock: everything takes its turn; tests/integration/test_concurrency.py races a
close on both databases.)

A lock that should be waited for is shown by a short ``lock_timeout``: the statement
that waits is refused with LockNotAvailable instead of hanging the suite. One that should
not be waited for runs under a long one, and simply ends.
"""

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import psycopg.errors
import pytest
from sqlalchemy import exc, select, text
from sqlalchemy.orm import Session

from decisions import registering, round_lock, rounds
from decisions.clock import now
from decisions.closing import record_outcome
from decisions.db import db
from decisions.errors import RoundNotOpen
from decisions.models import Channel, DecisionEntry, Position, Stance, User
from decisions.proposals import get_proposal


@pytest.fixture
def round_of_three(ctx: Any, make: Any) -> Iterator[dict[str, Any]]:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite: every writing transaction holds the database's write lock")
    partners = make.partners(3)
    reps = [make.representative(p) for p in partners]
    sec = make.secretariat()
    proposal = make.proposal(sec)
    round_ = rounds.open_round(make.session, sec, proposal.id, now() + timedelta(days=1), now=now())
    ids = {
        "round": round_.id,
        "proposal": proposal.id,
        "partners": [p.id for p in partners],
        "reps": [r.id for r in reps],
        "sec": sec.id,
        "app": ctx,
    }
    db.session.remove()
    sessions: list[Session] = []

    def open_session() -> Session:
        sessions.append(Session(db.engine))
        return sessions[-1]

    ids["session"] = open_session
    yield ids
    for each in sessions:
        each.close()


def _waiting_for(session: Session, timeout: str) -> None:
    """The rest of this session's transaction gives up on a lock after ``timeout``."""
    session.execute(text(f"SET LOCAL lock_timeout = '{timeout}'"))


def _register(session: Session, ids: dict[str, Any], n: int, stance: str = "consent") -> Any:
    rep = session.get(User, ids["reps"][n])
    return rounds.record_position(
        session, rep, ids["round"], ids["partners"][n], stance, channel=Channel.API
    )


def _under_way(session: Session, ids: dict[str, Any], n: int, stance: Stance) -> None:
    """Partner ``n``'s registration, its position written and not yet committed: the
    round's lock held shared meanwhile."""
    round_id, partner_id = ids["round"], ids["partners"][n]
    assert registering.lock_round(session, round_id, partner_id).is_open
    values = {
        "round_id": round_id,
        "partner_id": partner_id,
        "stance": stance,
        "reason": "",
        "on_behalf": False,
        "note": "",
        "registered_at": now(),
        "registered_by_id": ids["reps"][n],
        "channel": Channel.API,
    }
    assert registering.insert_position(session, values) is not None


def _refused_by_lock_timeout(action: Callable[[], Any]) -> bool:
    try:
        action()
    except exc.OperationalError as error:
        return isinstance(error.orig, psycopg.errors.LockNotAvailable)
    return False


def _in_thread(app: Any, action: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """``action`` run in a thread of its own, in an app context; the list receives what
    it returned or raised."""
    result: list[Any] = []

    def run() -> None:
        try:
            with app.app_context():
                result.append(action())
        except BaseException as error:  # noqa: BLE001 - the test reads it
            result.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def _until_one_waits_for_a_round(watcher: Session) -> None:
    """Until another connection waits for an advisory lock (a round's)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
    )
    for _ in range(300):
        if watcher.scalar(query):
            return
        watcher.rollback()  # a fresh snapshot of the activity each time
        time.sleep(0.05)
    raise AssertionError("no connection came to wait for the round's lock")


def test_partners_register_side_by_side(round_of_three: dict[str, Any]) -> None:
    ids = round_of_three
    first, second = ids["session"](), ids["session"]()
    _under_way(first, ids, 0, Stance.CONSENT)
    _waiting_for(second, "30s")  # not waited for: it ends long before
    written = _register(second, ids, 1)
    assert written.partner_id == ids["partners"][1]
    first.commit()
    with Session(db.engine) as reader:
        stored = reader.scalars(
            select(Position.partner_id).where(Position.round_id == ids["round"])
        )
        assert sorted(stored) == sorted(ids["partners"][:2])


def test_one_partners_registrations_follow_one_another(round_of_three: dict[str, Any]) -> None:
    ids = round_of_three
    first, second = ids["session"](), ids["session"]()
    _under_way(first, ids, 0, Stance.CONSENT)
    _waiting_for(second, "300ms")
    assert _refused_by_lock_timeout(lambda: _register(second, ids, 0, "stand_aside"))
    first.commit()
    third = ids["session"]()
    assert _register(third, ids, 0, "stand_aside").stance == Stance.STAND_ASIDE


def test_a_close_waits_for_registrations_under_way_and_later_ones_wait_behind_it(
    round_of_three: dict[str, Any],
) -> None:
    ids = round_of_three
    registering_first, closing, later, watcher = (ids["session"]() for _ in range(4))
    _under_way(registering_first, ids, 0, Stance.STAND_ASIDE)

    def close() -> Any:
        sec = closing.get(User, ids["sec"])
        closing.commit()
        # Before the deadline, with partners pending: the Secretariat's early close is
        # refused; the automatic close at the deadline is what races registrations.
        return rounds.close_round(closing, sec, ids["round"], now=now() + timedelta(days=2))

    thread, closed = _in_thread(ids["app"], close)
    _until_one_waits_for_a_round(watcher)
    _waiting_for(later, "300ms")  # queued behind the close, not beside the registration
    assert _refused_by_lock_timeout(lambda: _register(later, ids, 1))
    registering_first.commit()
    thread.join(timeout=30)
    assert len(closed) == 1 and isinstance(closed[0], DecisionEntry), closed
    with Session(db.engine) as reader:
        entry = reader.scalar(select(DecisionEntry).where(DecisionEntry.round_id == ids["round"]))
        assert entry is not None
        first, *others = ids["partners"]
        stances = {p["partner_id"]: p["stance"] for p in entry.positions}
        assert stances == {first: "stand_aside"} | dict.fromkeys(others, "pending")
    with pytest.raises(RoundNotOpen):
        _register(ids["session"](), ids, 1)


def test_a_registration_that_waited_for_a_close_is_refused(
    round_of_three: dict[str, Any],
) -> None:
    """Its first statement read the round before the close committed (a statement's
    snapshot is taken when it starts); the INSERT reads it again, closed."""
    ids = round_of_three
    closing, watcher = ids["session"](), ids["session"]()
    round_ = round_lock.exclusive(closing, ids["round"])
    get_proposal(closing, ids["proposal"], lock=True)
    record_outcome(closing, round_, None, now())

    thread, registered = _in_thread(ids["app"], lambda: _register(ids["session"](), ids, 1))
    _until_one_waits_for_a_round(watcher)
    closing.commit()
    thread.join(timeout=30)
    assert len(registered) == 1 and isinstance(registered[0], RoundNotOpen), registered
    with Session(db.engine) as reader:
        stored = reader.scalars(select(Position).where(Position.round_id == ids["round"]))
        assert list(stored) == []
