"""The decision log at 100 000 entries: its page and its API, timed (a script, never a test).

    python bench/scale.py log [--entries 100000] [--runs 20] [--partners 12] [--memory]
                              [--database-url postgresql://postgres@127.0.0.1:5432/bench_log]

Fills an empty database (a throwaway SQLite file by default; the database named by
``--database-url`` must exist and hold no table) with ``--entries`` closed rounds and their
log entries through bulk inserts: each entry is numbered per year and chained by
decisions/log.py's own ``content_of`` and ``hash_content``, and ``log.verify`` checks the
chain before anything is timed. Then, signed in through Flask's test client, it times the
log page (first page, page 2 500, its keyset equivalent when the page links by cursor, a
text search, an outcome, a year) and the API's list, after two warm-up runs: p50 and p95
of ``--runs`` runs, the SQL statements and bytes of one answer, as a Markdown table.

``--memory`` measures instead the server's memory for the API's list (its first page of
50, each entry with ``--partners`` positions): the peak resident size of a fresh process
that starts the app and answers it once, reading the answer as a client would (a chunk at
a time), e.g. ``--entries 60 --partners 10000 --memory``.

The rounds have no electors and the proposals no history: the log reads neither.
"""

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import event, insert, inspect, select

from app import create_app
from app.cli import init_database
from bench.pages import PASSWORD, signed_in_client
from decisions import log, tokens, users
from decisions import partners as partners_domain
from decisions.consensus import TALLIED
from decisions.db import db
from decisions.models import DecisionEntry, Partnership, Proposal, Role, Round, User

EMAIL = "secretariat@bench.example"
BATCH = 5_000
START = datetime(2017, 1, 1, tzinfo=UTC)
#: one entry in this many has the searched word in its title or text
SEARCHED_EVERY = 250
SEARCHED = "mangrove"
WORDS = (
    "regional statement budget assembly network training grant plan review report audit "
    "secretariat partner coastal flood warning drought response fund data sharing policy "
    "youth health water school shelter river early annual joint protocol mission office"
).split()
OUTCOMES = ("adopted",) * 14 + ("blocked",) * 3 + ("lapsed",) + ("withdrawn",) * 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measure")
    parser.add_argument("--database-url", default="", help="an existing, empty database")
    parser.add_argument("--partners", type=int, default=12, help="positions in each entry")
    parser.add_argument("--memory", action="store_true", help="the API list's peak memory")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time a database this script filled before (upgrading its schema first), "
        "e.g. to compare two versions of Accord on the same rows",
    )
    args = parser.parse_args(argv)
    if args.entries < 1 or args.runs < 2:
        parser.error("--entries must be positive and --runs at least 2")
    return args


@contextmanager
def database(url: str) -> Iterator[str]:
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="accord-bench-log-") as folder:
        yield f"sqlite:///{folder}/accord.sqlite3"


def new_app(url: str, reuse: bool) -> Flask:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if inspect(db.engine).get_table_names() and not reuse:
            sys.exit(f"{url} is not empty: give an empty database (drop and create it again)")
        init_database()
        db.session.remove()
    return app


# --- filling ---------------------------------------------------------------------------


def fill(app: Flask, entries: int, partner_count: int) -> None:
    with app.app_context():
        session = db.session
        sec = users.create_user(
            session, None, EMAIL, "Secretariat", Role.SECRETARIAT, password=PASSWORD
        )
        partners = [
            (p.id, p.name)
            for p in (
                partners_domain.create_partner(session, None, f"Partner {i:05d}", "PH")
                for i in range(partner_count)
            )
        ]
        zone = ZoneInfo(session.get(Partnership, 1).time_zone)
        rng = random.Random(15)
        numbering: dict[int, int] = {}
        prev_hash = log.GENESIS
        step = timedelta(days=3650) / entries
        for start in range(0, entries, BATCH):
            specs = [
                spec(rng, START + step * i, partners)
                for i in range(start, min(entries, start + BATCH))
            ]
            prev_hash = insert_batch(session, sec.id, specs, zone, numbering, prev_hash)
            session.commit()
            print(f"  {min(entries, start + BATCH)} entries", file=sys.stderr, end="\r")
        result = log.verify(session)
        if not result.ok or result.count != entries:
            sys.exit(f"the chain does not verify: {result}")
        db.session.remove()
        settle()


