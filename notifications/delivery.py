"""Sending the outbox: e-mail over SMTP, or .eml files when no SMTP host is set.

A sender first claims a batch (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's
write lock serialises it there), pushing each row's next attempt a lease ahead, and
commits: no lock is held while it talks to the mail server, and a second sender takes
other rows. Then it sends and records each result. A temporary failure (no connection,
a 4xx answer) is retried with exponential backoff, for as long as it takes; a permanent
one (5xx) is marked failed for the Secretariat to see on the outbox page. A sender that
dies mid-batch leaves its rows to be taken again when the lease ends: a message may then
go twice, with the same Message-ID, but is never lost.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.models import Delivery, OutboxMessage
from notifications.settings import SECURITIES, Settings

BATCH = 100
#: how long a claimed message is left to its sender before another may take it
LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class ClaimedMessage:
    """An outbox message this sender has claimed, detached from the session that
    claimed it."""

    id: int
    to_address: str
    to_name: str
    subject: str
    text_body: str
    html_body: str
    message_id: str
    created_at: datetime


@dataclass(frozen=True)
class Result:
    ok: bool
    permanent: bool = False
    error: str = ""


SENT = Result(ok=True)


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_due(session: Session, settings: Settings, now: datetime) -> Report:
    """Send every message due at ``now``, batch by batch."""
    report = Report()
    send = send_by_smtp if settings.smtp_host else write_eml
    while True:
        batch = _claim(session, now)
        if not batch:
            return report
        results: dict[int, Result] = {}
        try:
            send(settings, batch, results)
        finally:
            # Whatever stopped the batch, what was sent is recorded as sent (never sent
            # again); what was not attempted waits for its next turn.
            _record(session, batch, results, now, report)
        if len(batch) < BATCH:
            return report


def _claim(session: Session, now: datetime) -> list[ClaimedMessage]:
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == Delivery.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    ).all()
    batch = []
    for row in rows:
        row.next_attempt_at = now + LEASE
        row.attempts += 1
        batch.append(
            ClaimedMessage(
                id=row.id,
                to_address=row.to_address,
                to_name=row.to_name,
                subject=row.subject,
                text_body=row.text_body,
                html_body=row.html_body,
                message_id=row.message_id,
                created_at=row.created_at,
            )
        )
    session.commit()
    return batch


def _record(
    session: Session,
    batch: Sequence[ClaimedMessage],
    results: dict[int, Result],
    now: datetime,
    report: Report,
) -> None:
    for claimed in batch:
        result = results.get(claimed.id, Result(ok=False, error="not attempted"))
        row = session.get_one(OutboxMessage, claimed.id)
        if result.ok:
            row.status = Delivery.SENT
            row.sent_at = now
            row.last_error = ""
            report.sent += 1
        elif result.permanent:
            row.status = Delivery.FAILED
            row.last_error = result.error
            report.failed += 1
        else:
            row.next_attempt_at = now + backoff(row.attempts)
            row.last_error = result.error
            report.retrying += 1
        if result.error and result.error not in report.errors:
            report.errors.append(result.error)
    session.commit()


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failed attempt, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


#: headers on one line up to the 998 characters RFC 5322 allows: Python's folding at 78
#: breaks a long subject right after "Subject:", and some clients then show it indented
LONG_LINES = policy.default.clone(max_line_length=998)


def built(settings: Settings, claimed: ClaimedMessage) -> EmailMessage | Result:
    """The message, or why it cannot be built: one bad message (a line break smuggled
    into a header, say) is failed on its own and never stops the others."""
    try:
        return build_message(settings, claimed)
    except Exception as error:  # noqa: BLE001 - whatever the email package refuses
        return Result(ok=False, permanent=True, error=f"The message cannot be built: {error}")


def build_message(settings: Settings, claimed: ClaimedMessage) -> EmailMessage:
    message = EmailMessage(policy=LONG_LINES)
    message["Subject"] = claimed.subject
    message["From"] = settings.mail_from
    message["To"] = formataddr((claimed.to_name, claimed.to_address))
    message["Date"] = format_datetime(claimed.created_at)
    message["Message-ID"] = claimed.message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(claimed.text_body)
    message.add_alternative(claimed.html_body, subtype="html")
    return message


def write_eml(
    settings: Settings, batch: Sequence[ClaimedMessage], results: dict[int, Result]
) -> None:
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


def send_by_smtp(
    settings: Settings, batch: Sequence[ClaimedMessage], results: dict[int, Result]
) -> None:
    """Each message's result goes into ``results`` as soon as it is known."""
    connection: smtplib.SMTP | None = None
    sender = parseaddr(settings.mail_from)[1] or settings.mail_from
    try:
        for claimed in batch:
            if connection is None:
                try:
                    connection = connect(settings)
                except (OSError, smtplib.SMTPException) as error:
                    failure = Result(ok=False, error=f"SMTP server unreachable: {_said(error)}")
                    for rest in batch:
                        results.setdefault(rest.id, failure)
                    return
            message = built(settings, claimed)
            if isinstance(message, Result):
                results[claimed.id] = message
                continue
            results[claimed.id], usable = _send_one(connection, sender, claimed, message)
            if not usable:
                _drop(connection)
                connection = None
    finally:
        _drop(connection)


def _send_one(
    connection: smtplib.SMTP, sender: str, claimed: ClaimedMessage, message: EmailMessage
) -> tuple[Result, bool]:
    """The result of sending one message, and whether the connection is still usable."""
    try:
        connection.send_message(message, from_addr=sender, to_addrs=[claimed.to_address])
    except smtplib.SMTPRecipientsRefused as error:
        code, said = next(iter(error.recipients.values()))
        return _answered(code, said), True
    except smtplib.SMTPResponseException as error:
        broken = isinstance(error, smtplib.SMTPSenderRefused) or error.smtp_code == 421
        return _answered(error.smtp_code, error.smtp_error), not broken
    except OSError as error:  # the connection broke: take a new one for the next
        return Result(ok=False, error=f"SMTP connection lost: {error}"), False
    except (smtplib.SMTPException, ValueError) as error:
        # Refused by the client itself (an address the server cannot take, say):
        # trying again would fail the same way.
        return Result(ok=False, permanent=True, error=_said(error)), True
    return SENT, True


def connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_security not in SECURITIES:
        raise smtplib.SMTPException(
            f"ACCORD_SMTP_SECURITY is {settings.smtp_security!r}: "
            f"one of {', '.join(SECURITIES)} is needed"
        )
    host = settings.smtp_host or "localhost"
    context = ssl.create_default_context()
    connection: smtplib.SMTP
    if settings.smtp_security == "ssl":
        connection = smtplib.SMTP_SSL(
            host, settings.smtp_port, timeout=settings.smtp_timeout, context=context
        )
    else:
        connection = smtplib.SMTP(host, settings.smtp_port, timeout=settings.smtp_timeout)
        if settings.smtp_security == "starttls":
            connection.starttls(context=context)
    try:
        if settings.smtp_user:
            connection.login(settings.smtp_user, settings.smtp_password or "")
    except BaseException:
        _drop(connection)
        raise
    return connection


def _answered(code: int, said: bytes | str) -> Result:
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    return Result(ok=False, permanent=500 <= code < 600, error=f"{code} {text}".strip())


def _said(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _answered(error.smtp_code, error.smtp_error).error
    return str(error) or type(error).__name__


def _drop(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
