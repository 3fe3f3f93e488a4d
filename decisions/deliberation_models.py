"""What the partners say between rounds: the discussion of a proposal, and the objections
a closed round leaves to resolve (shared API.md, "Deliberation")."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from decisions.clock import now
from decisions.db import Model, UTCDateTime, stored_enum
from decisions.models import Partner, Proposal, Round, User

COMMENT_MAX = 10_000
ANSWER_MAX = 10_000


class Comment(Model):
    """A contribution to a proposal's discussion, in Markdown; a reply answers a comment
    that is not itself a reply (one level)."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_proposal_created", "proposal_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the partner the author spoke for, as it was then; None for the Secretariat
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    #: set by an edit within the author's grace period; the page marks the comment edited
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    proposal: Mapped[Proposal] = relationship()
    author: Mapped[User] = relationship()
    partner: Mapped[Partner | None] = relationship()


class ObjectionStatus(StrEnum):
    OPEN = "open"
    #: the Secretariat or the proposer said how the proposal meets it
    ANSWERED = "answered"
    #: a later round closed with the partner consenting or standing aside
    RESOLVED = "resolved"
    #: a later round closed with the partner objecting again (a new objection continues it)
    MAINTAINED = "maintained"


#: an objection not settled yet: a later round may still resolve it
UNSETTLED = (ObjectionStatus.OPEN, ObjectionStatus.ANSWERED)
SETTLED = (ObjectionStatus.RESOLVED, ObjectionStatus.MAINTAINED)


class Objection(Model):
    """One partner's objection as a closed round left it, followed until a later round
    resolves it or the partner maintains it."""

    __tablename__ = "objections"
    __table_args__ = (
        UniqueConstraint("round_id", "partner_id", name="uq_objections_round_partner"),
        Index("ix_objections_proposal", "proposal_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    #: the objection's reason as it stood when the round closed
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ObjectionStatus] = mapped_column(
        stored_enum(ObjectionStatus, "objection_status"), default=ObjectionStatus.OPEN
    )
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the objection of an earlier round that this one maintains
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("objections.id"))
    #: the later round whose close resolved or maintained it
    settled_in_round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    round: Mapped[Round] = relationship(foreign_keys=[round_id])
    partner: Mapped[Partner] = relationship()
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
