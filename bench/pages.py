"""How long Accord's busiest pages and services take as the partnership grows.

For each partner count, a fresh database is filled through the domain services only: N
partners with standing (one representative each), a proposal whose open round holds a
position from every partner, and ``--entries`` closed rounds in the decision log. Then,
signed in as a representative through Flask's test client, it times the proposal page,
the first page of the decision log, one decision entry, the partner directory, a change
of position through ``rounds.register_position``, and ``accord verify-log``; it counts the
SQL statements each one sends, and prints Markdown tables.

    python bench/pages.py [--partners 12,200,1000] [--entries 500] [--repeat 20]
                          [--database-url postgresql://postgres@127.0.0.1:5432/test]

SQLite always runs; with ``--database-url`` PostgreSQL runs as well, each partner count in
a throwaway database created on that server and dropped afterwards (as the tests do).
Figures are wall-clock times of one process on whatever machine runs this: compare them
with each other, not across machines. The timings live here, never in the tests.
"""

import argparse
import itertools
import math
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine

from app import create_app
from app.cli import init_database
from decisions import partners as partners_domain
from decisions import proposals, rounds, tokens, users
from decisions.db import db
from decisions.models import Role, User

PASSWORD = "bench password, long enough"
READER_EMAIL = "reader@bench.example"
CSRF_TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


# --- command line ----------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", default="12,200,1000", help="comma-separated counts")
    parser.add_argument("--entries", type=int, default=500, help="closed rounds in the log")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per measure")
    parser.add_argument(
        "--verify-repeat",
        type=int,
        default=3,
        help="timed runs of accord verify-log (it reads the whole log, so fewer)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server on which to run as well, e.g. "
        "postgresql://postgres@127.0.0.1:5432/test",
    )
    args = parser.parse_args(argv)
    args.partner_counts = [int(n) for n in args.partners.split(",") if n.strip()]
    if not args.partner_counts or min(args.partner_counts) < 2:
        parser.error("--partners needs counts of at least 2")
    if args.entries < 1 or args.repeat < 1 or args.verify_repeat < 1:
        parser.error("--entries, --repeat and --verify-repeat must be positive")
    return args


# --- throwaway databases ---------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as folder:
        yield f"sqlite:///{folder}/accord.sqlite3"


@contextmanager
def postgresql_database(server: str) -> Iterator[str]:
    """A database of our own on ``server``, dropped afterwards (as tests/conftest.py does)."""
    import psycopg

    base = make_url(server).set(drivername="postgresql")
    name = f"accord_bench_{uuid.uuid4().hex[:12]}"
    admin_dsn = base.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_app(database_url: str) -> Flask:
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"}
    )
    with app.app_context():
        init_database()
        db.session.remove()
    return app


# --- the partnership, filled through the services --------------------------------------


@dataclass(frozen=True)
class Scenario:
    """What the measures need to find again in the filled database."""

    proposal_id: int
    round_id: int
    reader_id: int
    reader_partner_id: int
    decision_id: int
    entries: int


