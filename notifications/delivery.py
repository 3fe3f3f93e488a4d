"""Sending the outbox: e-mail over SMTP, or .eml files when no SMTP host is set.

A sender first claims a batch (one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)
on PostgreSQL; SQLite's write lock serialises it there), pushing each row's next attempt a
lease ahead, and commits: no lock is held while it talks to the mail server, and another
sender takes other rows. Then it sends the batch over its one connection and records each
result. When there is more than one batch, up to SENDERS senders work at once, each with
its own session, connection and batches, as many as the server accepts connections for.
A temporary failure (no connection, a 4xx answer) is retried with exponential backoff, for
as long as it takes; a permanent one (5xx) is marked failed for the Secretariat to see on
the outbox page. A sender that dies mid-batch leaves its rows to be taken again when the
lease ends: a message may then go twice, with the same Message-ID, but is never lost.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, literal_column, select, update
from sqlalchemy.orm import Session

from notifications.models import Delivery, MailBody, OutboxMessage
from notifications.naming import put_names
from notifications.outgoing import NOT_ATTEMPTED, SENT, ClaimedMessage, Result, built
from notifications.settings import Settings
from notifications.smtp_sender import SmtpSender

BATCH = 100
#: senders at work at once when there is more than a batch to send
SENDERS = 4
#: how long a claimed message is left to its sender before another may take it
LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)

#: spelled out rather than bound, so that both databases' planners see the condition of
#: the partial index ix_outbox_pending in the claim, whatever value a prepared plan took
PENDING = OutboxMessage.status == literal_column(f"'{Delivery.PENDING.value}'")

#: sends a batch, putting each message's result into the dict; False: stop claiming
Send = Callable[[Sequence[ClaimedMessage], dict[int, Result]], bool]


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.errors.extend(e for e in other.errors if e not in self.errors)


def deliver_due(session: Session, settings: Settings, now: datetime) -> Report:
    """Send every message due at ``now``, batch by batch."""
    if not settings.smtp_host:
        return _drain(session, now, lambda batch, results: write_eml(settings, batch, results))
    first = _claim(session, now)
    if not first:
        return Report()
    helpers = SENDERS - 1 if len(first) == BATCH else 0
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with ThreadPoolExecutor(max_workers=max(helpers, 1)) as pool:
        helping = [pool.submit(_help, engine, settings, now) for _ in range(helpers)]
        with SmtpSender(settings) as sender:
            report = _drain(session, now, sender.send, first)
        for helper in helping:
            report.add(helper.result())
    return report


def _help(engine: Engine, settings: Settings, now: datetime) -> Report:
    """Another sender, on its own session and connection; none if the server refuses
    one more connection (the others carry on)."""
    with Session(engine) as session, SmtpSender(settings) as sender:
        if not sender.open():
            return Report()
        return _drain(session, now, sender.send)


def _drain(
    session: Session, now: datetime, send: Send, batch: list[ClaimedMessage] | None = None
) -> Report:
    report = Report()
    batch = _claim(session, now) if batch is None else batch
    while batch:
        results: dict[int, Result] = {}
        going = False
        try:
            going = send(batch, results)
        finally:
            # Whatever stopped the batch, what was sent is recorded as sent (never sent
            # again); what was not attempted waits for its next turn.
            _record(session, batch, results, now, report)
        if not going or len(batch) < BATCH:
            return report
        batch = _claim(session, now)
    return report


def _claim(session: Session, now: datetime) -> list[ClaimedMessage]:
    due = (
        select(OutboxMessage.id)
        .where(PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    # The bodies in a second statement: SQLite cannot return another table's columns
    # from an UPDATE, and a batch's messages share a few bodies.
    rows = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .returning(
            OutboxMessage.id,
            OutboxMessage.to_address,
            OutboxMessage.to_name,
            OutboxMessage.to_partner,
            OutboxMessage.subject,
            OutboxMessage.body_id,
            OutboxMessage.message_id,
            OutboxMessage.created_at,
            OutboxMessage.attempts,
            OutboxMessage.reply_to,
        )
        .execution_options(synchronize_session=False)
    ).all()
    bodies = {}
    if rows:
        bodies = {
            body.id: body
            for body in session.execute(
                select(
                    MailBody.id,
                    MailBody.text_body,
                    MailBody.html_body,
                    MailBody.name_mark,
                    MailBody.partner_mark,
                ).where(MailBody.id.in_(sorted({row.body_id for row in rows})))
            )
        }
    session.commit()
    claimed = []
    for row in rows:
        body = bodies[row.body_id]
        marks, names = (body.name_mark, body.partner_mark), (row.to_name, row.to_partner)
        claimed.append(
            ClaimedMessage(
                id=row.id,
                to_address=row.to_address,
                to_name=row.to_name,
                subject=row.subject,
                text_body=put_names(body.text_body, marks, names),
                html_body=put_names(body.html_body, marks, names, html=True),
                message_id=row.message_id,
                created_at=row.created_at,
                attempts=row.attempts,
                reply_to=row.reply_to,
            )
        )
    # RETURNING keeps no order: the oldest message goes first.
    return sorted(claimed, key=lambda message: message.id)


def _record(
    session: Session,
    batch: Sequence[ClaimedMessage],
    results: dict[int, Result],
    now: datetime,
    report: Report,
) -> None:
    sent, others = [], []
    for claimed in batch:
        result = results.get(claimed.id, NOT_ATTEMPTED)
        if result.ok:
            sent.append(claimed.id)
        elif result.permanent:
            others.append({"id": claimed.id, "status": Delivery.FAILED, "last_error": result.error})
            report.failed += 1
        else:
            wait = now + backoff(claimed.attempts)
            others.append({"id": claimed.id, "next_attempt_at": wait, "last_error": result.error})
            report.retrying += 1
        if result.error and result.error not in report.errors:
            report.errors.append(result.error)
    if sent:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(sent))
            .values(status=Delivery.SENT, sent_at=now, last_error="")
            .execution_options(synchronize_session=False)
        )
        report.sent += len(sent)
    if others:
        session.execute(update(OutboxMessage), others)
    session.commit()


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def write_eml(
    settings: Settings, batch: Sequence[ClaimedMessage], results: dict[int, Result]
) -> bool:
    """Without an SMTP server: one .eml file per message, to open in any mail program.
    Each message's result goes into ``results`` as soon as it is known."""
    folder = Path(settings.mail_dir)
    for claimed in batch:
        message = built(settings, claimed)
        if isinstance(message, Result):
            results[claimed.id] = message
            continue
        target = folder / f"{claimed.created_at:%Y%m%d-%H%M%S}-{claimed.id:06d}.eml"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            partial.write_bytes(bytes(message))
            os.replace(partial, target)
        except OSError as error:
            results[claimed.id] = Result(ok=False, error=f"Cannot write {target}: {error}")
        else:
            results[claimed.id] = SENT
    return True
