"""The partner directory: who the partners are, where, in which category, and since which
decision. Signed-in users only; it lists partners, never applicants. Filtered by
sub-region, category and name, and paged: a partnership may have a thousand partners."""

from collections.abc import Sequence
from dataclasses import dataclass

from flask import render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, load_only

from app.applications.blueprint import bp
from app.applications.forms import DirectoryFilter
from app.applications.places import country_name, subregion_label
from decisions.consensus import Outcome
from decisions.countries import SUBREGIONS
from decisions.db import db
from decisions.models import Category, DecisionEntry, Partner, PartnerStatus, ProposalKind
from decisions.paging import Page, in_pages

#: partners on a page of the directory
PER_PAGE = 50


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
        # not the positions, a thousand to an entry: the effects say who was admitted
        .options(
            load_only(
                DecisionEntry.year,
                DecisionEntry.seq,
                DecisionEntry.closed_at,
                DecisionEntry.effects,
            )
        )
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


#: the sub-regions in the M49 order; "Other" after them
_PLACE_ORDER = {name: i for i, name in enumerate(SUBREGIONS)}


def _place_order(place: str) -> int:
    return _PLACE_ORDER.get(place, len(_PLACE_ORDER))


@dataclass(frozen=True)
class Entry:
    """What the directory sorts and filters by, read for every partner (the rows of a
    page are read whole afterwards)."""

    partner_id: int
    name: str
    place: str
    category_slug: str
    category: str

    @property
    def order(self) -> tuple[int, str, str]:
        return (_place_order(self.place), self.category, self.name.lower())


def entries(session: Session) -> list[Entry]:
    """Every partner but the removed (no longer partners; the suspended still are), in
    the directory's order."""
    rows = session.execute(
        select(Partner.id, Partner.name, Partner.country, Category.slug, Category.name)
        .join(Category, Partner.category_id == Category.id)
        .where(Partner.status != PartnerStatus.REMOVED)
    )
    found = [
        Entry(id_, name, subregion_label(country), slug, category)
        for id_, name, country, slug, category in rows
    ]
    return sorted(found, key=lambda entry: entry.order)


def matching(found: list[Entry], form: DirectoryFilter) -> list[Entry]:
    place, category = form.subregion.data, form.category.data
    name = (form.name.data or "").strip()
    return [
        entry
        for entry in found
        if (not place or entry.place == place)
        and (not category or entry.category_slug == category)
        and (not name or name.casefold() in entry.name.casefold())
    ]


def page_of_partners(session: Session, page: Page[Entry]) -> list[Partner]:
    """The page's partners, whole, in the page's order."""
    ids = [entry.partner_id for entry in page.items]
    loaded = session.scalars(
        select(Partner).options(joinedload(Partner.category)).where(Partner.id.in_(ids))
    )
    by_id = {partner.id: partner for partner in loaded}
    return [by_id[partner_id] for partner_id in ids]


def groups(partners: Sequence[Partner], admitted: dict[int, DecisionEntry]) -> list[Group]:
    """By sub-region (in the M49 order, "Other" last), then category, then name."""
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
        for place in sorted(by_place, key=_place_order)
    ]


@bp.get("/directory")
@login_required
def directory():  # type: ignore[no-untyped-def]
    found = entries(db.session)
    form = DirectoryFilter(formdata=request.args)
    form.offer(
        dict.fromkeys(entry.place for entry in found),
        sorted({(entry.category_slug, entry.category) for entry in found}, key=lambda c: c[1]),
    )
    shown = matching(found, form) if form.validate() else found
    page = in_pages(shown, request.args.get("page"), PER_PAGE, PER_PAGE)
    filters = {key: value for key, value in form.data.items() if value}
    return render_template(
        "applications/directory.html",
        form=form,
        page=page,
        filtered=bool(filters),
        total=len(found),
        groups=groups(page_of_partners(db.session, page), admissions(db.session)),
        previous_url=_page_url(filters, page.number - 1) if page.number > 1 else None,
        next_url=_page_url(filters, page.number + 1) if page.number < page.last else None,
    )


def _page_url(filters: dict[str, str], number: int) -> str:
    return url_for("applications.directory", **filters, page=number)
