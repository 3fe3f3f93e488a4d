"""The rows that let a person in without a session: API tokens, and the single-use links
that set a password (an invitation, a password reset). Only a digest of each secret is
stored."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from decisions.clock import now
from decisions.db import Model, UTCDateTime
from decisions.models import NAME_MAX, User


class ApiToken(Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: SHA-256 of the token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SecretLink:
    """The columns of a single-use link that lets its reader choose a password
    (decisions.secret_links)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: SHA-256 of the token in the link; the token itself is only ever e-mailed
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    #: when the link was used, or ended by another link's use
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @declared_attr
    def user(cls) -> Mapped[User]:
        return relationship(User)


class Invitation(SecretLink, Model):
    """A set-password link for a user who has none yet (an admitted partner's contact)."""

    __tablename__ = "invitations"


class PasswordReset(SecretLink, Model):
    """A link to choose a new password, asked for on the forgotten-password page."""

    __tablename__ = "password_resets"
