"""Two `tick` runs at the same moment (two scheduler processes by mistake) still queue
each reminder once and deliver each message once. On PostgreSQL the two really overlap
(row locks, ON CONFLICT, SKIP LOCKED); SQLite's write lock takes them one after the
other, which must give the same result."""

import threading
from collections import Counter
from datetime import timedelta

import time_machine
from sqlalchemy import select

from decisions.db import db
from notifications import delivery, scheduler
from notifications.models import InboxEntry, Kind, OutboxMessage
from tests.conftest import T0
from tests.notifications.conftest import person

DEADLINE = T0 + timedelta(days=7)
RUNNERS = 2


def run_at_once(app) -> list[BaseException]:  # type: ignore[no-untyped-def]
    start = threading.Barrier(RUNNERS)
    errors: list[BaseException] = []

    def run() -> None:
        with app.app_context():
            try:
                start.wait(timeout=30)
                scheduler.run_due(db.session())
            except BaseException as error:  # reported to the test below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(RUNNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_ticks_at_once_remind_and_send_exactly_once(ctx, make, session, smtp, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(delivery, "BATCH", 5)  # small batches: both runners claim in turn
    partners = make.partners(6)
    reps = [person(session, "partner", p) for p in partners for _ in range(2)]
    sec = person(session, "secretariat")
    with time_machine.travel(T0, tick=False):
        round_ids = [make.open_round(make.proposal(sec), sec).id for _ in range(4)]
    session.commit()  # the runners need the database to themselves

    for moment in (DEADLINE - timedelta(hours=72), DEADLINE - timedelta(hours=24)):
        with time_machine.travel(moment + timedelta(minutes=1), tick=False):
            assert run_at_once(ctx) == []

    reminders = Counter(
        (row.key.split(":")[1], row.user_id, row.key.rsplit(":", 1)[1])
        for row in session.scalars(select(InboxEntry).where(InboxEntry.kind == Kind.REMINDER))
    )
    assert len(reminders) == len(round_ids) * len(reps) * 2  # every one, at both offsets…
    assert set(reminders.values()) == {1}  # …once
    messages = session.scalars(select(OutboxMessage)).all()
    assert len(messages) == len(round_ids) * len(reps) * 3  # opened + two reminders
    received = Counter(message["Message-ID"] for message in smtp.received)
    assert set(received) == {message.message_id for message in messages}
    assert set(received.values()) == {1}  # each message delivered once
