"""The scheduler: one process that does, when due, what `accord tick` does once.

It is never started inside create_app: `accord serve` starts it embedded in the single
development process, `accord scheduler` runs it in the foreground for production (with
ACCORD_SCHEDULER=off for the web processes). The database is the source of truth, so a
restart loses nothing and the job is safe to run twice, even in two processes at once.
"""

from dataclasses import dataclass, field
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.orm import Session

from decisions.clock import now
from decisions.db import db
from decisions.rounds import close_rounds_past_deadline
from notifications import delivery, reminders, wakeup
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


def _job(app: Flask) -> None:
    """The scheduled job: its own app context, so its own session, ended after each run."""
    with app.app_context(), wakeup.InsideJob():
        try:
            run_due(db.session())
        finally:
            db.session.remove()


def build(app: Flask, *, foreground: bool = False) -> BaseScheduler:
    """A scheduler with the one job; the caller starts it."""
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=UTC) if foreground else BackgroundScheduler(timezone=UTC)
    )
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
