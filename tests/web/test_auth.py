"""Signing in and out, the account page, the home page: through real HTML forms."""

from datetime import timedelta

import time_machine

from decisions import rounds
from decisions.db import db
from decisions.models import User
from tests.conftest import PASSWORD, T0, WebClient, soup_of


def test_sign_in_and_out(web, make):  # type: ignore[no-untyped-def]
    user = make.secretariat()
    response = web.login(user)
    assert response.headers["Location"] == "/"
    home = web.page("/")
    assert home.find("h1").get_text(strip=True) == f"Welcome, {user.name}"
    logout = web.submit("/logout", {}, form_url="/")
    assert logout.status_code == 302
    assert web.get("/").status_code == 302  # back to the sign-in page


def test_failed_sign_in_does_not_say_whether_the_email_exists(web, make):  # type: ignore[no-untyped-def]
    user = make.secretariat()
    wrong_password = web.submit("/login", {"email": user.email, "password": "nope nope"})
    unknown_email = web.submit("/login", {"email": "nobody@example.org", "password": "nope nope"})
    messages = [
        soup_of(r).select_one(".errors").get_text(strip=True)
        for r in (wrong_password, unknown_email)
    ]
    assert messages[0] == messages[1] == "Wrong e-mail or password."
    assert wrong_password.status_code == unknown_email.status_code == 422
    assert web.get("/").status_code == 302


def test_forms_refuse_a_post_without_csrf_token(web, make):  # type: ignore[no-untyped-def]
    user = make.secretariat()
    response = web.client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    assert web.get("/").status_code == 302


def test_pages_need_a_signed_in_user(web):  # type: ignore[no-untyped-def]
    for url in ("/", "/proposals", "/decisions", "/account"):
        response = web.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_pages_have_landmarks_and_labels(web, make):  # type: ignore[no-untyped-def]
    page = web.page("/login")
    assert page.find("html")["lang"] == "en"
    assert page.find("main") and page.find("header")
    assert page.find("meta", attrs={"name": "viewport"})
    for field in page.select("input:not([type=hidden])"):
        assert page.find("label", attrs={"for": field["id"]}), field


def test_password_change_ends_other_sessions(ctx, make):  # type: ignore[no-untyped-def]
    user = make.representative(make.partner())
    first, second = WebClient(ctx.test_client()), WebClient(ctx.test_client())
    first.login(user)
    second.login(user)
    response = first.submit(
        "/account/password",
        {"current": PASSWORD, "password": "a new long password", "confirm": "a new long password"},
        form_url="/account",
    )
    assert response.status_code == 302
    assert first.get("/").status_code == 200  # the session that changed it stays in
    assert second.get("/").status_code == 302


def test_wrong_current_password_changes_nothing(login, make):  # type: ignore[no-untyped-def]
    user = make.secretariat()
    web = login(user)
    before = user.password_hash
    response = web.submit(
        "/account/password",
        {"current": "not it at all", "password": "another password", "confirm": "another password"},
        form_url="/account",
    )
    assert response.status_code == 422
    assert "This is not your current password." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == before


def test_account_time_zone(login, make):  # type: ignore[no-untyped-def]
    user = make.secretariat()
    web = login(user)
    response = web.submit("/account", {"name": "Ana", "time_zone": "Pacific/Fiji"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "Pacific/Fiji"
    refused = web.submit("/account", {"name": "Ana", "time_zone": "Mars/Olympus"})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "Pacific/Fiji"


def test_home_lists_rounds_awaiting_the_partner(login, make):  # type: ignore[no-untyped-def]
    partners = make.partners(2)
    rep = make.representative(partners[0])
    sec = make.secretariat()
    waiting = make.proposal(sec, title="Adopt the annual plan")
    spoken = make.proposal(sec, title="Hold the general meeting in Suva")
    make.open_round(waiting, sec)
    round_ = make.open_round(spoken, sec)
    rounds.register_position(db.session, rep, round_.id, partners[0].id, "consent", now=T0)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        page = login(rep).page("/")
    awaiting = page.select_one("ul.awaiting").get_text(" ", strip=True)
    assert "Adopt the annual plan" in awaiting
    assert "Hold the general meeting in Suva" not in awaiting
    assert "(UTC, UTC+00:00)" in awaiting


def test_home_shows_each_open_round_with_its_progress(login, make):  # type: ignore[no-untyped-def]
    partners = make.partners(3)
    rep = make.representative(partners[0])
    sec = make.secretariat()
    round_ = make.open_round(make.proposal(sec, title="Adopt the annual plan"), sec)
    rounds.register_position(
        db.session, rep, round_.id, partners[0].id, "object", "Not yet", now=T0
    )
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        page = login(sec).page("/")
    item = page.select_one("ul.open-rounds li").get_text(" ", strip=True)
    assert "Adopt the annual plan" in item
    assert "1 of 3 partners have spoken; 1 objection." in item


def test_navigation_marks_the_current_area(login, make):  # type: ignore[no-untyped-def]
    web = login(make.user("observer"))
    current = web.page("/decisions").select('nav a[aria-current="page"]')
    assert [a.get_text(strip=True) for a in current] == ["Decision log"]


def test_error_pages_speak_to_people(login, make):  # type: ignore[no-untyped-def]
    web = login(make.user("observer"))
    missing = web.get("/no/such/page")
    assert missing.status_code == 404
    assert soup_of(missing).find("h1").get_text(strip=True) == "Not found"
    refused = web.get("/settings")
    assert refused.status_code == 403
    assert soup_of(refused).find("h1").get_text(strip=True) == "Not allowed"


def test_the_time_zone_picker_offers_canonical_zones_by_region(login, make):  # type: ignore[no-untyped-def]
    page = login(make.secretariat()).page("/account")
    select = page.select_one("select[name=time_zone]")
    groups = [group["label"] for group in select.select("optgroup")]
    assert groups[:3] == ["Africa", "America", "Antarctica"]
    assert {"Asia", "Europe", "Pacific", "UTC"} <= set(groups)
    assert select.select_one("optgroup[label=Asia] option[value='Asia/Singapore']").get_text() == (
        "Singapore"
    )
    values = [option["value"] for option in select.select("option")]
    assert values[0] == ""  # the partnership's zone, outside every group
    for legacy in ("US/Eastern", "Etc/GMT+3", "Asia/Calcutta", "Singapore", "Europe/Belfast"):
        assert legacy not in values
    assert "Asia/Kolkata" in values and "Asia/Kuala_Lumpur" in values
    assert 300 < len(values) < 500


def test_a_stored_legacy_zone_stays_selected_and_is_kept(login, make):  # type: ignore[no-untyped-def]
    user = make.secretariat()
    user.time_zone = "US/Eastern"
    db.session.commit()
    web = login(user)
    chosen = web.page("/account").select("select[name=time_zone] option[selected]")
    assert [(o["value"], o.find_parent("optgroup")["label"]) for o in chosen] == [
        ("US/Eastern", "Other")
    ]
    response = web.submit("/account", {"name": "Ana", "time_zone": "US/Eastern"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "US/Eastern"
    # Another legacy name is no choice at all.
    refused = web.submit("/account", {"name": "Ana", "time_zone": "Asia/Calcutta"})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "US/Eastern"
