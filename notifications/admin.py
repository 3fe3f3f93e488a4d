"""The Secretariat's view of the outbox: what waits, what is retried, what failed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decisions.access import require_secretariat
from decisions.clock import now as clock_now
from decisions.errors import InvalidInput
from decisions.lookup import get_row
from decisions.models import User
from notifications.models import Delivery, OutboxMessage, ReceivedReply, ReplyOutcome

SHOWN = 100


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    #: refused for good: the Secretariat may correct the address and retry
    failed: Sequence[OutboxMessage]
    #: not sent yet after at least one attempt: the server is down or answers "later"
    retrying: Sequence[OutboxMessage]
    #: replies by e-mail (accord mail-in) refused or ignored, newest first, and why
    refused_replies: Sequence[ReceivedReply] = ()


def outbox_overview(session: Session) -> Overview:
    counts = {status.value: 0 for status in Delivery}
    for status, count in session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ):
        counts[status] = count
    failed = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == Delivery.FAILED)
        .order_by(OutboxMessage.id.desc())
        .limit(SHOWN)
    ).all()
    retrying = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == Delivery.PENDING, OutboxMessage.attempts > 0)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(SHOWN)
    ).all()
    refused_replies = session.scalars(
        select(ReceivedReply)
        .where(ReceivedReply.outcome != ReplyOutcome.REGISTERED)
        .order_by(ReceivedReply.id.desc())
        .limit(SHOWN)
    ).all()
    return Overview(
        counts=counts, failed=failed, retrying=retrying, refused_replies=refused_replies
    )


def retry(
    session: Session, actor: User | None, message_id: int, now: datetime | None = None
) -> OutboxMessage:
    """Send a failed (or waiting) message again at the next run."""
    require_secretariat(actor)
    message = get_row(session, OutboxMessage, message_id, _l("No such message."), lock=True)
    if message.status == Delivery.SENT:
        raise InvalidInput(_l("This message was sent already."), field="message")
    message.status = Delivery.PENDING
    message.next_attempt_at = now or clock_now()
    session.commit()
    return message
