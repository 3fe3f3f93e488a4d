"""The forgotten password, through the real HTML forms: the same answer for any address,
a single-use link by e-mail that expires, a new password that signs the person in, and a
limit per client address."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import time_machine
from flask import Flask
from sqlalchemy import select

from app.ratelimit_model import ApplicationAttempt
from decisions import invitations, passwords, secret_links, users
from decisions.credential_models import Invitation, PasswordReset
from decisions.db import db
from decisions.models import User
from notifications.models import OutboxMessage
from tests.conftest import PASSWORD, T0, WebClient, soup_of
from tests.web.applying import apply_rate, send

FORGOTTEN = "/password/forgotten"
NEW = "a brand new password"
SAME_ANSWER = (
    "If an account uses this address, we have sent it a link to choose a new password. "
    "The link works once, for 2 hours."
)


def _ask(web: WebClient, email: str) -> str:
    """Ask for a link on the form; the text of the page the answer leads to."""
    response = web.submit(FORGOTTEN, {"email": email})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/password/forgotten/sent"
    return soup_of(web.get(response.headers["Location"])).find("main").get_text(" ", strip=True)


def _mails() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _resets() -> list[PasswordReset]:
    db.session.expire_all()
    return list(db.session.scalars(select(PasswordReset).order_by(PasswordReset.id)))


def _link_in(mail: OutboxMessage) -> str:
    """The path of the reset link in the e-mail's text."""
    match = re.search(r"https?://[^/\s]+(/password/reset/[\w-]+)", mail.text_body)
    assert match, mail.text_body
    assert match.group(1) in mail.html_body
    return match.group(1)


