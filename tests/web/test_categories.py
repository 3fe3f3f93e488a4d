"""Membership categories added, edited and retired by the Secretariat, and the settings
page's rule for the regional focus: set directly while the log is empty, by decision
afterwards."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from decisions import rounds
from decisions.countries import SUBREGIONS
from decisions.models import Category, Partner, Partnership, Round
from tests.conftest import T0, soup_of
from tests.web.applying import apply_data, fresh_applying, post_form, stored


@pytest.fixture(autouse=True)
def letters(ctx, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    yield from fresh_applying(ctx, tmp_path / "letters")


def category(session: Any, slug: str) -> Category:
    session.expire_all()
    return session.scalars(select(Category).where(Category.slug == slug)).one()


def field_errors(response: Any, name: str) -> list[str]:
    control = soup_of(response).find(attrs={"name": name})
    box = control.find_parent(class_="field") if control else None
    return [p.get_text(strip=True) for p in box.select("p.error")] if box else []


# Categories ------------------------------------------------------------------------------


def test_the_categories_page_lists_them_and_says_what_a_change_affects(admin):  # type: ignore[no-untyped-def]
    settings = admin.page("/settings")
    link = settings.find("a", string="Add, edit or retire membership categories")
    page = admin.page(link["href"])
    rows = [r.get_text(" ", strip=True) for r in page.select("tbody tr")]
    assert rows == [
        "Member member yes yes Edit Member Retire Member",
        "Supporter supporter no yes Edit Supporter Retire Supporter",
        "Focal point focal_point no yes Edit Focal point Retire Focal point",
        "Observer observer no yes Edit Observer Retire Observer",
    ]
    assert "only decision rounds opened afterwards" in page.select_one(".notice").get_text()


def test_renaming_and_giving_a_voice_reach_only_later_rounds(admin, make, session, secretariat):  # type: ignore[no-untyped-def]
    member = make.partner("Voice Already", category="member")
    supporter = make.partner("Quiet Supporter", category="supporter")
    earlier = make.open_round(make.proposal(secretariat), secretariat, now=T0)
    supporters = category(session, "supporter")
    url = f"/settings/categories/{supporters.id}"
    form = admin.page(url).find("form", attrs={"action": url})
    assert form.find("input", attrs={"name": "name"})["value"] == "Supporter"
    assert not form.find("input", attrs={"name": "has_standing"}).has_attr("checked")

    response = admin.submit(url, {"name": "Associate", "has_standing": "y"})
    assert response.status_code == 302
    saved = category(session, "supporter")
    assert (saved.name, saved.has_standing) == ("Associate", True)
    assert "Associate" in admin.page("/settings/categories").find("tbody").get_text()

    later = make.open_round(make.proposal(secretariat), secretariat, now=T0 + timedelta(days=1))
    session.expire_all()
    assert session.get(Round, earlier.id).electorate == [member.id]
    assert session.get(Round, later.id).electorate == sorted([member.id, supporter.id])

    # Unticking takes the voice away again, for rounds opened afterwards.
    assert admin.submit(url, {"name": "Associate"}).status_code == 302
    assert category(session, "supporter").has_standing is False


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 201, "200"),
        ("member", "A category with this name exists already."),
    ],
)
def test_a_bad_name_is_refused_and_nothing_changed(admin, session, name, message):  # type: ignore[no-untyped-def]
    supporters = category(session, "supporter")
    url = f"/settings/categories/{supporters.id}"
    response = admin.submit(url, {"name": name, "has_standing": "y"})
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, "name"))
    unchanged = category(session, "supporter")
    assert (unchanged.name, unchanged.has_standing) == ("Supporter", False)


@pytest.mark.parametrize("role", ["partner", "observer"])
def test_only_the_secretariat_edits_categories(login, make, session, role):  # type: ignore[no-untyped-def]
    reader = login(make.user(role))
    supporters = category(session, "supporter")
    assert reader.get("/settings/categories").status_code == 403
    assert reader.get(f"/settings/categories/{supporters.id}").status_code == 403
    token = reader.page("/").find("input", attrs={"name": "csrf_token"})["value"]
    response = reader.client.post(
        f"/settings/categories/{supporters.id}",
        data={"csrf_token": token, "name": "Hijacked", "has_standing": "y"},
    )
    assert response.status_code == 403
    assert category(session, "supporter").name == "Supporter"


def test_unknown_categories_are_not_found(admin):  # type: ignore[no-untyped-def]
    for url in ("/settings/categories/999", "/settings/categories/99999999999999999999"):
        assert admin.get(url).status_code == 404, url


def test_a_category_is_added_with_a_slug_made_from_its_name(admin, make, session, secretariat):  # type: ignore[no-untyped-def]
    member = make.partner("Voice Already", category="member")
    earlier = make.open_round(make.proposal(secretariat), secretariat, now=T0)
    form = admin.page("/settings/categories").find("form", attrs={"action": "/settings/categories"})
    assert form.find("input", attrs={"name": "name"}) is not None
    assert form.find("input", attrs={"name": "has_standing", "type": "checkbox"}) is not None

    response = admin.submit("/settings/categories", {"name": "NGO Supporters", "has_standing": "y"})
    assert response.status_code == 302
    added = category(session, "ngo_supporters")
    assert (added.name, added.has_standing, added.retired) == ("NGO Supporters", True, False)
    assert response.headers["Location"] == f"/settings/categories#category-{added.id}"
    row = admin.page("/settings/categories").find(id=f"category-{added.id}")
    assert row.get_text(" ", strip=True).startswith("NGO Supporters ngo_supporters yes yes")
    # Offered at once to applicants and partners; rounds opened later count its voice.
    assert "ngo_supporters" in [
        o["value"] for o in admin.page("/apply").select("select[name=category] option")
    ]
    newcomer = make.partner("Newcomer", category="ngo_supporters")
    later = make.open_round(make.proposal(secretariat), secretariat, now=T0 + timedelta(days=1))
    session.expire_all()
    assert session.get(Round, earlier.id).electorate == [member.id]
    assert session.get(Round, later.id).electorate == sorted([member.id, newcomer.id])


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "This field is required."), ("Observer", "A category with this name exists already.")],
)
def test_a_category_with_a_bad_name_is_not_added(admin, session, name, message):  # type: ignore[no-untyped-def]
    response = admin.submit("/settings/categories", {"name": name})
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, "name"))
    session.expire_all()
    assert len(session.scalars(select(Category)).all()) == 4


def test_retiring_asks_once_more_and_takes_the_category_off_the_form(
    admin, make, session, secretariat
):  # type: ignore[no-untyped-def]
    supporter = make.partner("Quiet Supporter", country="PH", category="supporter")
    supporters = category(session, "supporter")
    url = f"/settings/categories/{supporters.id}/retire"
    link = (
        admin.page("/settings/categories").find(id=f"category-{supporters.id}").find("a", href=url)
    )
    assert link.get_text(" ", strip=True) == "Retire Supporter"
    question = admin.page(url)
    assert question.find("h1").get_text(strip=True) == "Retire the category Supporter?"
    assert "Its partners keep it" in question.select_one(".confirm-warning").get_text()
    cancel = question.find("form", attrs={"action": url}).find("a")
    assert cancel["href"] == "/settings/categories"
    assert category(session, "supporter").retired is False  # asking changed nothing

    response = admin.submit(url, {"retired": "yes"})
    assert response.status_code == 302
    assert category(session, "supporter").retired is True
    row = admin.page("/settings/categories").find(id=f"category-{supporters.id}")
    assert (
        "no: retired" in row.get_text()
        and row.find("a", href=url).get_text(" ", strip=True) == "Bring back Supporter"
    )
    # Off the application form; its partner keeps it, and the directory still lists it.
    offered = [o["value"] for o in admin.page("/apply").select("select[name=category] option")]
    assert offered == ["member", "focal_point", "observer"]
    session.expire_all()
    assert session.get(Partner, supporter.id).category.slug == "supporter"
    listed = admin.page("/directory").find(id=f"partner-{supporter.id}")
    assert listed is not None and "Supporter" in listed.get_text()
    # Sending the same form again changes nothing more.
    assert admin.submit(url, {"retired": "yes"}, "/settings/categories").status_code == 302
    assert category(session, "supporter").retired is True

    back = admin.page(url)
    assert back.find("h1").get_text(strip=True) == "Bring the category Supporter back?"
    assert admin.submit(url, {"retired": "no"}).status_code == 302
    assert category(session, "supporter").retired is False


def test_an_application_for_a_retired_category_is_refused_on_its_field(admin, web, session):  # type: ignore[no-untyped-def]
    page_before = web.page("/apply")  # a form opened before the category was retired
    token = page_before.find("input", attrs={"name": "csrf_token"})["value"]
    supporters = category(session, "supporter")
    admin.submit(f"/settings/categories/{supporters.id}/retire", {"retired": "yes"})
    response = post_form(web, "/apply", {"csrf_token": token, **apply_data(category="supporter")})
    assert response.status_code == 422
    assert field_errors(response, "category") == ["Choose a category from the list."]
    assert stored(session) == 0


@pytest.mark.parametrize("role", ["partner", "observer"])
def test_only_the_secretariat_adds_and_retires_categories(login, make, session, role):  # type: ignore[no-untyped-def]
    reader = login(make.user(role))
    supporters = category(session, "supporter")
    token = reader.page("/").find("input", attrs={"name": "csrf_token"})["value"]
    url = f"/settings/categories/{supporters.id}/retire"
    assert reader.get(url).status_code == 403
    added = reader.client.post(
        "/settings/categories", data={"csrf_token": token, "name": "Hijackers"}
    )
    retired = reader.client.post(url, data={"csrf_token": token, "retired": "yes"})
    assert (added.status_code, retired.status_code) == (403, 403)
    session.expire_all()
    assert len(session.scalars(select(Category)).all()) == 4
    assert category(session, "supporter").retired is False


def test_retiring_an_unknown_category_is_not_found(admin):  # type: ignore[no-untyped-def]
    assert admin.get("/settings/categories/999/retire").status_code == 404


# The regional focus on the settings page -------------------------------------------------


def settings_data(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Coral Sea Prevention Partnership",
        "time_zone": "UTC",
        "default_quorum": "0",
        "reminder_offsets_hours": "72, 24, 3",
        "regional_focus": "",
    }
    data.update(changes)
    return data


def focus(session: Any) -> list[str]:
    session.expire_all()
    return session.get(Partnership, 1).regional_focus


def test_the_founding_focus_is_chosen_by_country_and_subregion(admin, session):  # type: ignore[no-untyped-def]
    page = admin.page("/settings")
    boxes = page.find_all("input", attrs={"name": "focus_subregions"})
    assert [b["value"] for b in boxes] == list(SUBREGIONS)
    response = admin.submit(
        "/settings", settings_data(regional_focus="PH", focus_subregions=["Melanesia"])
    )
    assert response.status_code == 302
    assert focus(session) == sorted({"PH", *SUBREGIONS["Melanesia"]})
    shown = admin.page("/settings").find(id="regional-focus").get_text(" ", strip=True)
    assert "Melanesia: Fiji (FJ)" in shown and "Philippines (PH)" in shown


def test_an_unknown_subregion_is_refused(admin, session):  # type: ignore[no-untyped-def]
    response = admin.submit("/settings", settings_data(focus_subregions=["Atlantis"]))
    assert response.status_code == 422
    assert field_errors(response, "focus_subregions") == ["Choose sub-regions from the list."]
    assert focus(session) == []


def test_after_the_first_decision_the_focus_changes_by_proposal(admin, make, session, secretariat):  # type: ignore[no-untyped-def]
    make.partner()
    round_ = make.open_round(make.proposal(secretariat), secretariat, now=T0)
    rounds.close_round(session, secretariat, round_.id, now=T0 + timedelta(days=8))
    page = admin.page("/settings")
    box = page.find(id="regional-focus")
    assert page.find(attrs={"name": "focus_subregions"}) is None
    assert "changes by decision" in box.get_text()
    link = box.find("a", string="Propose a new regional focus")
    assert link["href"] == "/proposals/new?kind=regional_focus"
    new = admin.page(link["href"])
    assert new.select_one("select[name=kind] option[selected]")["value"] == "regional_focus"
    # A form opened before the decision still sends sub-regions: refused, nothing changed.
    response = admin.submit("/settings", settings_data(focus_subregions=["Polynesia"]))
    assert response.status_code == 422
    assert focus(session) == []


def test_a_kind_asked_for_that_does_not_exist_opens_a_general_proposal(admin):  # type: ignore[no-untyped-def]
    page = admin.page("/proposals/new?kind=coup")
    assert page.select_one("select[name=kind] option[selected]")["value"] == "general"
