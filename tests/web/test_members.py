"""The Secretariat's administration pages (partners, users, settings), through real forms."""

from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from decisions import rounds, settings, users
from decisions.models import Partner, Partnership, PartnerStatus, Role, User
from tests.conftest import PASSWORD, T0, WebClient, soup_of


def count(session: Any, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def stored_partner(session: Any, name: str) -> Partner | None:
    session.expire_all()
    return session.scalar(select(Partner).where(Partner.name == name))


def stored_user(session: Any, email: str) -> User | None:
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def field_errors(response: Any, name: str) -> list[str]:
    """The error messages shown next to the input called ``name``."""
    soup = soup_of(response)
    control = soup.find(attrs={"name": name})
    box = control.find_parent(class_="field") if control else None
    return [p.get_text(strip=True) for p in box.select("p.error")] if box else []


def row_of(page: BeautifulSoup, text: str) -> list[str]:
    for row in page.select("tbody tr"):
        if row.find("th").get_text(strip=True) == text:
            return [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
    raise AssertionError(f"no row for {text!r}")


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


# Partners ------------------------------------------------------------------------------


def test_partners_page_lists_partners(admin, make):  # type: ignore[no-untyped-def]
    make.partner("Bayanihan Watch", "PH")
    make.partner("Reef Friends", "FJ", category="supporter")
    page = admin.page("/partners")
    assert page.find("h1").get_text(strip=True) == "Partners"
    assert row_of(page, "Bayanihan Watch")[:5] == [
        "Bayanihan Watch",
        "PH",
        "Member",
        "Active",
        "yes",
    ]
    assert row_of(page, "Reef Friends")[:5] == ["Reef Friends", "FJ", "Supporter", "Active", "no"]
    assert page.find("a", href="/partners/new").get_text(strip=True) == "Register a partner"
    assert page.select_one("div.table-wrap table")


def test_register_a_partner(admin, session):  # type: ignore[no-untyped-def]
    form = admin.page("/partners/new")
    assert form.find("select", attrs={"name": "country"}).find("option", value="PG")
    assert [o["value"] for o in form.select("select[name=category] option")] == [
        "member",
        "supporter",
        "focal_point",
        "observer",
    ]
    response = admin.submit(
        "/partners/new", {"name": "  Highlands Peace Forum ", "country": "PG", "category": "member"}
    )
    assert response.status_code == 302
    partner = stored_partner(session, "Highlands Peace Forum")
    assert partner is not None
    assert (partner.country, partner.category.slug, partner.status) == ("PG", "member", "active")
    page = admin.page("/partners")
    assert "Highlands Peace Forum is registered." in page.select_one(".flash").get_text()
    assert row_of(page, "Highlands Peace Forum")[4] == "yes"


def test_edit_a_partner(admin, make, session):  # type: ignore[no-untyped-def]
    partner = make.partner("Old Name", "PH")
    url = f"/partners/{partner.id}/edit"
    form = admin.page(url)
    assert form.find("input", attrs={"name": "name"})["value"] == "Old Name"
    assert form.select_one("select[name=country] option[selected]")["value"] == "PH"
    response = admin.submit(
        url, {"name": "New Name", "country": "TL", "category": "focal_point", "status": "active"}
    )
    assert response.status_code == 302
    session.expire_all()
    partner = session.get(Partner, partner.id)
    assert (partner.name, partner.country, partner.category.slug) == (
        "New Name",
        "TL",
        "focal_point",
    )
    assert row_of(admin.page("/partners"), "New Name")[2:5] == ["Focal point", "Active", "no"]


def confirm_status(admin: WebClient, partner: Partner, label: str) -> BeautifulSoup:
    """Follow the partner's status link on the partners page to its confirmation page."""
    page = admin.page("/partners")
    row = page.find(id=f"partner-{partner.id}")
    link = next((a for a in row.find_all("a") if a.get_text(strip=True).startswith(label)), None)
    assert link is not None, f"no {label} link for {partner.name}"
    return admin.page(link["href"])


def test_suspend_and_reactivate_a_partner_after_confirming(admin, make, session):  # type: ignore[no-untyped-def]
    partner = make.partner("Mindanao Dialogue")
    url = f"/partners/{partner.id}/status"
    confirm = confirm_status(admin, partner, "Suspend")
    # Asking changes nothing.
    assert stored_partner(session, "Mindanao Dialogue").status == PartnerStatus.ACTIVE
    assert confirm.h1.get_text(strip=True) == "Suspend Mindanao Dialogue?"
    assert "no voice in the decision rounds opened while it is suspended" in confirm.get_text()
    form = confirm.find("form", action=url)
    assert form.find("input", attrs={"name": "status"})["value"] == "suspended"
    assert form.find("button").get_text(strip=True) == "Suspend Mindanao Dialogue"
    assert form.find("a", string="Cancel")["href"] == "/partners"
    response = admin.submit(url, {"status": "suspended"}, form_url=f"{url}?status=suspended")
    assert response.status_code == 302
    assert stored_partner(session, "Mindanao Dialogue").status == PartnerStatus.SUSPENDED
    page = admin.page("/partners")
    assert row_of(page, "Mindanao Dialogue")[3:5] == ["Suspended", "no"]
    confirm = confirm_status(admin, partner, "Reactivate")
    assert confirm.h1.get_text(strip=True) == "Reactivate Mindanao Dialogue?"
    response = admin.submit(url, {"status": "active"}, form_url=f"{url}?status=active")
    assert response.status_code == 302
    assert stored_partner(session, "Mindanao Dialogue").status == PartnerStatus.ACTIVE


def test_a_status_change_not_on_offer_is_not_asked(admin, make, session):  # type: ignore[no-untyped-def]
    partner = make.partner("Already Active")
    for query in ("?status=active", "?status=removed", "?status=dormant", ""):
        response = admin.get(f"/partners/{partner.id}/status{query}")
        assert response.status_code == 409, query
        page = soup_of(response)
        assert page.find("button", string=lambda t: bool(t) and "Suspend" in t) is None
        assert "This change is not offered now." in page.get_text()
        assert "Already Active: Active" in page.get_text()
    assert stored_partner(session, "Already Active").status == PartnerStatus.ACTIVE
    assert admin.get("/partners/999999/status?status=suspended").status_code == 404


def test_status_change_refused_shows_on_the_confirmation_page(admin, make, session):  # type: ignore[no-untyped-def]
    partner = make.partner("Status Keeper")
    url = f"/partners/{partner.id}/status"
    response = admin.submit(url, {"status": "dormant"}, f"{url}?status=suspended")
    assert response.status_code == 422
    assert "Choose one of: active, suspended, removed." in soup_of(response).get_text()
    assert stored_partner(session, "Status Keeper").status == PartnerStatus.ACTIVE


def removed_partner(session: Any, make: Any, secretariat: User, name: str) -> Partner:
    """A partner removed the one way there is: an adopted removal proposal."""
    voter = make.partners(2)[0]
    partner = make.partner(name)
    proposal = make.proposal(secretariat, kind="removal", subject={"partner_id": partner.id})
    round_ = make.open_round(proposal, secretariat, quorum=1)
    rounds.register_position(
        session, secretariat, round_.id, voter.id, "consent", note="By letter", now=T0
    )
    rounds.close_round(session, secretariat, round_.id, now=T0 + timedelta(days=8))
    assert stored_partner(session, name).status == PartnerStatus.REMOVED
    return partner


def test_the_edit_form_changes_no_status(admin, make, session):  # type: ignore[no-untyped-def]
    """Suspending asks once more, so the edit form only links to that step."""
    partner = make.partner("Still Here")
    url = f"/partners/{partner.id}/edit"
    page = admin.page(url)
    assert page.find(attrs={"name": "status"}) is None
    status = page.find(id="partner-status-shown").find_parent("section")
    assert "Active" in status.get_text()
    link = status.find("a", string=lambda t: bool(t) and "Suspend" in t)
    assert link["href"] == f"/partners/{partner.id}/status?status=suspended"
    assert "Removal happens only by a decision of the partnership" in status.get_text()
    data = {"name": "Still Here", "country": "PH", "category": "member", "status": "suspended"}
    assert admin.submit(url, data).status_code == 302
    assert stored_partner(session, "Still Here").status == PartnerStatus.ACTIVE


def test_removal_by_the_status_button_is_refused(admin, make, session):  # type: ignore[no-untyped-def]
    partner = make.partner("Not By Hand")
    url = f"/partners/{partner.id}/status"
    response = admin.submit(url, {"status": "removed"}, f"{url}?status=suspended")
    assert response.status_code == 422
    text = soup_of(response).get_text(" ", strip=True)
    assert "A partner is removed only by decision: propose its removal." in text
    assert stored_partner(session, "Not By Hand").status == PartnerStatus.ACTIVE


def test_a_removed_partners_status_is_shown_not_edited(admin, make, session, secretariat):  # type: ignore[no-untyped-def]
    partner = removed_partner(session, make, secretariat, "Gone Partner")
    url = f"/partners/{partner.id}/edit"
    page = admin.page(url)
    assert page.find(attrs={"name": "status"}) is None
    shown = page.find(id="partner-status-shown").find_parent("section")
    assert "Removed" in shown.get_text(" ", strip=True)
    assert "returns only by a decision of the partnership" in shown.get_text()
    assert shown.find("a", href=lambda h: bool(h) and "/status" in h) is None
    row = row_of(admin.page("/partners"), "Gone Partner")
    assert row[3] == "Removed"
    assert (
        admin.page("/partners")
        .find(id=f"partner-{partner.id}")
        .find("a", href=lambda h: bool(h) and "/status" in h)
        is None
    )
    # Its details may still be corrected; its status stays what the decision made it.
    data = {"name": "Gone Partner (former)", "country": "PH", "category": "member"}
    assert admin.submit(url, data).status_code == 302
    partner = stored_partner(session, "Gone Partner (former)")
    assert partner is not None and partner.status == PartnerStatus.REMOVED


@pytest.mark.parametrize("status", ["active", "suspended"])
def test_a_removed_partner_is_not_brought_back_by_hand(admin, make, session, secretariat, status):  # type: ignore[no-untyped-def]
    partner = removed_partner(session, make, secretariat, "Gone For Good")
    url = f"/partners/{partner.id}/status"
    assert admin.get(f"{url}?status={status}").status_code == 409
    button = admin.submit(url, {"status": status}, form_url="/partners")
    assert button.status_code == 422
    text = soup_of(button).get_text(" ", strip=True)
    assert "A removed partner returns only by decision: propose its admission." in text
    assert stored_partner(session, "Gone For Good").status == PartnerStatus.REMOVED


def test_partner_refusals_change_nothing(admin, make, session):  # type: ignore[no-untyped-def]
    make.partner("Taken Name")
    before = count(session, Partner)
    duplicate = admin.submit(
        "/partners/new", {"name": "taken name", "country": "PH", "category": "member"}
    )
    assert duplicate.status_code == 422
    assert field_errors(duplicate, "name") == ["A partner with this name exists already."]
    bad_country = admin.submit(
        "/partners/new", {"name": "Fresh", "country": "XX", "category": "member"}
    )
    assert bad_country.status_code == 422
    assert field_errors(bad_country, "country") == ["Not a valid choice."]
    no_country = admin.submit(
        "/partners/new", {"name": "Fresh", "country": "", "category": "member"}
    )
    assert field_errors(no_country, "country") == ["This field is required."]
    no_name = admin.submit("/partners/new", {"name": "", "country": "PH", "category": "member"})
    assert field_errors(no_name, "name") == ["This field is required."]
    assert count(session, Partner) == before
    assert stored_partner(session, "Fresh") is None


def test_partner_edit_refused_changes_nothing(admin, make, session):  # type: ignore[no-untyped-def]
    make.partner("First")
    second = make.partner("Second", "FJ")
    url = f"/partners/{second.id}/edit"
    response = admin.submit(
        url, {"name": "FIRST", "country": "PG", "category": "member", "status": "active"}
    )
    assert response.status_code == 422
    assert field_errors(response, "name") == ["A partner with this name exists already."]
    partner = stored_partner(session, "Second")
    assert (partner.name, partner.country) == ("Second", "FJ")
    assert admin.get("/partners/9999/edit").status_code == 404


# Users ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "partner", "observer"])
def test_create_a_user_of_each_role(admin, make, session, role):  # type: ignore[no-untyped-def]
    partner = make.partner("Speaking Partner")
    data = {
        "email": f"New.{role}@Example.org",
        "name": f"New {role}",
        "role": role,
        "partner_id": str(partner.id) if role == "partner" else "",
        "password": "a long enough password",
        "time_zone": "Pacific/Fiji",
    }
    response = admin.submit("/users/new", data)
    assert response.status_code == 302, soup_of(response).get_text()
    user = stored_user(session, f"new.{role}@example.org")
    assert user is not None and user.active
    assert (user.role, user.time_zone) == (Role(role), "Pacific/Fiji")
    assert user.partner_id == (partner.id if role == "partner" else None)
    expected_role = {"secretariat": "Secretariat", "partner": "Partner representative"}
    cells = row_of(admin.page("/users"), f"New {role}")
    assert cells[1:5] == [
        f"new.{role}@example.org",
        expected_role.get(role, "Observer"),
        "Speaking Partner" if role == "partner" else "",
        "yes",
    ]
    signed_in = WebClient(admin.client.application.test_client())
    assert (
        signed_in.submit(
            "/login", {"email": user.email, "password": "a long enough password"}
        ).status_code
        == 302
    )


def test_user_refusals_change_nothing(admin, make, session, secretariat):  # type: ignore[no-untyped-def]
    partner = make.partner()
    before = count(session, User)
    base = {
        "name": "Someone",
        "role": "observer",
        "partner_id": "",
        "password": "",
        "time_zone": "",
    }
    duplicate = admin.submit("/users/new", {**base, "email": secretariat.email.upper()})
    assert duplicate.status_code == 422
    assert field_errors(duplicate, "email") == ["A user with this e-mail exists already."]
    no_partner = admin.submit("/users/new", {**base, "email": "rep@example.org", "role": "partner"})
    assert no_partner.status_code == 422
    assert field_errors(no_partner, "partner_id") == [
        "A partner representative must belong to a partner."
    ]
    observer_with_partner = admin.submit(
        "/users/new", {**base, "email": "obs@example.org", "partner_id": str(partner.id)}
    )
    assert field_errors(observer_with_partner, "partner_id") == [
        "Only a partner representative belongs to a partner."
    ]
    short_password = admin.submit(
        "/users/new", {**base, "email": "pw@example.org", "password": "short"}
    )
    assert short_password.status_code == 422
    assert field_errors(short_password, "password")
    bad_email = admin.submit("/users/new", {**base, "email": "not-an-address"})
    assert field_errors(bad_email, "email") == ["An e-mail address."]
    assert count(session, User) == before


def test_edit_a_user(admin, make, session):  # type: ignore[no-untyped-def]
    partner = make.partner("Island Voices")
    user = make.user("observer")
    url = f"/users/{user.id}/edit"
    form = admin.page(url)
    assert form.find("input", attrs={"name": "active"}).has_attr("checked")
    response = admin.submit(
        url,
        {
            "name": "Renamed",
            "role": "partner",
            "partner_id": str(partner.id),
            "time_zone": "Asia/Manila",
            "active": "y",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    user = session.get(User, user.id)
    assert (user.name, user.role, user.partner_id, user.time_zone, user.active) == (
        "Renamed",
        Role.PARTNER,
        partner.id,
        "Asia/Manila",
        True,
    )


def test_user_edit_refused_changes_nothing(admin, make, session, secretariat):  # type: ignore[no-untyped-def]
    user = make.user("observer")
    name = user.name
    response = admin.submit(
        f"/users/{user.id}/edit",
        {"name": "Renamed", "role": "partner", "partner_id": "", "time_zone": "", "active": "y"},
    )
    assert response.status_code == 422
    assert field_errors(response, "partner_id") == [
        "A partner representative must belong to a partner."
    ]
    session.expire_all()
    assert (session.get(User, user.id).name, session.get(User, user.id).role) == (
        name,
        Role.OBSERVER,
    )
    yourself = admin.submit(
        f"/users/{secretariat.id}/edit",
        {"name": secretariat.name, "role": "secretariat", "partner_id": "", "time_zone": ""},
    )
    assert yourself.status_code == 422
    assert field_errors(yourself, "active") == ["You cannot suspend yourself."]
    assert stored_user(session, secretariat.email).active
    assert admin.get("/users/9999/edit").status_code == 404


def test_secretariat_sets_a_password(admin, make, web, session):  # type: ignore[no-untyped-def]
    """A user created without a password gets one from the Secretariat and can sign in."""
    user = users.create_user(session, None, "newcomer@example.org", "Newcomer", "observer")
    url = f"/users/{user.id}/edit"
    data = {
        "name": "Newcomer",
        "role": "observer",
        "partner_id": "",
        "time_zone": "",
        "active": "y",
    }
    short = admin.submit(url, {**data, "password": "short"})
    assert short.status_code == 422
    assert field_errors(short, "password")
    session.expire_all()
    assert stored_user(session, "newcomer@example.org").password_hash == ""
    assert admin.submit(url, {**data, "password": "a brand new password"}).status_code == 302
    assert (
        web.submit(
            "/login", {"email": "newcomer@example.org", "password": "a brand new password"}
        ).status_code
        == 302
    )


def _suspend(admin: WebClient, user: User) -> None:
    response = admin.submit(
        f"/users/{user.id}/edit",
        {
            "name": user.name,
            "role": user.role.value,
            "partner_id": str(user.partner_id or ""),
            "time_zone": "",
        },
    )
    assert response.status_code == 302


def test_a_suspended_user_cannot_sign_in(admin, make, web, session):  # type: ignore[no-untyped-def]
    user = make.user("observer")
    email = user.email
    _suspend(admin, user)
    assert not stored_user(session, email).active
    assert row_of(admin.page("/users"), user.name)[4] == "suspended"
    response = web.submit("/login", {"email": email, "password": PASSWORD})
    assert response.status_code != 302
    assert "Wrong e-mail or password." in soup_of(response).get_text()
    assert web.get("/").status_code == 302


def test_suspension_ends_a_representatives_session(admin, login, make):  # type: ignore[no-untyped-def]
    rep = make.representative(make.partner())
    rep_web = login(rep)
    assert rep_web.get("/").status_code == 200
    _suspend(admin, rep)
    response = rep_web.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# Settings ------------------------------------------------------------------------------


def test_settings_page_shows_the_settings_and_categories(admin):  # type: ignore[no-untyped-def]
    page = admin.page("/settings")
    assert page.find("input", attrs={"name": "name"})["value"] == "Coral Sea Prevention Partnership"
    assert page.find("input", attrs={"name": "reminder_offsets_hours"})["value"] == "72, 24, 3"
    assert page.select_one("select[name=time_zone] option[value='Asia/Manila']")
    categories = page.find(id="categories").find_parent("section")
    assert [r.get_text(" ", strip=True) for r in categories.select("tbody tr")] == [
        "Member member yes yes",
        "Supporter supporter no yes",
        "Focal point focal_point no yes",
        "Observer observer no yes",
    ]


def test_settings_save(admin, session):  # type: ignore[no-untyped-def]
    response = admin.submit(
        "/settings",
        settings_data(
            name="Pacific Network",
            time_zone="Pacific/Fiji",
            default_quorum="2",
            reminder_offsets_hours="24 ,72;3 3",
            regional_focus="pg, fj  PH,FJ",
        ),
    )
    assert response.status_code == 302
    session.expire_all()
    partnership = session.get(Partnership, 1)
    assert (partnership.name, partnership.time_zone, partnership.default_quorum) == (
        "Pacific Network",
        "Pacific/Fiji",
        2,
    )
    assert partnership.reminder_offsets_hours == [72, 24, 3]
    assert partnership.regional_focus == ["FJ", "PG", "PH"]
    page = admin.page("/settings")
    assert "The settings are saved." in page.select_one(".flash").get_text()
    assert page.find("input", attrs={"name": "regional_focus"})["value"] == "FJ, PG, PH"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"reminder_offsets_hours": "72, soon"},
            "reminder_offsets_hours",
            "Whole numbers of hours separated by commas, e.g. 72, 24, 3.",
        ),
        (
            {"reminder_offsets_hours": "0, 24"},
            "reminder_offsets_hours",
            "Each offset is a whole number of hours between 1 and 1440.",
        ),
        ({"default_quorum": "-1"}, "default_quorum", "A whole number, zero or more."),
        ({"default_quorum": "many"}, "default_quorum", "Not a valid integer value."),
        ({"regional_focus": "PH, Fiji"}, "regional_focus", "A two-letter ISO 3166 country code."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_settings_refusals_change_nothing(admin, session, changes, field, message):  # type: ignore[no-untyped-def]
    response = admin.submit("/settings", settings_data(**{"name": "Changed Name", **changes}))
    assert response.status_code == 422
    assert message in field_errors(response, field)
    session.expire_all()
    partnership = session.get(Partnership, 1)
    assert partnership.name == "Coral Sea Prevention Partnership"
    assert (partnership.default_quorum, partnership.reminder_offsets_hours) == (0, [72, 24, 3])
    assert partnership.regional_focus == []


def _log_a_decision(session: Any, make: Any, secretariat: User) -> None:
    make.partner()
    proposal = make.proposal(secretariat)
    round_ = make.open_round(proposal, secretariat)
    rounds.close_round(session, secretariat, round_.id, now=T0 + timedelta(days=8))


def test_focus_changes_by_decision_once_the_log_has_an_entry(admin, make, session, secretariat):  # type: ignore[no-untyped-def]
    settings.update_settings(session, None, regional_focus=["PH"])
    _log_a_decision(session, make, secretariat)
    page = admin.page("/settings")
    assert page.find(attrs={"name": "regional_focus"}) is None
    focus = page.find(id="regional-focus").get_text(" ", strip=True)
    assert "PH" in focus and "changes by decision" in focus
    # A page opened before the first decision still carries the field: the service refuses.
    response = admin.submit("/settings", settings_data(regional_focus="PH FJ", default_quorum="1"))
    assert response.status_code == 422
    error = soup_of(response).find(id="regional-focus").select_one("p.error").get_text(strip=True)
    assert error.startswith("The decision log is no longer empty")
    session.expire_all()
    assert session.get(Partnership, 1).regional_focus == ["PH"]
    assert session.get(Partnership, 1).default_quorum == 0
    # The rest of the settings still save, and the focus is left as it is.
    saved = admin.submit(
        "/settings",
        {k: v for k, v in settings_data(default_quorum="1").items() if k != "regional_focus"},
    )
    assert saved.status_code == 302
    session.expire_all()
    assert (
        session.get(Partnership, 1).default_quorum,
        session.get(Partnership, 1).regional_focus,
    ) == (1, ["PH"])


# Access --------------------------------------------------------------------------------

PAGES = [
    "/partners",
    "/partners/new",
    "/partners/{partner}/edit",
    "/users",
    "/users/new",
    "/users/{user}/edit",
    "/settings",
]
POSTS = [
    "/partners/new",
    "/partners/{partner}/edit",
    "/partners/{partner}/status",
    "/users/new",
    "/users/{user}/edit",
    "/settings",
]


@pytest.mark.parametrize("role", ["partner", "observer"])
def test_only_the_secretariat_may_administer(login, make, session, role):  # type: ignore[no-untyped-def]
    partner = make.partner("Unchanged")
    someone = make.user(role, partner if role == "partner" else None)
    client = login(someone)
    ids = {"partner": partner.id, "user": someone.id}
    for url in PAGES:
        assert client.get(url.format(**ids)).status_code == 403, url
    before = (count(session, Partner), count(session, User))
    data = {
        "name": "Hijack",
        "country": "PH",
        "category": "member",
        "status": "removed",
        "email": "x@example.org",
        "role": "secretariat",
        "partner_id": "",
        "time_zone": "",
        **settings_data(name="Hijack", default_quorum="3"),
    }
    for url in POSTS:
        # The token comes from the home page, which this user may see: CSRF is satisfied,
        # so the refusal is the role check.
        assert client.submit(url.format(**ids), data, form_url="/").status_code == 403, url
    assert (count(session, Partner), count(session, User)) == before
    assert stored_partner(session, "Unchanged").status == PartnerStatus.ACTIVE
    assert stored_user(session, someone.email).role == Role(role)
    assert session.get(Partnership, 1).name == "Coral Sea Prevention Partnership"
    assert session.get(Partnership, 1).default_quorum == 0


def test_signed_out_visitors_are_sent_to_sign_in(web):  # type: ignore[no-untyped-def]
    for url in ("/partners", "/users", "/settings"):
        response = web.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_admin_pages_have_one_h1_and_labelled_inputs(admin, make):  # type: ignore[no-untyped-def]
    partner = make.partner()
    user = make.user("observer")
    for url in (
        "/partners",
        "/partners/new",
        f"/partners/{partner.id}/edit",
        "/users",
        "/users/new",
        f"/users/{user.id}/edit",
        "/settings",
    ):
        page = admin.page(url)
        assert len(page.find_all("h1")) == 1, url
        for control in page.select("main input:not([type=hidden]), main select"):
            assert page.find("label", attrs={"for": control["id"]}), (url, control)
        for table in page.select("main table"):
            assert table.find_parent(class_="table-wrap") and table.find("th"), url
