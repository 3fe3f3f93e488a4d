"""A round of 10 000 partners: opening it, registering in it, reminding and closing it.

    python bench/scale.py rounds [--partners 10000] [--positions 5]
                                 [--database-url postgresql://postgres@127.0.0.1:5432/bench_me]

Fills a fresh database (a throwaway SQLite file; with ``--database-url``, a throwaway
database created on that PostgreSQL server beside the one named, dropped afterwards) with
N partners with standing, one representative each, through bulk inserts of valid rows (no
password hashing: nobody signs in). The representatives differ as real ones do: some chose
a language (French, Spanish, Arabic, Indonesian), some a time zone, some no e-mail. Then,
through the domain services, each in its own session as a request or `accord tick` has, it
times (the clock; this process's CPU time; the time spent waiting for the database's
answers) and counts the SQL statements of:

- opening a round (the electorate, the opening notices and e-mails, the deadline record);
- registering a few positions (one of them an objection, with its notices);
- the reminder sweep of `accord tick` (notifications.reminders.sweep) with all but those
  few pending, when the 24-hour reminder is due; then the same sweep again (nothing due);
- closing the round after its deadline (the outcome, the log entry, the outcome notices).

It prints a Markdown table and checks what was queued (one notice per recipient, the
e-mails their preferences allow) and that the decision log verifies. The timings live
here, never in the tests.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import event, func, insert, select

from bench.pages import new_app, postgresql_database, sqlite_database
from decisions import proposals, rounds, users
from decisions.db import db
from decisions.log import verify
from decisions.models import Category, EmailEvents, Partner, Role, User
from notifications import reminders
from notifications.models import InboxEntry, MailBody, OutboxMessage
from notifications.settings import Settings

#: what the representatives chose, in turn: most chose nothing (the partnership's)
LOCALES = (None, None, None, "fr", None, "es", None, "ar", None, "id")
ZONES = (None, None, "Asia/Manila", None, "Pacific/Fiji", None, "Australia/Sydney")
EMAIL_EVENTS = (EmailEvents.ALL,) * 6 + (EmailEvents.REMINDERS_OUTCOMES, EmailEvents.NONE)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scale.py rounds", description=__doc__.split("\n")[0])
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--positions", type=int, default=5, help="positions registered")
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (and a database of yours on it) to run on instead of SQLite",
    )
    args = parser.parse_args(argv)
    if args.partners < 2 or not 1 <= args.positions < args.partners:
        parser.error("--partners at least 2, --positions between 1 and the partners")
    return args


# --- filling ------------------------------------------------------------------------------


def fill(app: Flask, partners: int, now: datetime) -> tuple[int, int]:
    """N partners with standing and their representatives, a Secretariat and a draft:
    (secretariat id, proposal id)."""
    with app.app_context():
        session = db.session
        secretariat = users.create_user(
            session, None, "secretariat@bench.example", "Secretariat", Role.SECRETARIAT
        ).id
        member = session.scalar(select(Category.id).where(Category.slug == "member"))
        # Core, not ORM, inserts: executed many at a time rather than row by row.
        rows = [_partner(i, member, now) for i in range(partners)]
        session.connection().execute(insert(Partner.__table__), rows)
        ids = session.scalars(select(Partner.id).order_by(Partner.id)).all()
        rows = [_representative(i, pid, now) for i, pid in enumerate(ids)]
        session.connection().execute(insert(User.__table__), rows)
        session.commit()
        proposal = proposals.draft_proposal(
            session,
            session.get_one(User, secretariat),
            "Joint statement on marine protected areas",
            "We propose that the partnership **endorse** the joint statement.",
            now=now,
            translations={
                "fr": {"title": "Déclaration commune sur les aires marines protégées", "body": "…"},
                "ar": {"title": "بيان مشترك بشأن المناطق البحرية المحمية", "body": "…"},
            },
        )
        proposal_id = proposal.id
        db.session.remove()
    return secretariat, proposal_id


def _partner(i: int, category_id: int | None, now: datetime) -> dict[str, Any]:
    return {
        "name": f"Partner {i + 1:05d} & Co <Pacific>",
        "country": "PH",
        "category_id": category_id,
        "status": "active",
        "created_at": now,
    }


def _representative(i: int, partner_id: int, now: datetime) -> dict[str, Any]:
    return {
        "email": f"rep{i + 1}@bench.example",
        "name": f"Rep {i + 1} O'Neil",
        "password_hash": "",
        "role": Role.PARTNER,
        "partner_id": partner_id,
        "time_zone": ZONES[i % len(ZONES)],
        "locale": LOCALES[i % len(LOCALES)],
        "active": True,
        "session_token": f"bench-{i + 1}",
        "created_at": now,
        "email_events": EMAIL_EVENTS[i % len(EMAIL_EVENTS)],
    }


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Measure:
    what: str
    seconds: float
    statements: int
    #: this process's CPU time: less at the mercy of a busy machine than the wall clock
    cpu: float = 0.0
    #: the time spent waiting for the database's answers (the cursor's execute calls)
    database: float = 0.0
    result: str = ""


class Counter:
    """Counts what the engine sends to the database (an executemany counts once per batch
    the driver is handed), and the time until each answer."""

    def __init__(self, app: Flask) -> None:
        self.count = 0
        self.waited = 0.0
        self._sent = 0.0
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._send)
            event.listen(db.engine, "after_cursor_execute", self._answered)

    def _send(self, *args: Any) -> None:
        self.count += 1
        self._sent = time.perf_counter()

    def _answered(self, *args: Any) -> None:
        self.waited += time.perf_counter() - self._sent


@contextmanager
def measured(app: Flask, counter: Counter, what: str, out: list[Measure]) -> Iterator[Any]:
    """An app context (a session of its own) whose work inside the block is timed."""
    with app.app_context():
        measure = Measure(what, 0.0, 0)
        counter.count, counter.waited = 0, 0.0
        start, cpu = time.perf_counter(), time.process_time()
        yield measure
        measure.seconds = time.perf_counter() - start
        measure.cpu = time.process_time() - cpu
        measure.statements = counter.count
        measure.database = counter.waited
        out.append(measure)
        db.session.remove()


def scenario(app: Flask, partners: int, positions: int) -> list[Measure]:
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    secretariat_id, proposal_id = fill(app, partners, now)
    print(f"  filled {partners} partners in {time.perf_counter() - started:.1f} s", flush=True)
    counter = Counter(app)
    out: list[Measure] = []
    opened, deadline = now + timedelta(hours=1), now + timedelta(days=10)
    sec: Callable[[], User] = lambda: db.session.get_one(User, secretariat_id)  # noqa: E731
    with measured(app, counter, "open a round", out) as m:
        round_id = rounds.open_round(db.session, sec(), proposal_id, deadline, now=opened).id
    with app.app_context():
        out[-1].result = _counts()
    register(app, counter, out, round_id, positions, opened)
    settings = Settings.of_app(app)
    due = deadline - timedelta(hours=23)  # the 24-hour reminder is due
    for what in ("reminder sweep, all due", "reminder sweep again, none due"):
        with measured(app, counter, what, out) as m:
            m.result = f"{reminders.sweep(db.session, settings, due)} queued"
    with measured(app, counter, "close the round (after its deadline)", out) as m:
        entry = rounds.close_round(db.session, sec(), round_id, now=deadline + timedelta(minutes=1))
        m.result = f"{entry.number} {entry.outcome}"
    check(app)
    return out


def register(
    app: Flask,
    counter: Counter,
    out: list[Measure],
    round_id: int,
    positions: int,
    opened: datetime,
) -> None:
    """The first partners' representatives speak; the first of them objects."""
    with app.app_context():
        speakers = db.session.execute(
            select(User.id, User.partner_id)
            .where(User.role == Role.PARTNER)
            .order_by(User.partner_id)
            .limit(positions)
        ).all()
        db.session.remove()
    for i, (user_id, partner_id) in enumerate(speakers):
        stance, reason = ("object", "Not within our mandate.") if i == 0 else ("consent", "")
        with measured(app, counter, f"register a position ({stance})", out) as m:
            actor = db.session.get_one(User, user_id)
            at = opened + timedelta(minutes=i + 1)
            rounds.register_position(
                db.session, actor, round_id, partner_id, stance, reason, now=at
            )
            m.result = stance


