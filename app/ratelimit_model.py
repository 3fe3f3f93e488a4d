"""The table the web's rate limits count in (app/ratelimit.py): a web concern, kept apart
from the domain's models. Its table and migrations are unchanged."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from decisions.db import Model, UTCDateTime


class ApplicationAttempt(Model):
    """One sending of a public form limited per client address (the application, by form
    or API; the forgotten-password form), kept only as long as the rate limit's window,
    so that every worker process counts the same attempts."""

    __tablename__ = "application_attempts"
    __table_args__ = (Index("ix_application_attempts_sender_sent_at", "sender", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what was attempted, each with its own limit: "apply", "password_reset"
    what: Mapped[str] = mapped_column(String(32), default="apply", server_default="apply")
    #: a keyed digest of the client's address: the address itself is never stored
    sender: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
