"""Positions registered while the round is being closed: each one is either in the
decision or refused, never stored after it. Runs on SQLite (BEGIN IMMEDIATE) and
PostgreSQL (the round's lock, shared by registrations: decisions/round_lock.py, and
tests/integration/test_round_lock.py for each of its promises)."""

import threading
from datetime import timedelta

from sqlalchemy import select

from decisions import rounds
from decisions.clock import now
from decisions.db import db
from decisions.errors import RoundNotOpen
from decisions.models import DecisionEntry, Position, User


def test_no_position_is_lost_to_a_concurrent_close(ctx, make, session):  # type: ignore[no-untyped-def]
    partners = make.partners(12)
    reps = [make.representative(p) for p in partners]
    sec = make.secretariat()
    proposal = make.proposal(sec)
    round_ = rounds.open_round(session, sec, proposal.id, now() + timedelta(days=1), now=now())
    for partner, rep in zip(partners, reps, strict=True):
        rounds.register_position(session, rep, round_.id, partner.id, "consent")
    round_id, rep_ids, sec_id = round_.id, [r.id for r in reps], sec.id
    pairs = list(zip(rep_ids, [p.id for p in partners], strict=True))
    db.session.remove()

    start = threading.Barrier(len(pairs) + 1, timeout=30)
    outcomes: list[str] = []
    failures: list[BaseException] = []

    def change_position(rep_id: int, partner_id: int) -> None:
        with ctx.app_context():
            try:
                rep = db.session.get(User, rep_id)
                db.session.commit()  # hold no transaction (on SQLite: no lock) while waiting
                start.wait()
                for stance in ("stand_aside", "object", "consent"):
                    rounds.register_position(
                        db.session, rep, round_id, partner_id, stance, "Changed our mind"
                    )
                outcomes.append("registered")
            except RoundNotOpen:
                db.session.rollback()
                outcomes.append("refused")
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)

    def close() -> None:
        with ctx.app_context():
            try:
                secretariat = db.session.get(User, sec_id)
                db.session.commit()
                start.wait()
                rounds.close_round(db.session, secretariat, round_id)
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)

    threads = [threading.Thread(target=change_position, args=pair) for pair in pairs]
    threads.append(threading.Thread(target=close))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert len(outcomes) == len(pairs)
    entry = db.session.scalar(select(DecisionEntry).where(DecisionEntry.round_id == round_id))
    stored = db.session.scalars(
        select(Position).where(Position.round_id == round_id).order_by(Position.id)
    ).all()
    latest = {p.partner_id: p for p in stored}
    assert all(p.registered_at <= entry.closed_at for p in stored)
    assert {r["partner_id"]: r["stance"] for r in entry.positions} == {
        pid: str(p.stance) for pid, p in latest.items()
    }
