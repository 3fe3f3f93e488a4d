"""Queueing notices: an inbox entry for each recipient and, where the recipient's
preference allows, an e-mail in the outbox. The event handlers (notifications.handlers)
and the reminder sweep call ``queue`` or ``mail``; the caller commits, so a handler's
rows are written in the transaction of the change that caused them.

Each notice has a key naming the event and the recipient. Rows are inserted with
INSERT … ON CONFLICT DO NOTHING on that key, so a notice is queued once however often
its event is handled, also by two processes at the same moment.

An e-mail's bodies are stored once for the recipients who read the same message
(notifications.models.MailBody), each row holding its recipient's names to put in when it
is sent: a round of 10 000 partners writes a few bodies, not 7 500 copies.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from decisions.clock import now as clock_now
from notifications import recipients, wakeup
from notifications.bulk import insert_ignoring, taken_keys
from notifications.messages import Content, Facts, Marked, Recipient, marked_renderer
from notifications.models import Delivery, InboxEntry, Kind, MailBody, OutboxMessage
from notifications.reply_address import ReplyAddresses
from notifications.settings import Settings


@dataclass(frozen=True)
class Draft:
    """A notice to be queued for one recipient."""

    key: str
    recipient: Recipient
    email: bool


def stamp(moment: datetime) -> str:
    """A deadline as it appears in keys: 20260309T090000Z."""
    return moment.strftime("%Y%m%dT%H%M%SZ")


def drafts_for(
    prefix: str, kind: Kind, people: Iterable[Recipient], suffix: str = ""
) -> list[Draft]:
    return [
        Draft(f"{prefix}:{person.id}{suffix}", person, recipients.wants_email(person, kind))
        for person in people
    ]


def existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    return taken_keys(session, InboxEntry.key, keys)


def queue(
    session: Session,
    settings: Settings,
    facts: Facts,
    drafts: Sequence[Draft],
    created_at: datetime,
) -> int:
    """Queue the drafts not queued yet; the number queued. The caller commits."""
    if not drafts:
        return 0
    seen = existing_keys(session, [draft.key for draft in drafts])
    fresh = [draft for draft in drafts if draft.key not in seen]
    marked_for = marked_renderer(settings, facts)
    messages = {draft.key: marked_for(draft.recipient) for draft in fresh}
    reply_to = _reply_addresses(settings, facts)
    queued = _insert_ignoring(
        session,
        InboxEntry,
        [_inbox_row(draft, facts.kind, messages[draft.key], created_at) for draft in fresh],
    )
    mailing = [draft for draft in fresh if draft.email and draft.key in queued]
    if not mailing:
        return len(queued)
    bodies = _store_bodies(session, [messages[draft.key] for draft in mailing])
    moment = clock_now()
    rows = []
    for draft in mailing:
        recipient, message = draft.recipient, messages[draft.key]
        row = _outbox_row(
            settings,
            draft.key,
            facts.kind,
            recipient.id,
            (recipient.email, recipient.name, recipient.partner_name or ""),
            message.put(message.content.subject, recipient),
            bodies[message],
            moment,
            reply_to(recipient),
        )
        rows.append(row)
    mailed = _insert_ignoring(session, OutboxMessage, rows)
    if len(mailed) < len(rows):
        _drop_unused(session, set(bodies.values()))
    if mailed:
        wakeup.queued(session)
    return len(queued)


def _store_bodies(session: Session, messages: Iterable[Marked]) -> dict[Marked, int]:
    """One mail_bodies row for each distinct message (a few for thousands of
    recipients); each message's row id."""
    distinct = list(dict.fromkeys(messages))
    table = cast(Table, MailBody.__table__)
    # Core, as the notices' rows go (notifications.bulk): one INSERT of every row.
    ids = (
        session.connection()
        .execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [
                {
                    "text_body": message.content.text,
                    "html_body": message.content.html,
                    "name_mark": message.name_mark,
                    "partner_mark": message.partner_mark,
                }
                for message in distinct
            ],
        )
        .scalars()
    )
    return dict(zip(distinct, ids, strict=True))


