"""Waking the scheduler of this process when a transaction has queued e-mail, so that a
notice goes out at once rather than at the next interval. Only a scheduler running in
the same process (`accord serve`) can be woken; a separate `accord scheduler` process
finds the messages at its next run (INTERVAL_SECONDS)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

FLAG = "accord_outbox_queued"

_waker: Callable[[], None] | None = None
_inside_job = threading.local()


def set_waker(waker: Callable[[], None] | None) -> None:
    global _waker
    _waker = waker


def queued(session: Session) -> None:
    """Called when rows were added to the outbox: wake the scheduler after the commit."""
    session.info[FLAG] = True


class InsideJob:
    """Marks the scheduler's own thread: its commits need not wake it."""

    def __enter__(self) -> None:
        _inside_job.active = True

    def __exit__(self, *exc: object) -> None:
        _inside_job.active = False


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(FLAG, False) and _waker is not None:
        if not getattr(_inside_job, "active", False):
            _waker()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(FLAG, None)
