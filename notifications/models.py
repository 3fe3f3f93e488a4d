"""What notifications keep: the in-app inbox, the e-mail outbox, and when each round got
its current deadline (reminders count from there)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from decisions.clock import now
from decisions.db import Model, UTCDateTime, stored_enum
from decisions.models import NAME_MAX
from notifications.naming import put_names

KEY_MAX = 200
SUBJECT_MAX = 300


class Kind(StrEnum):
    ROUND_OPENED = "round_opened"
    DEADLINE_EXTENDED = "deadline_extended"
    OBJECTION_REGISTERED = "objection_registered"
    ROUND_CLOSED = "round_closed"
    REMINDER = "reminder"
    APPLICATION_RECEIVED = "application_received"
    #: to the applicant, who has no account: e-mail only
    APPLICATION_STATUS = "application_status"
    #: to a new partner's first representative: the set-password link
    INVITATION = "invitation"
    #: a new comment in a proposal's discussion
    COMMENT = "comment"
    #: to the objecting partner's representatives: how the proposal meets the objection
    OBJECTION_ANSWERED = "objection_answered"
    #: to the sender of a reply by e-mail (notifications.mail_in): registered, or why not
    REPLY_REGISTERED = "reply_registered"
    REPLY_REFUSED = "reply_refused"


class Delivery(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    #: refused for good (a 5xx answer): only the Secretariat's retry sends it again
    FAILED = "failed"


class InboxEntry(Model):
    """A notice in a user's in-app inbox. Every notice lands here, whatever the user's
    e-mail preference; its unique ``key`` is what makes a notice happen only once."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the event and recipient, e.g. ``reminder:12:40:2026-03-09T09:00:00+00:00:24``
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[Kind] = mapped_column(stored_enum(Kind, "notice_kind"))
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body: Mapped[str] = mapped_column(Text)
    #: absolute address of the page the notice is about
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


#: the partial index's condition; the claim spells it out the same way (notifications/
#: delivery.py, PENDING)
PENDING_ONLY = "status = 'pending'"


class MailBody(Model):
    """The text and HTML of an e-mail, stored once for every recipient of an event who
    reads the same message (language, time zone, role: notifications.messages), with marks
    where each recipient's names go; they are put in when it is sent (notifications.naming).
    The outbox rows of the other recipients of a round of 10 000 partners then hold a
    reference rather than a copy of a few kilobytes each."""

    __tablename__ = "mail_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    #: what stands for the recipient's name in the bodies; "" when they are named already
    name_mark: Mapped[str] = mapped_column(String(64), default="")
    #: what stands for the recipient's partner's name; "" when nothing does
    partner_mark: Mapped[str] = mapped_column(String(64), default="")


class OutboxMessage(Model):
    """One e-mail to one recipient, rendered when the event happened, sent by the
    scheduler with retries. Its bodies are shared with the other recipients who read the
    same message (MailBody); its subject is its own, named."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        # The messages still to send, in order, without walking the ones already sent
        # (migration 0011): an outbox only grows.
        Index(
            "ix_outbox_pending",
            "id",
            postgresql_where=text(PENDING_ONLY),
            sqlite_where=text(PENDING_ONLY),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the same key as the inbox entry it doubles
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)
    #: None for an applicant, who has an address but no account
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[Kind] = mapped_column(stored_enum(Kind, "notice_kind"))
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    #: the name of the partner the recipient spoke for when it was queued, for the bodies
    to_partner: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    body_id: Mapped[int] = mapped_column(ForeignKey("mail_bodies.id"), index=True)
    #: fixed when queued, so a retried message is recognisably the same one
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[Delivery] = mapped_column(
        stored_enum(Delivery, "delivery"), default=Delivery.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: when a sender may next take it; a sender that takes it pushes this ahead (its lease)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: the recipient's own reply address for a round (notifications.reply_address), or ""
    reply_to: Mapped[str] = mapped_column(String(254), default="")

    body: Mapped[MailBody] = relationship()

    @property
    def text_body(self) -> str:
        """The text as the recipient reads it, their names put in."""
        return self._named(self.body.text_body, html=False)

    @property
    def html_body(self) -> str:
        """The HTML as the recipient reads it, their names put in (escaped)."""
        return self._named(self.body.html_body, html=True)

    def _named(self, text: str, *, html: bool) -> str:
        marks = (self.body.name_mark, self.body.partner_mark)
        return put_names(text, marks, (self.to_name, self.to_partner), html=html)


class DeadlineSet(Model):
    """Each deadline a round has had, and when it was set. Reminders due before the
    current deadline was set are not sent (the opening or extension notice said it), and
    the calendar feed numbers its updates (SEQUENCE) by these rows."""

    __tablename__ = "deadline_sets"
    __table_args__ = (
        UniqueConstraint("round_id", "deadline", name="uq_deadline_sets_round_deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReplyOutcome(StrEnum):
    REGISTERED = "registered"
    #: answered with the reason (ReceivedReply.refusal)
    REFUSED = "refused"
    #: an auto-reply, or nothing to answer: no answer, so that no mail loop can start
    IGNORED = "ignored"


class ReceivedReply(Model):
    """A message ``accord mail-in`` dealt with, once each: its Message-ID's key is unique,
    so that a message delivered again registers nothing and is answered no more."""

    __tablename__ = "received_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the Message-ID (of the whole message, when it has none), in hex
    key: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str] = mapped_column(String(255), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    from_address: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX), default="")
    #: the representative and round its reply address names, when it names them
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    outcome: Mapped[ReplyOutcome] = mapped_column(stored_enum(ReplyOutcome, "reply_outcome"))
    #: why it was refused or ignored (notifications.mail_in.Refusal), else ""
    refusal: Mapped[str] = mapped_column(String(32), default="")
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"))