def _counts() -> str:
    inbox = db.session.scalar(select(func.count()).select_from(InboxEntry))
    outbox = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    bodies = db.session.scalar(select(func.count()).select_from(MailBody))
    return f"{inbox} notices, {outbox} e-mails, {bodies} bodies"


def check(app: Flask) -> None:
    with app.app_context():
        print(f"  queued in all: {_counts()}")
        keys = db.session.scalars(select(InboxEntry.key)).all()
        if len(keys) != len(set(keys)):
            raise SystemExit("a notice was queued twice")
        if not verify(db.session).ok:
            raise SystemExit("the decision log does not verify")
        db.session.remove()


def report(name: str, partners: int, measures: list[Measure]) -> None:
    print(f"\n### {name}, {partners} partners\n")
    print("| step | time | CPU time | in the database | statements | result |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for m in measures:
        print(
            f"| {m.what} | {m.seconds * 1000:.0f} ms | {m.cpu * 1000:.0f} ms "
            f"| {m.database * 1000:.0f} ms | {m.statements} | {m.result} |"
        )
    print(flush=True)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    if args.database_url:
        database, name = postgresql_database(args.database_url), "PostgreSQL"
    else:
        database, name = sqlite_database(), "SQLite"
    with database as url:
        print(f"{name}: filling…", flush=True)
        app = new_app(url)
        measures = scenario(app, args.partners, args.positions)
        with app.app_context():
            db.engine.dispose()
    report(name, args.partners, measures)
