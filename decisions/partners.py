"""Partners: the organisations of the partnership, and their status."""

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from decisions import validation
from decisions.access import require_secretariat
from decisions.categories import category_by_slug
from decisions.errors import AlreadyExists, InvalidInput
from decisions.lookup import get_row
from decisions.models import NAME_MAX, Partner, PartnerStatus, User
from decisions.unit_of_work import unit_of_work


def create_partner(
    session: Session, actor: User | None, name: str, country: str, category: str = "member"
) -> Partner:
    with unit_of_work(session):
        require_secretariat(actor)
        partner = Partner(
            name=validation.line(name, "name", NAME_MAX),
            country=validation.country(country),
            category=category_by_slug(session, category),
            status=PartnerStatus.ACTIVE,
        )
        _ensure_unique_partner_name(session, partner.name)
        session.add(partner)
        return partner


def update_partner(
    session: Session,
    actor: User | None,
    partner_id: int,
    *,
    name: str | None = None,
    country: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> Partner:
    with unit_of_work(session):
        require_secretariat(actor)
        partner = get_partner(session, partner_id)
        if name is not None:
            name = validation.line(name, "name", NAME_MAX)
            if name != partner.name:
                _ensure_unique_partner_name(session, name)
            partner.name = name
        if country is not None:
            partner.country = validation.country(country)
        if category is not None:
            partner.category = category_by_slug(session, category)
        if status is not None:
            partner.status = _status_change(partner.status, status)
        return partner


def _status_change(current: PartnerStatus, value: object) -> PartnerStatus:
    """The status the Secretariat may set: it suspends and reactivates a partner, but
    removal, and the return of a removed partner, happen only by a decision of the
    partnership (an adopted removal or admission proposal), never by an edit."""
    wanted = validation.choice(PartnerStatus, value, "status")
    if wanted == current:
        return current
    if current == PartnerStatus.REMOVED:
        raise InvalidInput(
            _l("A removed partner returns only by decision: propose its admission."),
            field="status",
        )
    if wanted == PartnerStatus.REMOVED:
        raise InvalidInput(
            _l("A partner is removed only by decision: propose its removal."), field="status"
        )
    return wanted


def _ensure_unique_partner_name(session: Session, name: str) -> None:
    if session.scalar(select(Partner.id).where(func.lower(Partner.name) == name.lower())):
        raise AlreadyExists(_l("A partner with this name exists already."), field="name")


def get_partner(session: Session, partner_id: int) -> Partner:
    return get_row(session, Partner, partner_id, _l("No such partner."))


def partners_query() -> Select[Partner]:
    """Every partner, by name (the id breaks no tie: names are unique)."""
    return select(Partner).order_by(Partner.name)


def partners(session: Session) -> Sequence[Partner]:
    return session.scalars(partners_query()).all()
