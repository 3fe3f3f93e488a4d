"""Typed models. Models never commit, never send, never build URLs."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from decisions.clock import now
from decisions.consensus import Outcome, Stance
from decisions.db import Model, UTCDateTime, stored_enum

NAME_MAX = 200
TITLE_MAX = 200
BODY_MAX = 50_000
REASON_MAX = 5_000
NOTE_MAX = 1_000
EMAIL_MAX = 254


class Role(StrEnum):
    SECRETARIAT = "secretariat"
    PARTNER = "partner"
    OBSERVER = "observer"


class EmailEvents(StrEnum):
    """Which notices a user also receives by e-mail (every notice reaches the inbox)."""

    ALL = "all"
    REMINDERS_OUTCOMES = "reminders_outcomes"
    NONE = "none"


class Channel(StrEnum):
    """How a position reached Accord."""

    WEB = "web"
    API = "api"
    #: a reply to a round's e-mail (notifications.mail_in)
    EMAIL = "email"


class PartnerStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REMOVED = "removed"


class ProposalKind(StrEnum):
    GENERAL = "general"
    ADMISSION = "admission"
    REGIONAL_FOCUS = "regional_focus"
    SUSPENSION = "suspension"
    REMOVAL = "removal"


class ProposalStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    ADOPTED = "adopted"
    NOT_ADOPTED = "not_adopted"
    WITHDRAWN = "withdrawn"


class Partnership(Model):
    """The one partnership this deployment serves (a single row)."""

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    default_quorum: Mapped[int] = mapped_column(Integer, default=0)
    #: hours before a deadline at which pending partners are reminded
    reminder_offsets_hours: Mapped[list[int]] = mapped_column(JSON, default=lambda: [72, 24, 3])
    #: ISO 3166 alpha-2 codes where members must operate; empty admits all
    regional_focus: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: per kind of proposal, what differs from decisions.kind_rules.DEFAULTS:
    #: {"admission": {"min_round_hours": 72}}
    kind_rules: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON, default=dict)
    #: the interface language of those who chose none and whose browser asks for none
    language: Mapped[str] = mapped_column(String(8), default="en")
    #: the log's entries (not partners' reasons, notes, nor who registered them) are
    #: readable without signing in, and its feed needs no token (app/log/public.py)
    public_log: Mapped[bool] = mapped_column(Boolean, default=False)


class Category(Model):
    """A membership category; only categories with a voice give standing."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    has_standing: Mapped[bool] = mapped_column(Boolean, default=False)
    #: off the application form; its partners keep it
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class Partner(Model):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    #: ISO 3166 alpha-2 code of the headquarters
    country: Mapped[str] = mapped_column(String(2))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    status: Mapped[PartnerStatus] = mapped_column(
        stored_enum(PartnerStatus, "partner_status"), default=PartnerStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    category: Mapped[Category] = relationship(lazy="joined")

    @property
    def has_standing(self) -> bool:
        return self.status == PartnerStatus.ACTIVE and self.category.has_standing


class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    role: Mapped[Role] = mapped_column(stored_enum(Role, "role"))
    #: the partner a representative speaks for; empty for the Secretariat and observers
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    #: None: the partnership's time zone
    time_zone: Mapped[str | None] = mapped_column(String(64))
    #: the interface language the user chose (decisions.languages); None: not chosen
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: what the login session remembers; rotated on password change so old cookies die
    session_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    #: which notices also go out by e-mail; reminders cannot be turned off for a
    #: partner's last representative (see notifications.preferences)
    email_events: Mapped[EmailEvents] = mapped_column(
        stored_enum(EmailEvents, "email_events"), default=EmailEvents.ALL, server_default="all"
    )
    #: the secret in the address of the user's calendar feed; None: no feed
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: the secret in the address of the user's feed of the decision log; None: no feed
    log_feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    partner: Mapped[Partner | None] = relationship(lazy="joined")

    # What Flask-Login asks of a user (duck-typed, so the domain needs no Flask).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session remembers this rotating token, not the id, so that a password
        change or a suspension ends every session and remember-me cookie."""
        return self.session_token


class Proposal(Model):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    #: Markdown, rendered sanitised
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[ProposalKind] = mapped_column(stored_enum(ProposalKind, "proposal_kind"))
    #: what the proposal acts on: {"partner_id": P}, {"application_id": A}, {"countries": [...]}
    subject: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[ProposalStatus] = mapped_column(
        stored_enum(ProposalStatus, "proposal_status"), default=ProposalStatus.DRAFT
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    #: the language of the authoritative text (title and body); the one the log records
    language: Mapped[str] = mapped_column(String(8), default="en")
    #: other languages' renderings: {"fr": {"title": ..., "body": ...}}
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)

    created_by: Mapped[User] = relationship()
    rounds: Mapped[list[Round]] = relationship(back_populates="proposal", order_by="Round.number")

    @property
    def open_round(self) -> Round | None:
        return next((r for r in self.rounds if r.is_open), None)

    @property
    def subject_partner_id(self) -> int | None:
        return (self.subject or {}).get("partner_id")


class Round(Model):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("proposal_id", "number", name="uq_rounds_proposal_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    #: 1 for the proposal's first round, 2 after an amendment, …
    number: Mapped[int] = mapped_column(Integer)
    #: the proposal's title and text as put to this round
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    text: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    quorum: Mapped[int] = mapped_column(Integer, default=0)
    auto_close: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[Outcome | None] = mapped_column(stored_enum(Outcome, "outcome"))

    proposal: Mapped[Proposal] = relationship(back_populates="rounds")
    electors: Mapped[list[Elector]] = relationship(order_by="Elector.partner_id")
    decision: Mapped[DecisionEntry | None] = relationship(back_populates="round")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def electorate(self) -> list[int]:
        return [e.partner_id for e in self.electors]


class Elector(Model):
    """A partner with standing when the round opened: the electorate is frozen here."""

    __tablename__ = "electors"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)

    partner: Mapped[Partner] = relationship()


class Position(Model):
    """One registration of a partner's position. Rows are only ever added: the latest
    for a round and partner is the current one, the others are its history."""

    __tablename__ = "positions"
    __table_args__ = (Index("ix_positions_round_partner", "round_id", "partner_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    stance: Mapped[Stance] = mapped_column(stored_enum(Stance, "stance"))
    reason: Mapped[str] = mapped_column(Text, default="")
    #: set when the Secretariat recorded the position on the partner's behalf
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    #: how a position recorded on behalf was received (letter, e-mail, …)
    note: Mapped[str] = mapped_column(Text, default="")
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the web form, the JSON API or an e-mail reply
    channel: Mapped[Channel] = mapped_column(stored_enum(Channel, "channel"), default=Channel.WEB)

    registered_by: Mapped[User] = relationship()


class DecisionEntry(Model):
    """An entry of the decision log: written once when a round closes, never changed."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_decisions_year_seq"),
        # The list's order, closing time then id, after each filter: a page of the log,
        # filtered or not, is read in order from one of these (migration 0010, which
        # also adds the full-text index of each database: decisions/log_fulltext.py).
        Index("ix_decisions_closed_at_id", "closed_at", "id"),
        Index("ix_decisions_outcome_closed_at", "outcome", "closed_at", "id"),
        Index("ix_decisions_kind_closed_at", "kind", "closed_at", "id"),
        Index("ix_decisions_year_closed_at", "year", "closed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    #: position within the year: 2026/007 has seq 7
    seq: Mapped[int] = mapped_column(Integer)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    kind: Mapped[ProposalKind] = mapped_column(stored_enum(ProposalKind, "proposal_kind"))
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[Outcome] = mapped_column(stored_enum(Outcome, "outcome"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tally: Mapped[dict[str, int]] = mapped_column(JSON)
    positions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    effects: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: SHA-256 of the canonical content of this entry including prev_hash
    hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))

    round: Mapped[Round] = relationship(back_populates="decision")

    @property
    def number(self) -> str:
        return f"{self.year}/{self.seq:03d}"