def _set(web: WebClient, path: str, password: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return web.submit(path, {"password": password, "confirm": confirm or password})


def _password_is(user: User, password: str) -> bool:
    db.session.expire_all()
    return passwords.authenticate(db.session, user.email, password) is not None


@contextmanager
def reset_rate(app: Flask, rate: str) -> Iterator[None]:
    previous = app.config.get("ACCORD_PASSWORD_RESET_RATE")
    app.config["ACCORD_PASSWORD_RESET_RATE"] = rate
    try:
        yield
    finally:
        app.config["ACCORD_PASSWORD_RESET_RATE"] = previous


def test_the_sign_in_page_leads_to_the_forgotten_password_and_the_application(web):  # type: ignore[no-untyped-def]
    page = web.page("/login")
    assert page.find("a", attrs={"href": FORGOTTEN}).get_text(strip=True) == (
        "Forgotten your password?"
    )
    apply = page.find("a", attrs={"href": "/apply"})
    assert apply.get_text(strip=True) == "Apply to join"
    assert "Your organisation is not a partner yet?" in apply.parent.get_text()
    form = web.page(FORGOTTEN)
    assert form.find("label", attrs={"for": "email"})


def test_a_link_by_e_mail_sets_a_new_password_once(ctx, make):  # type: ignore[no-untyped-def]
    user = make.representative(make.partner())
    other_session = WebClient(ctx.test_client())
    other_session.login(user)
    web = WebClient(ctx.test_client())
    with time_machine.travel(T0, tick=False):
        # Twice: two links, each mailed; the address as typed, in capitals.
        assert _ask(web, user.email.upper()) == "Check your e-mail " + SAME_ANSWER + " " + (
            "No e-mail after a few minutes? Look in your spam folder, check the address you "
            "sign in with, or ask the Secretariat. Ask again · Back to sign in"
        )
        _ask(web, user.email)
    first, second = _mails()
    assert (first.to_address, first.user_id) == (user.email, user.id)
    assert first.subject == "Choose a new password for Coral Sea Prevention Partnership in Accord"
    assert "The link works once, until Monday 2 March 2026, 11:00 (UTC, UTC+00:00)." in (
        first.text_body
    )
    path, other_path = _link_in(first), _link_in(second)
    token = path.rsplit("/", 1)[1]
    rows = _resets()
    assert [r.expires_at for r in rows] == [T0 + timedelta(hours=2)] * 2
    assert all(token not in r.token_hash for r in rows)  # only a digest is stored

    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        page = web.get(path)
        assert page.status_code == 200 and page.mimetype == "text/html"
        assert page.headers["Cache-Control"] == "no-store"
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert user.email in soup_of(page).find("main").get_text()

        differ = _set(web, path, NEW, "another new password")
        short = _set(web, path, "short")
        for refused in (differ, short):
            assert refused.status_code == 422
            assert refused.headers["Cache-Control"] == "no-store"
        assert "The two passwords differ." in differ.get_data(as_text=True)
        assert soup_of(short).select_one("#password-error")
        assert _password_is(user, PASSWORD)

        done = _set(web, path, NEW)
        assert done.status_code == 302 and done.headers["Location"] == "/"
        assert web.get("/account").status_code == 200  # signed in
        assert other_session.get("/account").status_code == 302  # signed out elsewhere
    assert _password_is(user, NEW) and not _password_is(user, PASSWORD)

    # The link, and the other one, work no more; nothing changes.
    for used in (path, other_path):
        again = web.get(used)
        assert again.status_code == 404 and again.headers["Cache-Control"] == "no-store"
        assert "This link does not work" in again.get_data(as_text=True)
        late = {"password": "yet another password", "confirm": "yet another password"}
        assert web.submit(used, late, form_url=FORGOTTEN).status_code == 404
    assert _password_is(user, NEW)
    assert all(r.used_at is not None for r in _resets())


def test_any_address_gets_the_same_answer_and_only_an_active_account_a_link(ctx, make, web):  # type: ignore[no-untyped-def]
    suspended = make.user("observer")
    users.update_user(db.session, None, suspended.id, active=False)
    for address in ("nobody@example.org", suspended.email):
        assert SAME_ANSWER in _ask(web, address)
    assert _mails() == [] and _resets() == []


def test_a_malformed_address_is_a_form_error(web):  # type: ignore[no-untyped-def]
    for address, status in (("", 422), ("not an address", 422), ("a@" + "b" * 300, 422)):
        response = web.submit(FORGOTTEN, {"email": address})
        assert response.status_code == status
        assert soup_of(response).select_one("#email-error")
    assert _mails() == [] and _resets() == []


def test_an_expired_link_changes_nothing(ctx, make, web):  # type: ignore[no-untyped-def]
    user = make.user("observer")
    with time_machine.travel(T0, tick=False):
        _ask(web, user.email)
    path = _link_in(_mails()[0])
    with time_machine.travel(T0 + timedelta(hours=2) - timedelta(seconds=1), tick=False):
        form_page = web.get(path)
        assert form_page.status_code == 200
        token = soup_of(form_page).find("input", attrs={"name": "csrf_token"})["value"]
    # The form was open when the link expired.
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        late = web.client.post(path, data={"csrf_token": token, "password": NEW, "confirm": NEW})
        assert late.status_code == 404
        assert "This link does not work" in late.get_data(as_text=True)
        assert web.get(path).status_code == 404
    assert _password_is(user, PASSWORD)
    assert _resets()[0].used_at is None


def test_an_unknown_link_is_refused(ctx, make, web):  # type: ignore[no-untyped-def]
    user = make.user("observer")
    for token in ("nope", "x" * 300, "%00"):
        response = web.get(f"/password/reset/{token}")
        assert response.status_code == 404
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "/password/forgotten" in response.get_data(as_text=True)
    assert secret_links.find(db.session, PasswordReset, "") is None
    assert _password_is(user, PASSWORD)


def test_a_reset_ends_the_users_open_invitations(ctx, make, web):  # type: ignore[no-untyped-def]
    user = make.user("observer")
    invitation = invitations.invite(db.session, user)
    db.session.commit()
    _ask(web, user.email)
    assert _set(web, _link_in(_mails()[0]), NEW).status_code == 302
    assert secret_links.find(db.session, Invitation, invitation) is None


def test_accepting_an_invitation_ends_the_users_open_reset_links(ctx, make, web):  # type: ignore[no-untyped-def]
    user = make.user("observer")
    invitation = invitations.invite(db.session, user)
    db.session.commit()
    _ask(web, user.email)
    reset_link = _link_in(_mails()[0])
    assert (
        web.submit(f"/invitation/{invitation}", {"password": NEW, "confirm": NEW}).status_code
        == 302
    )
    assert web.get(reset_link).status_code == 404
    assert _resets()[0].used_at is not None


def test_the_form_is_limited_per_address_apart_from_the_application(ctx, make, web):  # type: ignore[no-untyped-def]
    user = make.user("observer")
    with reset_rate(ctx, "2/hour"), apply_rate(ctx, "1/hour"):
        with time_machine.travel(T0, tick=False):
            _ask(web, user.email)
        with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
            _ask(web, "nobody@example.org")
        with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
            refused = web.submit(FORGOTTEN, {"email": user.email})
            assert refused.status_code == 429
            assert refused.headers["Retry-After"] == str(40 * 60)
            text = soup_of(refused).find("main").get_text(" ", strip=True)
            assert "Please try again in 40 minutes." in text
            # The application's limit counts apart: its one a hour is still free.
            assert send(web, category="observer", letter_of_intent=None).status_code == 302
        with time_machine.travel(T0 + timedelta(minutes=61), tick=False):
            _ask(web, user.email)
    # none for the refused request
    assert [m.to_address for m in _mails() if m.user_id] == [user.email, user.email]
    db.session.expire_all()
    kinds = sorted(a.what for a in db.session.scalars(select(ApplicationAttempt)))
    assert kinds == ["apply", "password_reset", "password_reset"]


def test_posts_without_csrf_token_change_nothing(ctx, make, web):  # type: ignore[no-untyped-def]
    user = make.user("observer")
    assert web.client.post(FORGOTTEN, data={"email": user.email}).status_code == 400
    assert _mails() == [] and _resets() == []
    _ask(web, user.email)
    path = _link_in(_mails()[0])
    assert web.client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 400
    assert _password_is(user, PASSWORD)
