"""Load across a deadline: N clients register positions on one round until its deadline
has passed, against a running Accord server; then every answer is checked. And with
``compare``, Accord beside a bare Flask application under gunicorn (bench/load_compare.py).

    python bench/load.py compare --database-url DB [--clients 50,200] [--rounds 1,10] …
    python bench/load.py --url http://127.0.0.1:5701 --database-url DB
                         [--clients 50] [--seconds 10] [--after 3]

``--database-url`` names the server's own database: the script sets up, through the
domain services, ``--clients`` partners with a representative and an API token each, and
a proposal whose round closes ``--seconds`` from now; the server must already run on it
(e.g. ``ACCORD_DATABASE_URL=DB accord serve --port 5701``, or gunicorn). Each client
then sends ``PUT /api/v1/rounds/{id}/positions/{partner}`` in a loop, alternating consent
and stand aside, until ``--after`` seconds past the deadline.

What must hold, and is checked (exit 1 otherwise):
- no answer but 200 (registered) or 409 (deadline passed), and never a 5xx;
- every acknowledged position is in its partner's history, with the stance and time
  the answer gave, and none was registered after the deadline;
- every request sent after the deadline was refused with 409.

It prints the requests per second and the latency percentiles: figures of one machine,
for the README, never asserted in the tests.
"""

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.cli import init_database  # noqa: E402
from decisions import partners, proposals, rounds, tokens, users  # noqa: E402
from decisions.db import db  # noqa: E402


@dataclass
class Client:
    partner_id: int
    token: str
    acknowledged: list[dict[str, str]] = field(default_factory=list)
    #: (sent at, status) of every request
    answers: list[tuple[datetime, int]] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def set_up(database_url: str, clients: int, seconds: float) -> tuple[int, datetime, list[Client]]:
    """Partners, representatives and tokens; a proposal and its round, open now."""
    deadline = datetime.now(UTC) + timedelta(seconds=seconds)
    (round_id,), made = open_rounds(database_url, clients, 1, deadline, "Load across a deadline")
    return round_id, deadline, made


def open_rounds(
    database_url: str, clients: int, count: int, deadline: datetime, title: str
) -> tuple[list[int], list[Client]]:
    """A partner, representative and token per client, and ``count`` proposals each with a
    round open until ``deadline``, set up through the services (bench/load_compare.py too)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ACCORD_SCHEDULER": "off"})
    with app.app_context():
        init_database()
        session = db.session
        stamp = datetime.now(UTC).strftime("%H%M%S%f")
        secretariat = users.create_user(
            session, None, f"load-{stamp}@bench.example", "Load Secretariat", "secretariat"
        )
        made = new_partners(session, stamp, clients)
        round_ids = []
        for n in range(count):
            proposal = proposals.draft_proposal(
                session, secretariat, f"{title} {stamp} {n}", "Positions under load."
            )
            round_ids.append(rounds.open_round(session, secretariat, proposal.id, deadline).id)
        db.session.remove()
        db.engine.dispose()
    return round_ids, made


def new_partners(session: Session, stamp: str, clients: int) -> list[Client]:
    """A partner per client, with a representative and the representative's API token."""
    made = []
    for n in range(clients):
        partner = partners.create_partner(session, None, f"Load {stamp} {n}", "FJ")
        rep = users.create_user(
            session, None, f"rep{n}-{stamp}@bench.example", f"Rep {n}", "partner", partner.id
        )
        _row, token = tokens.create_token(session, rep, "load")
        made.append(Client(partner.id, token))
    return made


def put(url: str, token: str, body: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def run(base: str, round_id: int, client: Client, stop_at: datetime) -> None:
    url = f"{base}/api/v1/rounds/{round_id}/positions/{client.partner_id}"
    stances = ("consent", "stand_aside")
    n = 0
    while datetime.now(UTC) < stop_at:
        sent = datetime.now(UTC)
        started = time.perf_counter()
        status, answer = put(url, client.token, {"stance": stances[n % 2]})
        client.latencies.append(time.perf_counter() - started)
        client.answers.append((sent, status))
        if status == 200:
            client.acknowledged.append(answer)
        n += 1


def whole_history(url: str, token: str) -> list[dict]:
    """Every page of a partner's history (100 positions a page, the most the API gives)."""
    items: list[dict] = []
    page = 1
    while True:
        listing = get(f"{url}?per_page=100&page={page}", token)
        items += listing["items"]
        if len(items) >= listing["total"] or not listing["items"]:
            return items
        page += 1


def check(base: str, round_id: int, deadline: datetime, clients: list[Client]) -> list[str]:
    problems = []
    for client in clients:
        for sent, status in client.answers:
            if status not in (200, 409):
                problems.append(f"partner {client.partner_id}: answered {status}")
            if sent > deadline and status != 409:
                problems.append(f"partner {client.partner_id}: {status} after the deadline")
        url = f"{base}/api/v1/rounds/{round_id}/positions/{client.partner_id}/history"
        kept = {(p["stance"], p["registered_at"]) for p in whole_history(url, client.token)}
        for answer in client.acknowledged:
            if (answer["stance"], answer["registered_at"]) not in kept:
                problems.append(f"partner {client.partner_id}: {answer} is not in its history")
            if datetime.fromisoformat(answer["registered_at"]) > deadline:
                problems.append(f"partner {client.partner_id}: registered after the deadline")
    return problems


def print_figures(round_id: int, clients: list[Client], elapsed: float) -> None:
    answers = [status for client in clients for _sent, status in client.answers]
    latencies = sorted(x for client in clients for x in client.latencies)
    acknowledged = sum(len(client.acknowledged) for client in clients)

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    print(f"round {round_id}: {len(clients)} clients, {len(answers)} requests in {elapsed:.1f} s")
    print(
        f"  {len(answers) / elapsed:.0f} requests/s; {acknowledged} registered (200), "
        f"{answers.count(409)} refused after the deadline (409), "
        f"{sum(1 for s in answers if s >= 500)} server errors"
    )
    print(
        f"  latency p50 {percentile(0.5):.0f} ms, p95 {percentile(0.95):.0f} ms, "
        f"p99 {percentile(0.99):.0f} ms, mean {statistics.fmean(latencies) * 1000:.0f} ms"
    )


def main() -> int:
    if sys.argv[1:2] == ["compare"]:
        from bench import load_compare

        return load_compare.main(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", required=True, help="the running server, e.g. http://127.0.0.1:5701"
    )
    parser.add_argument("--database-url", required=True, help="the server's own database")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="until the deadline")
    parser.add_argument("--after", type=float, default=3.0, help="load past the deadline")
    options = parser.parse_args()
    base = options.url.rstrip("/")
    round_id, deadline, clients = set_up(options.database_url, options.clients, options.seconds)
    stop_at = deadline + timedelta(seconds=options.after)
    threads = [
        threading.Thread(target=run, args=(base, round_id, client, stop_at)) for client in clients
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    problems = check(base, round_id, deadline, clients)
    print_figures(round_id, clients, elapsed)
    if problems:
        print(f"{len(problems)} problem(s):", *problems[:20], sep="\n  ")
        return 1
    print("  every acknowledged position is in its history; every late request was a 409")
    return 0


if __name__ == "__main__":
    sys.exit(main())