def fill(app: Flask, partners: int, entries: int) -> Scenario:
    """N partners, ``entries`` closed rounds, then a proposal open with every position in.

    Only the reader gets a password: hashing one is slow on purpose.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        secretariat = users.create_user(
            db.session, None, "secretariat@bench.example", "Secretariat", Role.SECRETARIAT
        ).id
        representatives = [add_partner(i) for i in range(partners)]
        decision_ids = fill_log(secretariat, representatives, entries, now)
        proposal_id, round_id = open_with_every_position(secretariat, representatives, now)
        db.session.remove()
    reader_id, reader_partner_id = representatives[0]
    return Scenario(
        proposal_id=proposal_id,
        round_id=round_id,
        reader_id=reader_id,
        reader_partner_id=reader_partner_id,
        decision_id=decision_ids[len(decision_ids) // 2],
        entries=entries,
    )


def fresh_session() -> Any:
    """A new session for each unit of work, as each request has. One session for the whole
    filling would expire thousands of remembered objects at every commit and make the
    filling, not Accord, the slow part."""
    db.session.remove()
    return db.session


def add_partner(i: int) -> tuple[int, int]:
    """Partner number ``i`` and its representative: (user id, partner id)."""
    session = fresh_session()
    partner = partners_domain.create_partner(session, None, f"Partner {i + 1:04d}", "PH")
    email, password = f"rep{i + 1}@bench.example", None
    if i == 0:
        email, password = READER_EMAIL, PASSWORD
    user = users.create_user(
        session, None, email, f"Rep {i + 1}", Role.PARTNER, partner.id, password
    )
    return user.id, partner.id


def fill_log(
    secretariat_id: int, representatives: list[tuple[int, int]], entries: int, now: datetime
) -> list[int]:
    """One closed round a day, ending ten days ago: most adopted by silence (quorum 0),
    every fifth blocked by an objection, so the log spans more than one year."""
    start = now - timedelta(days=entries + 10)
    decision_ids = []
    for i in range(entries):
        moment = start + timedelta(days=i)
        session = fresh_session()
        secretariat = session.get(User, secretariat_id)
        proposal = proposals.draft_proposal(
            session,
            secretariat,
            f"Decision {i + 1}",
            f"We propose that item **{i + 1}** be agreed.",
            now=moment,
        )
        round_id = rounds.open_round(
            session, secretariat, proposal.id, moment + timedelta(days=1), now=moment
        ).id
        if i % 5 == 4:
            user_id, partner_id = representatives[i % len(representatives)]
            session = fresh_session()
            rounds.register_position(
                session,
                session.get(User, user_id),
                round_id,
                partner_id,
                "object",
                "Not within our mandate.",
                now=moment + timedelta(hours=1),
            )
        session = fresh_session()
        entry = rounds.close_round(
            session,
            session.get(User, secretariat_id),
            round_id,
            now=moment + timedelta(days=1, minutes=1),
        )
        decision_ids.append(entry.id)
    return decision_ids


def open_with_every_position(
    secretariat_id: int, representatives: list[tuple[int, int]], now: datetime
) -> tuple[int, int]:
    """A proposal open for a month, every partner having spoken: mostly consent, some
    stand aside, one in fifty objects. Returns (proposal id, round id)."""
    opened = now - timedelta(days=1)
    session = fresh_session()
    secretariat = session.get(User, secretariat_id)
    proposal_id = proposals.draft_proposal(
        session,
        secretariat,
        "Joint statement on marine protected areas",
        "We propose that the partnership **endorse** the joint statement.",
        now=opened,
    ).id
    round_id = rounds.open_round(
        session, secretariat, proposal_id, now + timedelta(days=30), now=opened
    ).id
    for i, (user_id, partner_id) in enumerate(representatives):
        stance, reason = "consent", ""
        if i % 10 == 9:
            stance = "stand_aside"
        if i % 50 == 49:
            stance, reason = "object", "We need more time to consult our members."
        session = fresh_session()
        rounds.register_position(
            session,
            session.get(User, user_id),
            round_id,
            partner_id,
            stance,
            reason,
            now=opened + timedelta(seconds=i + 1),
        )
    return proposal_id, round_id


# --- measuring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    what: str
    timings: list[float]
    statements: list[int]
    size: int | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings) * 1000

    @property
    def p95_ms(self) -> float:
        # nearest rank: with 20 runs, the 19th fastest
        ordered = sorted(self.timings)
        return ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000

    @property
    def statement_count(self) -> str:
        low, high = min(self.statements), max(self.statements)
        return str(low) if low == high else f"{low}–{high}"


class StatementCounter:
    """Counts what the engine sends to the database (SQLite's BEGIN IMMEDIATE included)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.count += 1


def timed(
    runs: int, counter: StatementCounter, action: Callable[[], Any]
) -> tuple[list[float], list[int], Any]:
    """Run ``action`` once to warm up, then ``runs`` times with the clock and the counter."""
    result = action()
    timings, statements = [], []
    for _ in range(runs):
        counter.count = 0
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
        statements.append(counter.count)
    return timings, statements, result


def signed_in_client(app: Flask, email: str = READER_EMAIL) -> Any:
    """A test client signed in (as the reader), by the login form and its CSRF token."""
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = CSRF_TOKEN.search(form)
    response = client.post(
        "/login",
        data={
            "csrf_token": token.group(1) if token else "",
            "email": email,
            "password": PASSWORD,
        },
    )
    if response.status_code != 302:
        raise SystemExit(f"Could not sign in as {email}: HTTP {response.status_code}")
    return client


def page(client: Any, url: str) -> Callable[[], int]:
    def get() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}")
        return len(response.get_data())

    return get


def verify_log(app: Flask, scenario: Scenario) -> Callable[[], None]:
    runner = app.test_cli_runner()

    def verify() -> None:
        result = runner.invoke(args=["accord", "verify-log"])
        expected = f"Decision log intact: {scenario.entries} entries."
        if result.exit_code != 0 or expected not in result.output:
            raise SystemExit(f"accord verify-log: {result.exit_code} {result.output}")

    return verify


def measure(app: Flask, scenario: Scenario, repeat: int, verify_repeat: int) -> list[Measure]:
    with app.app_context():
        engine = db.engine
    counter = StatementCounter(engine)
    # No app context is held from here on: each request pushes its own, as in production.
    client = signed_in_client(app)
    results = []
    for what, url in (
        ("GET proposal page", f"/proposals/{scenario.proposal_id}"),
        ("GET /decisions (first page)", "/decisions"),
        ("GET decision entry", f"/decisions/{scenario.decision_id}"),
        ("GET /directory", "/directory"),
    ):
        timings, statements, size = timed(repeat, counter, page(client, url))
        results.append(Measure(what, timings, statements, size))
    results.append(service_measure(app, scenario, repeat, counter))
    results.extend(api_measures(app, scenario, repeat, counter))
    timings, statements, _ = timed(verify_repeat, counter, verify_log(app, scenario))
    results.append(Measure(f"accord verify-log ({scenario.entries} entries)", timings, statements))
    return results