def settle() -> None:
    """Statistics and visibility as autovacuum leaves them on a table in use, so that the
    figures are those of a log that has been there a while, not of one just loaded."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"
            )
        else:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()


def spec(
    rng: random.Random, closed_at: datetime, partners: list[tuple[int, str]]
) -> dict[str, Any]:
    title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
    text = ". ".join(" ".join(rng.choice(WORDS) for _ in range(9)).capitalize() for _ in range(4))
    if rng.randrange(SEARCHED_EVERY) == 0:
        text += f". Include {SEARCHED} restoration."
    outcome = rng.choice(OUTCOMES)
    stances = ["consent"] * len(partners)
    if outcome == "blocked":
        stances[rng.randrange(len(partners))] = "object"
    elif outcome == "lapsed":
        stances = ["pending"] * len(partners)
    positions = [
        {
            "partner_id": pid,
            "partner": name,
            "stance": stance,
            "reason": "It endangers our staff." if stance == "object" else "",
            "on_behalf": False,
            "note": "",
            "registered_at": None if stance == "pending" else log.timestamp(closed_at),
        }
        for (pid, name), stance in zip(partners, stances, strict=True)
    ]
    tally = {s: stances.count(s) for s in TALLIED}
    return {
        "title": title,
        "text": text,
        "outcome": outcome,
        "closed_at": closed_at,
        "positions": positions,
        "tally": tally,
    }


def insert_batch(
    session: Any,
    sec_id: int,
    specs: list[dict[str, Any]],
    zone: ZoneInfo,
    numbering: dict[int, int],
    prev_hash: str,
) -> str:
    """Proposals, their closed rounds and the log entries for ``specs``; the last hash."""
    proposal_ids = session.scalars(
        insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True),
        [
            {
                "title": s["title"],
                "body": s["text"],
                "kind": "general",
                "status": "adopted"
                if s["outcome"] == "adopted"
                else ("withdrawn" if s["outcome"] == "withdrawn" else "not_adopted"),
                "created_by_id": sec_id,
                "created_at": s["closed_at"] - timedelta(days=8),
                "updated_at": s["closed_at"],
            }
            for s in specs
        ],
    ).all()
    round_ids = session.scalars(
        insert(Round).returning(Round.id, sort_by_parameter_order=True),
        [
            {
                "proposal_id": pid,
                "number": 1,
                "title": s["title"],
                "text": s["text"],
                "opened_at": s["closed_at"] - timedelta(days=8),
                "opened_by_id": sec_id,
                "deadline": s["closed_at"],
                "closed_at": s["closed_at"],
                "outcome": s["outcome"],
            }
            for pid, s in zip(proposal_ids, specs, strict=True)
        ],
    ).all()
    rows = []
    for pid, rid, s in zip(proposal_ids, round_ids, specs, strict=True):
        year = s["closed_at"].astimezone(zone).year
        numbering[year] = numbering.get(year, 0) + 1
        row = {
            "year": year,
            "seq": numbering[year],
            "proposal_id": pid,
            "round_id": rid,
            "title": s["title"],
            "kind": "general",
            "text": s["text"],
            "outcome": s["outcome"],
            "closed_at": s["closed_at"],
            "tally": s["tally"],
            "positions": s["positions"],
            "effects": [],
            "prev_hash": prev_hash,
        }
        # the hash as decisions/log.py computes it, from a transient entry
        row["hash"] = prev_hash = log.hash_content(log.content_of(DecisionEntry(**row)))
        rows.append(row)
    session.execute(insert(DecisionEntry), rows)
    return prev_hash


# --- timing ----------------------------------------------------------------------------


def getter(client: Any, url: str, headers: dict[str, str] | None = None) -> Callable[[], int]:
    def get() -> int:
        response = client.get(url, headers=headers or {})
        if response.status_code != 200:
            sys.exit(f"GET {url}: HTTP {response.status_code}")
        return len(response.get_data())

    return get


def timed(app: Flask, call: Callable[[], int], runs: int) -> tuple[float, float, int, int]:
    """p50 and p95 in ms over ``runs`` after two warm-up calls; statements and bytes."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    call()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    size = call()
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", count)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return statistics.median(times), p95, len(statements), size


def deep_entry_id(app: Flask, depth: int) -> int | None:
    with app.app_context():
        found = db.session.scalar(
            select(DecisionEntry.id)
            .order_by(DecisionEntry.closed_at.desc(), DecisionEntry.id.desc())
            .offset(depth - 1)
            .limit(1)
        )
        db.session.remove()
    return found


