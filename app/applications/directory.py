"""The partner directory: who the partners are, where, in which category, and since which
decision. Signed-in users only; it lists partners, never applicants."""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import render_template
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.applications.blueprint import bp
from app.applications.places import country_name, subregion_label
from decisions import partners as partners_domain
from decisions.consensus import Outcome
from decisions.countries import SUBREGIONS
from decisions.db import db
from decisions.models import DecisionEntry, Partner, PartnerStatus, ProposalKind


@dataclass(frozen=True)
class Listing:
    partner: Partner
    country: str
    #: the decision that admitted the partner; None: a founding partner
    admitted_by: DecisionEntry | None


@dataclass(frozen=True)
class Group:
    subregion: str
    #: (category name, partners in it by name)
    categories: list[tuple[str, list[Listing]]]


def admissions(session: Session) -> dict[int, DecisionEntry]:
    """Each admitted partner's admitting decision, read from the effects the log recorded
    (the latest, should a removed partner have been admitted again)."""
    entries = session.scalars(
        select(DecisionEntry)
        .where(
            DecisionEntry.kind == ProposalKind.ADMISSION,
            DecisionEntry.outcome == Outcome.ADOPTED,
        )
        .order_by(DecisionEntry.closed_at, DecisionEntry.id)
    )
    admitted: dict[int, DecisionEntry] = {}
    for entry in entries:
        for effect in entry.effects or []:
            partner_id = effect.get("partner_id")
            if effect.get("effect") == "admission" and partner_id and not effect.get("unchanged"):
                admitted[int(partner_id)] = entry
    return admitted


def groups(partners: Sequence[Partner], admitted: dict[int, DecisionEntry]) -> list[Group]:
    """By sub-region (in the M49 order, "Other" last), then category, then name."""
    order = {name: i for i, name in enumerate(SUBREGIONS)}
    by_place: dict[str, dict[str, list[Listing]]] = {}
    for partner in partners:
        place = subregion_label(partner.country)
        listing = Listing(partner, country_name(partner.country), admitted.get(partner.id))
        by_place.setdefault(place, {}).setdefault(partner.category.name, []).append(listing)
    return [
        Group(
            place,
            [
                (category, sorted(listings, key=lambda item: item.partner.name.lower()))
                for category, listings in sorted(by_place[place].items())
            ],
        )
        for place in sorted(by_place, key=lambda name: order.get(name, len(order)))
    ]


@bp.get("/directory")
@login_required
def directory():  # type: ignore[no-untyped-def]
    # Removed partners are no longer partners; suspended ones still are.
    partners = [
        p for p in partners_domain.partners(db.session) if p.status != PartnerStatus.REMOVED
    ]
    return render_template(
        "applications/directory.html",
        groups=groups(partners, admissions(db.session)),
    )
