"""The scheduler's job closes auto-close rounds at their deadline; started in the
background (as `accord serve` does), it does so without anyone running `accord tick`."""

import threading
from datetime import timedelta

import time_machine
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from sqlalchemy import select

from decisions.consensus import Outcome
from decisions.db import db
from decisions.models import DecisionEntry, Round
from notifications import scheduler
from tests.conftest import T0


def _rounds(make):  # type: ignore[no-untyped-def]
    """An auto-close round and one the Secretariat closes itself, both due at T0 + 7 days."""
    partners = make.partners(3)
    sec = make.secretariat()
    auto = make.open_round(make.proposal(sec), sec, auto_close=True)
    manual = make.open_round(make.proposal(sec), sec)
    ids = auto.id, manual.id
    db.session.commit()  # hold no transaction while the job works in its own session
    assert len(partners) == 3
    return ids


def _closed(round_id: int) -> bool:
    db.session.expire_all()
    closed = db.session.get(Round, round_id).closed_at is not None
    db.session.rollback()  # end the read: on SQLite it holds the lock the job needs
    return closed


def test_the_job_built_for_the_scheduler(ctx):  # type: ignore[no-untyped-def]
    built = scheduler.build(ctx)
    (job,) = built.get_jobs()
    assert job.id == "due-work"
    assert job.trigger.interval == timedelta(seconds=scheduler.INTERVAL_SECONDS)
    assert job.max_instances == 1 and job.coalesce
    assert not built.running  # building never starts it: only serve or `accord scheduler` do


def test_background_scheduler_closes_due_rounds(ctx, make):  # type: ignore[no-untyped-def]
    auto_id, manual_id = _rounds(make)
    ran = threading.Event()
    errors: list[BaseException] = []

    def listen(event) -> None:  # type: ignore[no-untyped-def]
        if event.exception:
            errors.append(event.exception)
        ran.set()

    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        early = scheduler.build(ctx)
        early.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        early.start()
        assert ran.wait(timeout=60)
        early.shutdown()
    assert errors == [] and not _closed(auto_id)  # before the deadline: nothing to do

    ran.clear()
    with time_machine.travel(T0 + timedelta(days=7, minutes=1), tick=False):
        late = scheduler.build(ctx)
        late.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        late.start()
        assert ran.wait(timeout=60)
        late.shutdown()
    assert errors == []
    assert _closed(auto_id) and not _closed(manual_id)
    entry = db.session.scalar(select(DecisionEntry).where(DecisionEntry.round_id == auto_id))
    assert entry.outcome == Outcome.ADOPTED  # silence procedure: nobody objected