def service_measure(
    app: Flask, scenario: Scenario, repeat: int, counter: StatementCounter
) -> Measure:
    """The reader's partner changes its position back and forth. Each call gets an app
    context of its own, as a request would; the context and loading the reader are
    outside the clock and the count."""
    timings, statements = [], []
    for run in range(repeat + 1):  # the first is the warm-up
        with app.app_context():
            reader = db.session.get(User, scenario.reader_id)
            counter.count = 0
            start = time.perf_counter()
            rounds.register_position(
                db.session,
                reader,
                scenario.round_id,
                scenario.reader_partner_id,
                "stand_aside" if run % 2 == 0 else "consent",
                now=datetime.now(UTC),
            )
            elapsed = time.perf_counter() - start
            if run:
                timings.append(elapsed)
                statements.append(counter.count)
            db.session.remove()
    return Measure("rounds.register_position (change)", timings, statements)


def api_measures(
    app: Flask, scenario: Scenario, repeat: int, counter: StatementCounter
) -> list[Measure]:
    """The same reads and a position change through the JSON API, with the reader's token."""
    with app.app_context():
        _, token = tokens.create_token(db.session, db.session.get(User, scenario.reader_id))
        db.session.remove()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    results = []
    for what, url in (
        ("API GET /proposals/{id}", f"/api/v1/proposals/{scenario.proposal_id}"),
        ("API GET /decisions (first 50)", "/api/v1/decisions"),
        ("API GET /decisions?positions=false (first 50)", "/api/v1/decisions?positions=false"),
    ):
        timings, statements, size = timed(repeat, counter, api_call(client, "GET", url, headers))
        results.append(Measure(what, timings, statements, size))
    stances = itertools.cycle(["stand_aside", "consent"])
    position = f"/api/v1/rounds/{scenario.round_id}/positions/{scenario.reader_partner_id}"
    timings, statements, size = timed(
        repeat,
        counter,
        lambda: api_call(client, "PUT", position, headers, {"stance": next(stances)})(),
    )
    results.append(Measure("API PUT position (change)", timings, statements, size))
    return results


def api_call(
    client: Any, method: str, url: str, headers: dict[str, str], body: Any = None
) -> Callable[[], int]:
    def call() -> int:
        response = client.open(url, method=method, headers=headers, json=body)
        if response.status_code != 200:
            raise SystemExit(f"{method} {url}: HTTP {response.status_code}")
        return len(response.get_data())

    return call


# --- the report --------------------------------------------------------------------------


def table(rows: list[tuple[int, Measure]]) -> str:
    lines = [
        "| partners | measure | median ms | p95 ms | SQL statements | response KB |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for partners, m in rows:
        size = f"{m.size / 1024:.0f}" if m.size is not None else ""
        lines.append(
            f"| {partners} | {m.what} | {m.median_ms:.1f} | {m.p95_ms:.1f} "
            f"| {m.statement_count} | {size} |"
        )
    return "\n".join(lines)


def run(database: str, open_database: Callable[[], Any], args: argparse.Namespace) -> str:
    rows: list[tuple[int, Measure]] = []
    for partners in args.partner_counts:
        with open_database() as url:
            app = new_app(url)
            started = time.perf_counter()
            scenario = fill(app, partners, args.entries)
            filled = time.perf_counter() - started
            print(
                f"{database}, {partners} partners: filled in {filled:.0f} s; measuring…",
                file=sys.stderr,
            )
            rows.extend(
                (partners, m) for m in measure(app, scenario, args.repeat, args.verify_repeat)
            )
            with app.app_context():
                db.engine.dispose()
    return table(rows)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    databases: list[tuple[str, Callable[[], Any]]] = [("SQLite", sqlite_database)]
    if args.database_url:
        databases.append(("PostgreSQL", lambda: postgresql_database(args.database_url)))
    print(
        f"Accord benchmark, {datetime.now(UTC):%Y-%m-%d}: {args.entries} log entries, "
        f"median and p95 of {args.repeat} runs after one warm-up "
        f"({args.verify_repeat} for verify-log).\n"
    )
    for database, open_database in databases:
        print(f"### {database}\n\n{run(database, open_database, args)}\n", flush=True)
    print(f"Total {time.perf_counter() - started:.0f} s.", file=sys.stderr)


if __name__ == "__main__":
    main()
