"""The scheduler: one process that does, when due, what `accord tick` does once.

It is never started inside create_app: `accord serve` starts it embedded in the single
development process, `accord scheduler` runs it in the foreground for production (with
ACCORD_SCHEDULER=off for the web processes). The database is the source of truth, so a
restart loses nothing and the job is safe to run twice. For now the job closes auto-close
rounds at their deadline; reminders and e-mail delivery join it with the notifications issue.
"""

from dataclasses import dataclass
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.orm import Session

from decisions.clock import now
from decisions.db import db
from decisions.rounds import close_due_rounds

#: how often the job looks for due work
INTERVAL_SECONDS = 60


@dataclass(frozen=True)
class Done:
    #: numbers of the decisions taken by closing rounds at their deadline
    closed: list[str]


def run_due(session: Session) -> Done:
    """Everything that is due now."""
    return Done(closed=[entry.number for entry in close_due_rounds(session)])


def _job(app: Flask) -> None:
    """The scheduled job: its own app context, so its own session, ended after each run."""
    with app.app_context():
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
    return scheduler
