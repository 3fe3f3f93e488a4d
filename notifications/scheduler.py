"""The scheduler: one process that does, when due, what `accord tick` does once.

It is never started inside create_app, so never inside a web worker: `accord serve` starts
it embedded in the single development process, `accord scheduler` runs it in the foreground
for production, one on every host, working in turn (notifications/lease.py). The database
is the source of truth, so a restart loses nothing and the job is safe to run twice, even
in two processes at once.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask
from sqlalchemy.orm import Session

from decisions.clock import now
from decisions.db import db
from decisions.rounds import close_rounds_past_deadline
from notifications import delivery, reminders, wakeup
from notifications.lease import Lease
from notifications.settings import Settings

#: how often the job looks for due work
INTERVAL_SECONDS = 30


@dataclass(frozen=True)
class Done:
    #: numbers of the decisions taken by closing rounds at their deadline
    closed: list[str]
    #: reminders queued
    reminded: int = 0
    sent: delivery.Report = field(default_factory=delivery.Report)


def run_due(session: Session, settings: Settings | None = None) -> Done:
    """Everything that is due now: automatic closes (whose outcome notices are queued
    with them), reminders, then the outbox's delivery."""
    settings = settings or Settings.of_app()
    closed = [entry.number for entry in close_rounds_past_deadline(session)]
    reminded = reminders.sweep(session, settings, now())
    # The clock read again: what the sweep queued is stamped with the time it was
    # queued, and goes out in this same run.
    report = delivery.deliver_due(session, settings, now())
    return Done(closed=closed, reminded=reminded, sent=report)


def _job(app: Flask) -> Done:
    """The scheduled job: its own app context, so its own session, ended after each run."""
    with app.app_context(), wakeup.InsideJob():
        try:
            return run_due(db.session())
        finally:
            db.session.remove()


def build(app: Flask) -> BaseScheduler:
    """A scheduler in the background with the one job, for `accord serve`; the caller
    starts it."""
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        _job,
        "interval",
        seconds=INTERVAL_SECONDS,
        args=[app],
        id="due-work",
        max_instances=1,  # a slow run is never overlapped by the next
        coalesce=True,  # runs missed while asleep are done once, not many times
        next_run_time=now(),
    )

    def wake() -> None:
        if scheduler.running:
            scheduler.modify_job("due-work", next_run_time=now())

    # The last scheduler built in this process is the one woken (there is only one).
    wakeup.set_waker(wake)
    return scheduler


def run_in_turn(
    app: Flask,
    say: Callable[[str], None],
    interval: float = INTERVAL_SECONDS,
    stop: threading.Event | None = None,
) -> None:
    """`accord scheduler`: every ``interval`` seconds, do what is due if this process
    holds the lease, else stand by; until ``stop`` is set (or the process ends)."""
    stop = stop or threading.Event()
    with app.app_context():
        lease = Lease(db.engine)
    working: bool | None = None
    try:
        while not stop.is_set():
            holding = lease.take()
            if holding != working:
                say(_turn(lease, holding, interval, took_over=working is False))
                working = holding
            if holding:
                _run_and_report(app, say)
            stop.wait(interval)
    finally:
        lease.release()


def _turn(lease: Lease, holding: bool, interval: float, took_over: bool) -> str:
    if not lease.needed:
        return "Working (SQLite: one host, no lock to take)."
    if not holding:
        return (
            "Standing by: another scheduler holds the lock (or the database cannot be "
            f"reached); asking again every {interval:g} s."
        )
    return ("Taking over: " if took_over else "Working: ") + (
        "this scheduler holds the lock; any other stands by."
    )


def _run_and_report(app: Flask, say: Callable[[str], None]) -> None:
    """One run; what it did, when it did anything. A failed run is logged and tried
    again at the next interval, as the background scheduler does."""
    try:
        done = _job(app)
    except Exception:
        logging.getLogger(__name__).exception("The scheduler's run failed")
        return
    sent = done.sent
    if done.closed or done.reminded or sent.sent or sent.retrying or sent.failed:
        say(
            f"Closed {len(done.closed)} round(s), queued {done.reminded} reminder(s); "
            f"e-mail: {sent.sent} sent, {sent.retrying} to retry, {sent.failed} refused."
        )