def _drop_unused(session: Session, body_ids: set[int]) -> None:
    """Delete those of the bodies no outbox row refers to: another transaction queued the
    same keys first, and its rows refer to its own bodies."""
    if not body_ids:
        return
    used = select(OutboxMessage.id).where(OutboxMessage.body_id == MailBody.id)
    session.execute(
        delete(MailBody)
        .where(MailBody.id.in_(body_ids), ~used.exists())
        .execution_options(synchronize_session=False)
    )


def _reply_addresses(settings: Settings, facts: Facts) -> Callable[[Recipient], str]:
    """Each recipient's Reply-To: a representative's own address for the round when the
    notice may be answered by reply, else none. A header value of each row, the body
    rendered once for all (notifications.messages.marked_renderer)."""
    round_id = facts.reply_round_id
    if round_id is None:
        return lambda recipient: ""
    addresses = ReplyAddresses.of(settings)

    def reply_to(recipient: Recipient) -> str:
        if recipient.partner_id is None:
            return ""
        return addresses.address(recipient.id, round_id)

    return reply_to


def _inbox_row(draft: Draft, kind: Kind, message: Marked, created_at: datetime) -> dict[str, Any]:
    return {
        "key": draft.key,
        "user_id": draft.recipient.id,
        "kind": kind,
        "subject": message.put(message.content.subject, draft.recipient),
        "body": message.put(message.content.summary, draft.recipient),
        "link": message.content.link,
        "created_at": created_at,
        "read_at": None,
    }


def mail(
    session: Session,
    settings: Settings,
    key: str,
    kind: Kind,
    to: tuple[str, str],
    content: Content,
    user_id: int | None = None,
) -> bool:
    """Queue one e-mail that has no inbox entry: to an applicant, who has no account, or
    a message no preference may hold back (an invitation). ``to`` is (address, name).
    Whether it was queued now; a key queued before is not queued again. The caller commits."""
    address, name = to
    message = Marked(content)
    bodies = _store_bodies(session, [message])
    row = _outbox_row(
        settings,
        key,
        kind,
        user_id,
        (address, name, ""),
        content.subject,
        bodies[message],
        clock_now(),
    )
    queued = bool(_insert_ignoring(session, OutboxMessage, [row]))
    if queued:
        wakeup.queued(session)
    else:
        _drop_unused(session, set(bodies.values()))
    return queued


def _outbox_row(
    settings: Settings,
    key: str,
    kind: Kind,
    user_id: int | None,
    to: tuple[str, str, str],
    subject: str,
    body_id: int,
    moment: datetime,
    reply_to: str = "",
) -> dict[str, Any]:
    """``to`` is (address, name, partner's name)."""
    address, name, partner = to
    return {
        "key": key,
        "user_id": user_id,
        "kind": kind,
        "to_address": address,
        "to_name": name,
        "to_partner": partner,
        "subject": subject,
        "body_id": body_id,
        # 128 random bits, as a UUID4 holds, without building a UUID object for each of
        # thousands of messages
        "message_id": f"<accord.{secrets.token_hex(16)}@{settings.mail_domain}>",
        "status": Delivery.PENDING,
        "attempts": 0,
        "next_attempt_at": moment,
        "created_at": moment,
        "sent_at": None,
        "last_error": "",
        "reply_to": reply_to,
    }


def _insert_ignoring(
    session: Session, model: type[InboxEntry] | type[OutboxMessage], rows: list[dict[str, Any]]
) -> set[str]:
    """Insert the rows whose key is new; the keys inserted (notifications.bulk). Core on
    the session's connection: the same transaction."""
    return insert_ignoring(session.connection(), cast(Table, model.__table__), rows)


def discard_unsent(session: Session) -> int:
    """Drop every e-mail not yet sent, and the bodies only they used; the inbox keeps the
    notices. For the demo, whose made-up history happened before anyone had an address to
    write to. The caller commits."""
    body_ids = session.scalars(
        delete(OutboxMessage)
        .where(OutboxMessage.status == Delivery.PENDING)
        .returning(OutboxMessage.body_id)
        .execution_options(synchronize_session=False)
    ).all()
    _drop_unused(session, set(body_ids))
    return len(body_ids)
