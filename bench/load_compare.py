"""Accord beside a bare Flask application, on the same gunicorn settings, in one run:

    python bench/load.py compare --database-url postgresql://postgres@127.0.0.1:5432/bench_me
        [--clients 50,200] [--rounds 1,10] [--seconds 20] [--warm-up 2]
        [--servers gthread,sync] [--processes 2] [--rate R] [--repeat N]

The database is Accord's (its schema made or upgraded here): the script adds as many
partners as the most clients, each with a representative and an API token, and as many
rounds as the most ``--rounds``, open for a day. Then for each server setting (``gthread``:
2 workers × 8 threads; ``sync``: 4 synchronous workers) it starts Accord
(``gunicorn -c gunicorn.conf.py wsgi:app``) and bench/bare_app.py side by side, and for
each number of clients and of rounds drives the bare application, then Accord, with the
same client: N concurrent clients, each its own partner's token and keep-alive connection
(threads over ``--processes`` processes, so that one GIL does not bound the client),
``PUT /api/v1/rounds/{id}/positions/{partner}`` alternating consent and stand aside, the
rounds taken in turn. Only requests started after ``--warm-up`` seconds count. With
``--rate R`` the clients together send R requests a second at most (each paced, not
flooding): the latency at a rate the server can carry, e.g. half its measured maximum.

It prints one table: requests/s, p50/p90/p99 latency, the servers' CPU per request (the
gunicorn processes'), PostgreSQL's CPU per request (its processes on this host, the
backends that ended meanwhile included; blank when none is seen), answers other than 200,
and Accord's share of the bare application's requests/s. With ``--repeat N`` each pair
is run N times, bare and Accord alternately, and a line gives the median share and its
range: on a shared machine one pair can be a third off. Figures of one machine, never
asserted in the tests.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERS = {
    "gthread": {"ACCORD_WORKERS": "2", "ACCORD_THREADS": "8"},
    "sync": {"ACCORD_WORKERS": "4", "ACCORD_THREADS": "1"},
}


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    failures: int
    cpu: float  # seconds of the server's processes
    database_cpu: float | None  # seconds of PostgreSQL's processes on this host

    def percentile(self, share: float) -> float:
        ordered = self.latencies
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0


def set_up(database_url: str, clients: int, rounds: int) -> tuple[list[int], list[tuple[int, str]]]:
    """Round ids, and (partner id, token) per client."""
    from bench.load import open_rounds

    deadline = datetime.now(UTC) + timedelta(days=1)
    round_ids, made = open_rounds(database_url, clients, rounds, deadline, "Load compared")
    return round_ids, [(c.partner_id, c.token) for c in made]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(app: str, setting: str, database_url: str) -> Iterator[tuple[int, int]]:
    """(port, master's pid) of gunicorn serving ``app`` with the repository's settings."""
    port = free_port()
    env = dict(os.environ, **SERVERS[setting])
    env.update(ACCORD_BIND=f"127.0.0.1:{port}", ACCORD_DATABASE_URL=database_url)
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app]
    # Access lines are written (the production setting) and thrown away; gunicorn's own
    # log goes to a file, named when the server does not start.
    log = tempfile.NamedTemporaryFile("w", prefix="gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        _wait_for(port, log.name)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def _wait_for(port: int, log: str) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            time.sleep(1)  # the workers, forked after the socket is bound
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on {port}: see {log}")


def cpu_seconds(master: int) -> float:
    """User and system time of the master and its workers, so far."""
    pids = [master]
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    return sum(_times(pid, reaped=False) for pid in pids) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float | None:
    """User and system time of the PostgreSQL processes on this host, so far, with the
    children they reaped (a backend that ended counts in the postmaster's); None when
    none is seen (a server on another host, or out of this process's sight)."""
    ticks, seen = 0, False
    for pid in (int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()):
        try:
            is_postgres = Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if is_postgres:
            ticks, seen = ticks + _times(pid, reaped=True), True
    return ticks / os.sysconf("SC_CLK_TCK") if seen else None


def _times(pid: int, *, reaped: bool) -> int:
    """utime and stime of ``pid`` in clock ticks (and with ``reaped`` its ended children's:
    cutime, cstime); 0 once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return sum(int(f) for f in fields[11 : 15 if reaped else 13])


def _client(port, paths, token, start, count_from, stop, out, interval):  # type: ignore[no-untyped-def]
    """One client: PUT after PUT on one keep-alive connection (opened again when the
    server closes it, as a sync worker does after each answer); with ``interval``, one
    PUT every ``interval`` seconds at most."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bodies = [json.dumps({"stance": s}).encode() for s in ("consent", "stand_aside")]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    latencies, failures, n = [], 0, 0
    due = start + random.uniform(0, interval)  # paced clients do not all send at once
    while (sent := time.time()) < stop:
        time.sleep(max(0.0, due - sent))
        sent, due = max(sent, due), due + interval
        began = time.perf_counter()
        try:
            connection.request("PUT", paths[n % len(paths)], bodies[n % 2], headers)
            answer = connection.getresponse()
            answer.read()
            status = answer.status
        except (OSError, http.client.HTTPException):
            connection.close()
            status = 0
        took = time.perf_counter() - began
        if sent >= count_from and sent + took <= stop:
            latencies.append(took)
            failures += status != 200
        n += 1
    connection.close()
    out.append((latencies, failures))


def _process(port, jobs, start, count_from, stop, queue, interval):  # type: ignore[no-untyped-def]
    out: list[tuple[list[float], int]] = []
    timing = (start, count_from, stop, out, interval)
    threads = [
        threading.Thread(target=_client, args=(port, paths, token, *timing))
        for paths, token in jobs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(([x for lat, _f in out for x in lat], sum(f for _lat, f in out)))


def drive(
    port: int, master: int, jobs: list, seconds: float, warm_up: float, processes: int, rate: float
) -> Result:  # type: ignore[type-arg]
    """Every job (its paths, its token) a client, spread over ``processes`` processes;
    with ``rate``, the clients together send that many requests a second at most."""
    interval = len(jobs) / rate if rate else 0.0
    start = time.time() + 1 + len(jobs) / 200  # once every thread is up
    count_from, stop = start + warm_up, start + warm_up + seconds
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    workers = [
        multiprocessing.Process(
            target=_process,
            args=(port, jobs[p::processes], start, count_from, stop, queue, interval),
            daemon=True,
        )
        for p in range(processes)
    ]
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, count_from - time.time()))
    cpu_before, database_before = cpu_seconds(master), database_cpu_seconds()
    time.sleep(max(0.0, stop - time.time()))
    cpu, database_after = cpu_seconds(master) - cpu_before, database_cpu_seconds()
    database = None
    if database_before is not None and database_after is not None:
        database = database_after - database_before
    parts = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    latencies = sorted(x for lat, _f in parts for x in lat)
    failures = sum(f for _lat, f in parts)
    return Result(len(latencies), seconds, latencies, failures, cpu, database)


def _row(label: str, result: Result, share: str) -> str:
    rate = result.requests / result.seconds
    per_request = 1000 / result.requests if result.requests else 0
    database = "" if result.database_cpu is None else f"{result.database_cpu * per_request:.2f}"
    return (
        f"{label:<34} {rate:>8.0f} {result.percentile(0.5):>7.1f} {result.percentile(0.9):>7.1f}"
        f" {result.percentile(0.99):>8.1f} {result.cpu * per_request:>8.2f} {database:>8}"
        f" {result.failures:>6} {share:>7}"
    )


HEADER = (
    f"{'server / application / clients / rounds':<34} {'req/s':>8} {'p50 ms':>7} {'p90 ms':>7}"
    f" {'p99 ms':>8} {'cpu ms':>8} {'db ms':>8} {'not200':>6} {'share':>7}"
)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def _jobs(round_ids: list[int], partners: list[tuple[int, str]], r: int) -> list:  # type: ignore[type-arg]
    """Each client's paths (its partner in each of ``r`` rounds, from its own first) and
    token: the clients spread over the rounds, and each goes round them in turn."""
    return [
        ([f"/api/v1/rounds/{round_ids[(i + k) % r]}/positions/{pid}" for k in range(r)], token)
        for i, (pid, token) in enumerate(partners)
    ]


def compare(setting: str, options: argparse.Namespace, set_up_as: tuple) -> None:  # type: ignore[type-arg]
    """The bare application, then Accord, with each number of clients and of rounds."""
    round_ids, partners, clients, round_counts = set_up_as
    timing = (options.seconds, options.warm_up, options.processes, options.rate)
    with (
        gunicorn("bench.bare_app:app", setting, options.database_url) as bare,
        gunicorn("wsgi:app", setting, options.database_url) as accord,
    ):
        for n in clients:
            for r in round_counts:
                jobs = _jobs(round_ids, partners[:n], r)
                label = f"{n} clients {r} rounds"
                shares = [
                    _pair(f"{setting} {{}} {label}", bare, accord, jobs, timing)
                    for _ in range(options.repeat)
                ]
                if len(shares) > 1:
                    print(
                        f"{setting} {label}: Accord's share, median of {len(shares)}:"
                        f" {statistics.median(shares):.1%} ({min(shares):.1%}–{max(shares):.1%})",
                        flush=True,
                    )


def _pair(label: str, bare: tuple, accord: tuple, jobs: list, timing: tuple) -> float:  # type: ignore[type-arg]
    """The bare application, then Accord, driven alike: their rows, and Accord's share."""
    base = drive(*bare, jobs, *timing)
    ours = drive(*accord, jobs, *timing)
    share = ours.requests / base.requests if base.requests else 0.0
    print(_row(label.format("bare Flask"), base, ""))
    print(_row(label.format("Accord"), ours, f"{share:.1%}"), flush=True)
    return share


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/load.py compare", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database of your own")
    parser.add_argument("--clients", default="50,200")
    parser.add_argument("--rounds", default="1,10")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warm-up", type=float, default=2.0)
    parser.add_argument("--servers", default="gthread,sync")
    parser.add_argument("--processes", type=int, default=2, help="the client's processes")
    parser.add_argument(
        "--rate", type=float, default=0, help="requests/s in all, at most (0: as fast as served)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="pairs of runs per setting, bare and Accord in turn"
    )
    options = parser.parse_args(argv)
    if options.repeat < 1:
        parser.error("--repeat: at least 1")
    # Stopped by a signal, the servers still stop (the context managers' finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    clients = [int(n) for n in options.clients.split(",")]
    round_counts = [int(n) for n in options.rounds.split(",")]
    round_ids, partners = set_up(options.database_url, max(clients), max(round_counts))
    print(load())
    print(HEADER)
    for setting in options.servers.split(","):
        compare(setting, options, (round_ids, partners, clients, round_counts))
    print(load())
    return 0
