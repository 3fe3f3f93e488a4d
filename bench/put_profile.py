"""One position registration, looked at closely (a script, never a test):

    python bench/put_profile.py --database-url postgresql://postgres@127.0.0.1:5432/bench_me
                                [--requests 2000] [--profile 25]

Through Flask's test client, in this process (no server, no network): a partner with a
representative's token and an open round, then ``--requests`` PUTs of its position,
alternating consent and stand aside. It prints the SQL statements one PUT sends (each
one, and where its transactions end: COMMIT, ROLLBACK), the process's CPU time
per PUT (this process's only: PostgreSQL's is apart), and with ``--profile N`` the N
functions of most cumulative CPU time under cProfile.
"""

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import Engine, event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.cli import init_database  # noqa: E402
from bench.load import new_partners  # noqa: E402
from decisions import proposals, rounds, users  # noqa: E402
from decisions.db import db  # noqa: E402


def set_up(app: Flask) -> tuple[Callable[[int], None], Engine]:
    """A PUT of the n-th position (through the test client), and the database's engine."""
    with app.app_context():  # left before the PUTs: each has its own, as in a server
        init_database()
        stamp = datetime.now(UTC).strftime("%H%M%S%f")
        sec = users.create_user(db.session, None, f"p-{stamp}@bench.example", "S", "secretariat")
        (client,) = new_partners(db.session, stamp, 1)
        proposal = proposals.draft_proposal(db.session, sec, f"Profiled {stamp}", "A PUT.")
        deadline = datetime.now(UTC) + timedelta(days=1)
        round_id = rounds.open_round(db.session, sec, proposal.id, deadline).id
        db.session.remove()
        engine = db.engine
    url = f"/api/v1/rounds/{round_id}/positions/{client.partner_id}"
    headers = {"Authorization": f"Bearer {client.token}"}
    http = app.test_client()

    def put(n: int) -> None:
        answer = http.put(url, json={"stance": ("consent", "stand_aside")[n % 2]}, headers=headers)
        assert answer.status_code == 200, answer.get_json()

    return put, engine


def statements_of(put: Callable[[int], None], engine: Engine) -> list[str]:
    """What one PUT sends: each statement's first line, and COMMIT or ROLLBACK."""
    seen: list[str] = []
    hooks: dict[str, Callable[..., None]] = {
        "before_cursor_execute": lambda *args: seen.append(args[2].split("\n")[0][:110]),
        "commit": lambda *args: seen.append("COMMIT"),
        "rollback": lambda *args: seen.append("ROLLBACK"),
    }
    for name, hook in hooks.items():
        event.listen(engine, name, hook)
    put(0)
    for name, hook in hooks.items():
        event.remove(engine, name, hook)
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", type=int, default=0, help="functions to list")
    options = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": options.database_url, "ACCORD_SCHEDULER": "off"})
    put, engine = set_up(app)
    for n in range(20):  # warm: caches of statements, of the templates of answers
        put(n)
    seen = statements_of(put, engine)
    count = sum(1 for line in seen if line not in ("COMMIT", "ROLLBACK"))
    print(f"{count} statements per PUT:", *seen, sep="\n  ")
    started = time.process_time()
    for n in range(options.requests):
        put(n)
    cpu = (time.process_time() - started) / options.requests * 1000
    print(f"{cpu:.2f} ms of this process's CPU per PUT ({options.requests} PUTs)")
    if options.profile:
        profile = cProfile.Profile(time.process_time)  # CPU, not the waits on the database
        profile.runcall(lambda: [put(n) for n in range(options.requests)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(options.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
