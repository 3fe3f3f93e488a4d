"""Accounts in Chromium: the forgotten password by e-mail, the set-password page of an
invitation, API tokens made and revoked through their confirmation, and the time-zone
picker. Each test makes a user of its own: the demo logins keep their passwords."""

import re
import uuid
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select

from decisions import invitations, users
from decisions.models import User
from tests.browser.conftest import SECRETARIAT, LiveServer, audit, sign_in

OLD = "an old long password"
NEW = "a brand new password"


def _new_user(server: LiveServer, password: str | None = OLD) -> str:
    """A new observer of this test's own; its e-mail address."""
    address = f"browser-{uuid.uuid4().hex[:10]}@example.org"
    with server.session() as session:
        users.create_user(session, None, address, "Browser Tester", "observer", None, password)
    return address


def _link_in(message: EmailMessage, pattern: str) -> str:
    """The path of the link the e-mail's text holds."""
    body = message.get_body(("plain",))
    assert body is not None
    match = re.search(r"https?://[^/\s]+(" + pattern + r"[\w-]+)", body.get_content())
    assert match, body.get_content()
    return match.group(1)


def _signed_in(page: Any) -> None:
    assert "/login" not in page.url
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_a_forgotten_password_by_e_mail(page, server) -> None:  # type: ignore[no-untyped-def]
    address = _new_user(server)
    page.goto("/login")
    audit(page)
    page.get_by_role("link", name="Forgotten your password?").click()
    assert page.url.endswith("/password/forgotten")
    audit(page)
    page.get_by_label("E-mail").fill(address)
    page.get_by_role("button", name="Send me a link").click()
    answer = page.locator("main").inner_text()
    assert "If an account uses this address, we have sent it a link" in answer
    audit(page)

    (mail,) = server.mails_to(address)
    assert mail["Subject"] == "Choose a new password for Coral Sea Prevention Partnership in Accord"
    link = _link_in(mail, "/password/reset/")
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Choose a new password"
    audit(page)
    # Typed differently: the form says so, and nothing is set.
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill("not the same password")
    page.get_by_role("button", name="Set the password and sign in").click()
    assert page.get_by_text("The two passwords differ.").is_visible()
    audit(page)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Set the password and sign in").click()
    _signed_in(page)
    assert page.get_by_text("Your new password is set, and you are signed in.").is_visible()
    audit(page)

    # The link works once.
    response = page.goto(link)
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "This link does not work"
    audit(page)

    # Signed out, the new password signs in.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, (address, NEW))
    _signed_in(page)


def test_an_unknown_address_gets_the_same_answer(page, server) -> None:  # type: ignore[no-untyped-def]
    nobody = f"nobody-{uuid.uuid4().hex[:10]}@example.org"
    page.goto("/password/forgotten")
    page.get_by_label("E-mail").fill(nobody)
    page.get_by_role("button", name="Send me a link").click()
    assert "If an account uses this address, we have sent it a link" in (
        page.locator("main").inner_text()
    )
    audit(page)
    assert server.mails_to(nobody) == []


def test_set_password_from_an_invitation(page, server) -> None:  # type: ignore[no-untyped-def]
    # A user the Secretariat added without a password, then sent a set-password link.
    address = _new_user(server, password=None)
    with server.session() as session:
        user = session.scalars(select(User).where(User.email == address)).one()
        invitations.invite_again(session, None, user.id)
    (mail,) = server.mails_to(address)
    link = _link_in(mail, "/invitation/")
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Choose your password"
    audit(page)
    page.get_by_label("Your password", exact=True).fill(NEW)
    page.get_by_label("Your password again").fill(NEW)
    page.get_by_role("button", name="Set the password and sign in").click()
    _signed_in(page)
    assert page.get_by_text("Your password is set. Welcome to Accord.").is_visible()
    audit(page)
    response = page.goto(link)
    assert response is not None and response.status == 404
    audit(page)


def test_make_an_api_token_and_revoke_it(page, server) -> None:  # type: ignore[no-untyped-def]
    address = _new_user(server)
    sign_in(page, (address, OLD))
    page.goto("/account")
    page.get_by_role("link", name="Manage your API tokens").click()
    assert page.get_by_role("heading", level=1).inner_text() == "API tokens"
    audit(page)
    page.get_by_label("Label").fill("browser test script")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("acc_")
    audit(page)
    me = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200 and me.json()["email"] == address

    # Shown once: the list no longer holds it.
    page.goto("/account/tokens")
    assert token not in page.content()
    revoke = page.get_by_role("link", name="Revoke browser test script")
    revoke.click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Revoke the token “browser test script”?"
    assert page.get_by_text("Scripts using it stop working at once").is_visible()
    audit(page)
    # Cancel: nothing changes.
    page.get_by_role("link", name="Cancel: keep the token").click()
    assert page.url.endswith("/account/tokens")
    assert page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).ok
    revoke.click()
    page.get_by_role("button", name="Revoke the token").click()
    assert page.url.endswith("/account/tokens")
    assert page.get_by_text("The token is revoked: it no longer opens the API.").is_visible()
    row = page.locator("tbody tr", has_text="browser test script")
    assert "revoked" in row.inner_text()
    audit(page)
    refused = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401


def test_the_time_zone_picker_groups_zones_by_region(page, server) -> None:  # type: ignore[no-untyped-def]
    address = _new_user(server)
    sign_in(page, (address, OLD))
    page.goto("/account")
    audit(page)
    picker = page.get_by_label("Time zone")
    groups = picker.locator("optgroup").evaluate_all("(gs) => gs.map((g) => g.label)")
    assert groups[:3] == ["Africa", "America", "Antarctica"]
    assert {"Asia", "Europe", "Pacific", "UTC"} <= set(groups)
    names = picker.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    assert "Asia/Manila" in names and "US/Eastern" not in names and "Singapore" not in names
    picker.select_option("Asia/Manila")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your account is saved.").is_visible()
    assert picker.input_value() == "Asia/Manila"
    selected = picker.locator("option:checked")
    assert selected.inner_text() == "Manila"
    assert selected.evaluate("(o) => o.parentElement.label") == "Asia"
    audit(page)


def test_the_secretariats_forms_offer_the_same_picker(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, SECRETARIAT)
    for path, chosen in (("/settings", "Asia/Singapore"), ("/users/new", "")):
        page.goto(path)
        picker = page.get_by_label("Time zone")
        assert picker.locator("optgroup[label=Asia] option[value='Asia/Singapore']").count() == 1
        assert picker.locator("option[value='Asia/Calcutta']").count() == 0
        assert picker.input_value() == chosen
        audit(page)
