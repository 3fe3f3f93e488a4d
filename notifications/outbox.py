"""Queueing notices: an inbox entry for each recipient and, where the recipient's
preference allows, an e-mail in the outbox. The event handlers (notifications.handlers)
and the reminder sweep call ``queue`` or ``mail``; the caller commits, so a handler's
rows are written in the transaction of the change that caused them.

Each notice has a key naming the event and the recipient. Rows are inserted with
INSERT … ON CONFLICT DO NOTHING on that key, so a notice is queued once however often
its event is handled, also by two processes at the same moment.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete
from sqlalchemy.orm import Session

from decisions.clock import now as clock_now
from notifications import recipients, wakeup
from notifications.bulk import insert_ignoring, taken_keys
from notifications.messages import Content, Facts, Recipient, renderer
from notifications.models import Delivery, InboxEntry, Kind, OutboxMessage
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
    content_for = renderer(settings, facts)
    contents = {draft.key: content_for(draft.recipient) for draft in fresh}
    reply_to = _reply_addresses(settings, facts)
    queued = _insert_ignoring(
        session,
        InboxEntry,
        [_inbox_row(draft, facts.kind, contents[draft.key], created_at) for draft in fresh],
    )
    moment = clock_now()
    mailed = _insert_ignoring(
        session,
        OutboxMessage,
        [
            _outbox_row(
                settings,
                draft.key,
                facts.kind,
                draft.recipient.id,
                draft.recipient.email,
                draft.recipient.name,
                contents[draft.key],
                moment,
                reply_to(draft.recipient),
            )
            for draft in fresh
            if draft.email and draft.key in queued
        ],
    )
    if mailed:
        wakeup.queued(session)
    return len(queued)


def _reply_addresses(settings: Settings, facts: Facts) -> Callable[[Recipient], str]:
    """Each recipient's Reply-To: a representative's own address for the round when the
    notice may be answered by reply, else none. A header value of each row, the body
    rendered once for all (notifications.messages.renderer)."""
    round_id = facts.reply_round_id
    if round_id is None:
        return lambda recipient: ""
    addresses = ReplyAddresses.of(settings)

    def reply_to(recipient: Recipient) -> str:
        if recipient.partner_id is None:
            return ""
        return addresses.address(recipient.id, round_id)

    return reply_to


def _inbox_row(draft: Draft, kind: Kind, content: Content, created_at: datetime) -> dict[str, Any]:
    return {
        "key": draft.key,
        "user_id": draft.recipient.id,
        "kind": kind,
        "subject": content.subject,
        "body": content.summary,
        "link": content.link,
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
    row = _outbox_row(settings, key, kind, user_id, address, name, content, clock_now())
    queued = bool(_insert_ignoring(session, OutboxMessage, [row]))
    if queued:
        wakeup.queued(session)
    return queued


def _outbox_row(
    settings: Settings,
    key: str,
    kind: Kind,
    user_id: int | None,
    address: str,
    name: str,
    content: Content,
    moment: datetime,
    reply_to: str = "",
) -> dict[str, Any]:
    return {
        "key": key,
        "user_id": user_id,
        "kind": kind,
        "to_address": address,
        "to_name": name,
        "subject": content.subject,
        "text_body": content.text,
        "html_body": content.html,
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
    """Drop every e-mail not yet sent; the inbox keeps the notices. For the demo, whose
    made-up history happened before anyone had an address to write to. The caller commits."""
    result = session.execute(delete(OutboxMessage).where(OutboxMessage.status == Delivery.PENDING))
    return cast(int, getattr(result, "rowcount", 0))
