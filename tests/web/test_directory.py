"""The partner directory: partners by sub-region and category, each with its country,
category, status and the decision that admitted it; partners only, never applicants."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from decisions import application_review, partners, rounds
from decisions.application_models import Application
from decisions.models import DecisionEntry, Partner, PartnerStatus
from tests.conftest import T0
from tests.web.applying import fresh_applying, send


@pytest.fixture(autouse=True)
def letters(ctx, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    yield from fresh_applying(ctx, tmp_path / "letters")


def listing(page: BeautifulSoup, partner: Partner) -> dict[str, Any]:
    """Where the directory shows ``partner``: sub-region, category heading and its cells."""
    row = page.find(id=f"partner-{partner.id}")
    assert row is not None, partner.name
    section = row.find_parent("section")
    return {
        "subregion": section.find("h2").get_text(strip=True),
        "heading": row.find_parent("table").find_previous("h3").get_text(strip=True),
        "cells": [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])],
        "row": row,
    }


def test_founding_partners_by_subregion_and_category(login, make, session):  # type: ignore[no-untyped-def]
    fiji = make.partner("Pacific Voices", country="FJ")
    manila = make.partner("Manila Watch", country="PH", category="supporter")
    jakarta = make.partner("Jakarta Forum", country="ID")
    suspended = make.partner("Quiet Partner", country="PG")
    partners.update_partner(session, None, suspended.id, status="suspended")
    page = login(make.user("observer")).page("/directory")

    assert listing(page, fiji)["subregion"] == "Melanesia"
    assert listing(page, fiji)["cells"] == [
        "Pacific Voices",
        "Fiji",
        "Member",
        "Active",
        "founding partner",
    ]
    assert listing(page, manila)["subregion"] == "South-eastern Asia"
    assert listing(page, manila)["heading"] == "Supporter"
    assert listing(page, jakarta)["heading"] == "Member"
    assert listing(page, suspended)["cells"][3] == "Suspended"
    regions = [h2.get_text(strip=True) for h2 in page.select("main h2")]
    assert regions == ["South-eastern Asia", "Melanesia"]  # in the M49 order
    # Within a sub-region: by category, then by name.
    south_east = page.find("h2", string="South-eastern Asia").find_parent("section")
    assert [h3.get_text(strip=True) for h3 in south_east.select("h3")] == ["Member", "Supporter"]


def test_removed_partners_and_unknown_countries(login, make, session):  # type: ignore[no-untyped-def]
    gone = make.partner("Gone Partner", country="FJ")
    antarctic = make.partner("Antarctic Survey", country="AQ")
    session.get(Partner, gone.id).status = PartnerStatus.REMOVED
    session.commit()
    page = login(make.user("partner")).page("/directory")
    assert page.find(id=f"partner-{gone.id}") is None
    assert listing(page, antarctic)["subregion"] == "Other"


def test_an_admitted_partner_shows_the_decision_that_admitted_it(login, make, web, session):  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    founder_id = make.partner("Founding Partner", country="TH").id
    assert send(web).status_code == 302
    pending = send(web, organisation_name="Still Pending Org")
    assert pending.status_code == 302
    application = session.scalars(
        select(Application).where(Application.organisation_name == "Mekong Early Warning Network")
    ).one()
    application_review.recommend(session, secretariat, application.id, True, "Sound work.")
    proposal = application_review.propose(session, secretariat, application.id)
    round_ = make.open_round(proposal, secretariat, days=7, now=T0, quorum=1)
    rounds.register_position(
        session, secretariat, round_.id, founder_id, "consent", note="By letter", now=T0
    )
    rounds.close_round(session, secretariat, round_.id, now=T0 + timedelta(days=8))
    session.expire_all()
    partner = session.scalars(
        select(Partner).where(Partner.name == "Mekong Early Warning Network")
    ).one()
    decision = session.scalars(select(DecisionEntry)).one()

    reader = login(make.representative(partner))
    page = reader.page("/directory")
    shown = listing(page, partner)
    assert shown["subregion"] == "South-eastern Asia"
    assert shown["cells"][:4] == ["Mekong Early Warning Network", "Cambodia", "Member", "Active"]
    since = shown["row"].find("a")
    assert since["href"] == f"/decisions/{decision.id}"
    assert decision.number in since.get_text()
    assert shown["row"].find("time")["datetime"] == decision.closed_at.isoformat()
    # The decision is in the log for everyone, with the admission among its effects.
    assert "Mekong Early Warning Network" in reader.page(since["href"]).get_text()
    # Applicants are not partners: nothing of them here.
    assert "Still Pending Org" not in page.get_text()


def test_everyone_signed_in_finds_the_directory_in_the_header(login, make):  # type: ignore[no-untyped-def]
    for user in (make.user("observer"), make.user("partner"), make.secretariat()):
        nav = login(user).page("/").find("nav")
        assert nav.find("a", href="/directory"), user.role


def test_an_empty_directory_says_so(login, make):  # type: ignore[no-untyped-def]
    page = login(make.user("observer")).page("/directory")
    assert "No partner is registered yet." in page.find("main").get_text()


def test_the_directory_needs_a_signed_in_user(web):  # type: ignore[no-untyped-def]
    response = web.get("/directory")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_directory_is_filtered_by_subregion_category_and_name(login, make):  # type: ignore[no-untyped-def]
    fiji = make.partner("Pacific Voices", country="FJ")
    manila = make.partner("Manila Watch", country="PH", category="supporter")
    jakarta = make.partner("Jakarta Forum", country="ID")
    reader = login(make.user("observer"))

    def shown(query: str) -> set[str]:
        page = reader.page(f"/directory?{query}")
        return {th.get_text(strip=True) for th in page.select("table.directory th[scope=row]")}

    assert shown("subregion=South-eastern+Asia") == {manila.name, jakarta.name}
    assert shown("category=supporter") == {manila.name}
    assert shown("name=pacific") == {fiji.name}  # any case, any part of the name
    assert shown("subregion=South-eastern+Asia&category=member") == {jakarta.name}
    # A value no partner has, as an old link may carry, matches nobody, and says so.
    page = reader.page("/directory?category=founders")
    assert page.select("table.directory") == []
    assert "No partner matches these filters." in page.get_text()
    # The form offers the sub-regions and categories the partners are in, and keeps the choice.
    form = reader.page("/directory?category=supporter").find("form", role="search")
    places = [
        o["value"] for o in form.find("select", attrs={"name": "subregion"}).find_all("option")
    ]
    assert places == ["", "South-eastern Asia", "Melanesia"]
    assert form.find("option", attrs={"value": "supporter"}).has_attr("selected")


def test_a_long_directory_is_paged_and_the_filters_follow_the_pages(login, make):  # type: ignore[no-untyped-def]
    for n in range(55):
        make.partner(f"Reef Partner {n:02d}", country="FJ")
    make.partner("Island Partner", country="WS")
    reader = login(make.user("observer"))
    first = reader.page("/directory")
    assert len(first.select("table.directory tbody tr")) == 50
    assert "56 partners" in first.get_text()
    second = reader.page(first.find("a", rel="next")["href"])
    assert len(second.select("table.directory tbody tr")) == 6
    assert second.find("a", rel="next") is None
    filtered = reader.page("/directory?name=reef")
    next_url = filtered.find("a", rel="next")["href"]
    assert "name=reef" in next_url and "page=2" in next_url
    assert len(reader.page(next_url).select("table.directory tbody tr")) == 5
