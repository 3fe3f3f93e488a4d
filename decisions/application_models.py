"""A membership application: what an organisation sent, and where the Secretariat's review
and the partnership's decision have taken it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from decisions.clock import now
from decisions.db import Model, UTCDateTime, stored_enum
from decisions.models import EMAIL_MAX, NAME_MAX, Category, User


class ApplicationStatus(StrEnum):
    RECEIVED = "received"
    RECOMMENDED = "recommended"
    NOT_RECOMMENDED = "not_recommended"
    PROPOSED = "proposed"
    ADMITTED = "admitted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


MANDATE_MAX = 5_000


class Application(Model):
    """An organisation's application for membership, from the public form or the API."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_name: Mapped[str] = mapped_column(String(NAME_MAX))
    #: mandate and principal activities
    mandate: Mapped[str] = mapped_column(Text)
    #: ISO 3166 alpha-2
    headquarters_country: Mapped[str] = mapped_column(String(2))
    #: ISO 3166 alpha-2 codes, sorted
    operating_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    legally_registered: Mapped[bool] = mapped_column(Boolean)
    government_controlled: Mapped[bool] = mapped_column(Boolean)
    agrees_with_principles: Mapped[bool] = mapped_column(Boolean)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    contact_name: Mapped[str] = mapped_column(String(NAME_MAX))
    contact_email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    #: the letter of intent's random file name under the letters folder; None: no letter
    letter_file: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[ApplicationStatus] = mapped_column(
        stored_enum(ApplicationStatus, "application_status"),
        default=ApplicationStatus.RECEIVED,
        index=True,
    )
    #: the Secretariat's recommendation: None until it gives one
    recommend: Mapped[bool | None] = mapped_column(Boolean)
    recommendation: Mapped[str] = mapped_column(Text, default="")
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the admission proposal it became
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    #: the partner it became, once admitted
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    #: the interface language the applicant applied in, which they are written to in
    language: Mapped[str | None] = mapped_column(String(8))
    #: SHA-256 of the secret the applicant withdraws with (only the applicant has it)
    withdraw_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    # selectin, not joined: an outer join cannot be locked (SELECT ... FOR UPDATE) on
    # PostgreSQL, and the review locks the application
    category: Mapped[Category] = relationship(lazy="selectin")
    recommended_by: Mapped[User | None] = relationship()