def measures(app: Flask, entries: int) -> list[tuple[str, Callable[[], int]]]:
    client = signed_in_client(app, EMAIL)
    with app.app_context():
        _, token = tokens.create_token(db.session, db.session.scalar(select(User)))
        year = db.session.scalar(select(DecisionEntry.year).order_by(DecisionEntry.id)) + 4
        db.session.remove()
    # the keyset measures only where the page links by cursor (not before this issue)
    keyset = "before=" in client.get("/decisions").get_data(as_text=True)
    deep_page = max(1, min(2_500, entries // 20))
    found = [
        ("page: first page", getter(client, "/decisions")),
        (f"page: page {deep_page} (?page=)", getter(client, f"/decisions?page={deep_page}")),
    ]
    if keyset:
        deep = deep_entry_id(app, (deep_page - 1) * 20)
        url = f"/decisions?before={deep}&page={deep_page}"
        found.append((f"page: page {deep_page} by keyset (?before=)", getter(client, url)))
    found += [
        (f"page: text search ?q={SEARCHED}", getter(client, f"/decisions?q={SEARCHED}")),
        ("page: text search, 2 words", getter(client, f"/decisions?q={SEARCHED}+restoration")),
        ("page: text search, a common word (7 entries in 10)", getter(client, "/decisions?q=plan")),
        ("page: ?outcome=blocked", getter(client, "/decisions?outcome=blocked")),
        (f"page: ?year={year}", getter(client, f"/decisions?year={year}")),
    ]
    return found + api_measures(app, client, {"Authorization": f"Bearer {token}"}, keyset)


def api_measures(
    app: Flask, client: Any, api: dict[str, str], keyset: bool
) -> list[tuple[str, Callable[[], int]]]:
    found = [
        ("API: first page", getter(client, "/api/v1/decisions", api)),
        (
            "API: ?page=1000&per_page=50",
            getter(client, "/api/v1/decisions?page=1000&per_page=50", api),
        ),
    ]
    deep = deep_entry_id(app, 999 * 50) if keyset else None
    if deep is not None:  # a log of 50 000 entries or more
        url = f"/api/v1/decisions?before={deep}&per_page=50"
        found.append(("API: page 1000 of 50 by keyset (?before=)", getter(client, url, api)))
    return found + [
        (f"API: ?q={SEARCHED}", getter(client, f"/api/v1/decisions?q={SEARCHED}", api)),
        ("API: ?outcome=blocked", getter(client, "/api/v1/decisions?outcome=blocked", api)),
    ]


def serve_once(url: str, path: str) -> None:
    """In a process of its own: the app's resident size (MB) once started, and at its peak
    after answering ``path`` to the token's user, and the answer's size; on one line."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        _, token = tokens.create_token(db.session, db.session.scalar(select(User)))
        db.session.remove()
    client = app.test_client()
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    started = peak_resident_mb()
    response = client.get(path, headers={"Authorization": f"Bearer {token}"}, buffered=False)
    size = sum(len(chunk) for chunk in response.iter_encoded())
    response.close()
    print(started, peak_resident_mb(), size, response.status_code)


def peak_resident_mb() -> int:
    """This process's peak resident size: VmHWM, which (unlike getrusage's ru_maxrss) does
    not count what the parent held before this process began."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) // 1024  # type: ignore[union-attr]


def memory(url: str, path: str) -> None:
    """Prints ``serve_once``'s figures, measured in a fresh process."""
    code = f"import bench.scale_log as s; s.serve_once({url!r}, {path!r})"
    root = str(Path(__file__).resolve().parent.parent)
    answer = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    ).stdout.split()
    started, peak, size, status = (int(figure) for figure in answer[-4:])
    if status != 200:
        sys.exit(f"GET {path}: HTTP {status}")
    print(f"\n| GET {path} | started | peak | answer |\n| --- | ---: | ---: | ---: |")
    print(f"| resident memory, MB | {started} | {peak} | {size / 1e6:.1f} MB |")


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    with database(args.database_url) as url:
        app = new_app(url, args.reuse)
        began = time.perf_counter()
        if args.reuse:
            with app.app_context():
                settle()
        else:
            fill(app, args.entries, args.partners)
        print(
            f"{'reused' if args.reuse else 'filled'} {args.entries} entries in "
            f"{time.perf_counter() - began:.0f} s ({url.split('@')[-1]})",
            file=sys.stderr,
        )
        if args.memory:
            memory(url, "/api/v1/decisions?per_page=50")
            return
        print(f"\n{args.entries} log entries, {url.split(':')[0]}, p50/p95 of {args.runs} runs\n")
        print("| measure | p50 ms | p95 ms | statements | bytes |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for what, call in measures(app, args.entries):
            p50, p95, statements, size = timed(app, call, args.runs)
            print(f"| {what} | {p50:.1f} | {p95:.1f} | {statements} | {size} |", flush=True)
        with app.app_context():
            db.engine.dispose()
