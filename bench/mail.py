"""E-mail delivery with a long outbox history, measured (a script, never a test):

    python bench/mail.py [--sent 200000] [--pending 5000] [--senders N]
                         [--database-url postgresql://postgres@127.0.0.1:5432/bench_me]

A fresh database (a SQLite file, and with ``--database-url`` a throwaway database created
on that PostgreSQL server and dropped afterwards) gets ``--sent`` messages already sent and
``--pending`` messages due, through bulk inserts; then ``notifications.delivery`` sends the
pending ones to a local SMTP server (aiosmtpd's Sink, in its own process, which accepts
and discards) and the script prints messages per second, and the CPU time each message
cost the sending process (all its threads) and the server. ``--senders`` sets how many
senders work in parallel (when the delivery module has them). Figures are wall-clock
times on whatever machine runs this: compare them with each other, not across machines.
"""

import argparse
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from bench.pages import new_app, postgresql_database, sqlite_database  # noqa: E402
from decisions.db import db  # noqa: E402
from notifications import delivery  # noqa: E402
from notifications.models import Delivery, Kind, MailBody, OutboxMessage  # noqa: E402
from notifications.settings import Settings  # noqa: E402

CHUNK = 10_000
#: what stands for each recipient's name in the bodies, as notifications.messages marks it
NAME_MARK = "accordnamebench"
#: about the size of a real notice: a few paragraphs of text and their HTML
TEXT_BODY = f"Dear {NAME_MARK},\n" + "A round is open on a proposal of the partnership. " * 16
HTML_BODY = f"<p>Dear {NAME_MARK},</p>" + (
    "<p>A round is open on a <a href='https://x.example/p/1'>proposal</a>.</p>" * 32
)
#: messages that share their bodies, as the recipients of one event who read alike do
SHARING = 1_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sent", type=int, default=200_000, help="messages already sent")
    parser.add_argument("--pending", type=int, default=5_000, help="messages to send")
    parser.add_argument("--senders", type=int, default=0, help="parallel senders (0: default)")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server, as well")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args(argv)
    if args.sent < 0 or args.pending < 1 or args.senders < 0:
        parser.error("--sent must be 0 or more, --pending positive, --senders 0 or more")
    return args


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_sink() -> Iterator[int]:
    """A local SMTP server that accepts every message and discards it, in its own
    process so that it does not share this one's interpreter lock."""
    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    server = subprocess.Popen([*command, "-l", f"127.0.0.1:{port}"])
    try:
        deadline = time.monotonic() + 30
        while True:
            with suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the SMTP sink did not start")
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def children_cpu() -> float:
    """CPU seconds of this process's finished children: the SMTP sink, once stopped."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def bodies(count: int) -> list[int]:
    """``count`` stored bodies, marked for the names; their ids."""
    rows = [
        {"text_body": TEXT_BODY, "html_body": HTML_BODY, "name_mark": NAME_MARK, "partner_mark": ""}
        for _ in range(count)
    ]
    statement = insert(MailBody).returning(MailBody.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def rows(
    first: int, count: int, status: Delivery, when: datetime, body_ids: list[int]
) -> list[dict[str, Any]]:
    return [
        {
            "key": f"bench:{n}",
            "user_id": None,
            "kind": Kind.ROUND_OPENED,
            "to_address": f"partner-{n}@bench.example",
            "to_name": f"Partner {n}",
            "subject": f"A round is open: proposal {n}",
            "body_id": body_ids[n // SHARING],
            "message_id": f"<bench-{n}@accord.bench.example>",
            "status": status,
            "attempts": 1 if status == Delivery.SENT else 0,
            "next_attempt_at": when,
            "created_at": when,
            "sent_at": when if status == Delivery.SENT else None,
            "last_error": "",
        }
        for n in range(first, first + count)
    ]


def fill(app: Flask, sent: int, pending: int) -> float:
    """The history first (lower ids, as in a real outbox), then the messages due."""
    started = time.perf_counter()
    past = datetime.now(UTC) - timedelta(days=30)
    with app.app_context():
        table = OutboxMessage.__table__
        body_ids = bodies(-(-(sent + pending) // SHARING))
        for first in range(0, sent, CHUNK):
            batch = rows(first, min(CHUNK, sent - first), Delivery.SENT, past, body_ids)
            db.session.execute(insert(table), batch)
            db.session.commit()
        due = datetime.now(UTC) - timedelta(seconds=1)
        for first in range(sent, sent + pending, CHUNK):
            count = min(CHUNK, sent + pending - first)
            db.session.execute(insert(table), rows(first, count, Delivery.PENDING, due, body_ids))
            db.session.commit()
        # What autovacuum and a scheduled ANALYZE give a real server's planner.
        engine = db.engine
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            analyze = "VACUUM ANALYZE outbox" if engine.dialect.name == "postgresql" else "ANALYZE"
            conn.execute(text(analyze))
        db.session.remove()
    return time.perf_counter() - started


def deliver(app: Flask, port: int, senders: int) -> tuple[float, float, delivery.Report]:
    overrides = {
        "ACCORD_SMTP_HOST": "127.0.0.1",
        "ACCORD_SMTP_PORT": port,
        "ACCORD_SMTP_SECURITY": "none",
        "ACCORD_MAIL_FROM": "Accord <accord@bench.example>",
    }
    app.config.update(overrides)
    if senders and hasattr(delivery, "SENDERS"):
        delivery.SENDERS = senders
    with app.app_context():
        settings = Settings.of_app(app)
        started, cpu = time.perf_counter(), time.process_time()
        report = delivery.deliver_due(db.session(), settings, datetime.now(UTC))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        left = db.session.scalar(
            select(func.count()).where(OutboxMessage.status == Delivery.PENDING)
        )
        db.session.remove()
    if left:
        raise RuntimeError(f"{left} messages still pending after delivery: {report}")
    return elapsed, cpu, report


def run(label: str, url: str, args: argparse.Namespace) -> None:
    app = new_app(url)
    filled = fill(app, args.sent, args.pending)
    server_cpu = children_cpu()
    with smtp_sink() as port:
        elapsed, cpu, report = deliver(app, port, args.senders)
    server_cpu = children_cpu() - server_cpu
    with app.app_context():
        db.engine.dispose()
    senders = getattr(delivery, "SENDERS", 1)
    print(
        f"| {label} | {args.sent:,} | {args.pending:,} | {senders} | {report.sent:,} "
        f"| {report.failed + report.retrying} | {elapsed:.2f} s | {report.sent / elapsed:,.0f} "
        f"| {1000 * cpu / report.sent:.1f} | {1000 * server_cpu / report.sent:.1f} "
        f"| {filled:.0f} s |",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    print(
        "| database | sent before | pending | senders | sent | not sent | time "
        "| messages/s | CPU ms/message, sender | CPU ms/message, server | fill |"
    )
    print("| --- |" + " ---: |" * 10, flush=True)
    if not args.skip_sqlite:
        with sqlite_database() as url:
            run("SQLite", url, args)
    if args.database_url:
        with postgresql_database(args.database_url) as url:
            run("PostgreSQL", url, args)


if __name__ == "__main__":
    main()
