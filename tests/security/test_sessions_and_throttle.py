"""Signing in is throttled per account and per address, counted in the database;
signing out ends the session on the server, whatever cookie was saved."""

from datetime import timedelta

import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from decisions.db import db
from decisions.models import User
from tests.conftest import PASSWORD, T0, WebClient, soup_of

WRONG = "not the password"


def attempt(web: WebClient, email: str, password: str, address: str = "203.0.113.7"):  # type: ignore[no-untyped-def]
    """A sign-in from ``address``, as a browser sends it (the form's CSRF token first)."""
    soup = web.page("/login")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    return web.client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_ten_wrong_passwords_pause_the_account_even_for_the_right_one(ctx, make) -> None:  # type: ignore[no-untyped-def]
    user = make.secretariat()
    web = WebClient(ctx.test_client())
    with time_machine.travel(T0, tick=False):
        for n in range(10):
            assert attempt(web, user.email, WRONG, f"198.51.100.{n}").status_code == 422
        # another address, the right password: the account is paused all the same
        paused = attempt(web, user.email, PASSWORD, "192.0.2.99")
        assert paused.status_code == 429
        assert int(paused.headers["Retry-After"]) == 15 * 60
        assert "Try again in 15 minutes" in soup_of(paused).select_one(".errors").get_text()
    with time_machine.travel(T0 + timedelta(minutes=14), tick=False):
        assert attempt(web, user.email, PASSWORD, "192.0.2.99").status_code == 429
    with time_machine.travel(T0 + timedelta(minutes=15, seconds=1), tick=False):
        assert attempt(web, user.email, PASSWORD, "192.0.2.99").status_code == 302


def test_ten_wrong_passwords_from_one_address_pause_that_address(ctx, make) -> None:  # type: ignore[no-untyped-def]
    users = [make.user("observer") for _ in range(11)]
    web = WebClient(ctx.test_client())
    with time_machine.travel(T0, tick=False):
        for user in users[:10]:  # a different account each time: a spray
            assert attempt(web, user.email, WRONG).status_code == 422
        assert attempt(web, users[10].email, PASSWORD).status_code == 429
        # the same account from elsewhere is not paused: it was tried once only
        assert attempt(web, users[10].email, PASSWORD, "192.0.2.1").status_code == 302


def test_a_success_elsewhere_does_not_reset_an_addresss_count(ctx, make) -> None:  # type: ignore[no-untyped-def]
    victim, other = make.user("observer"), make.user("observer")
    with time_machine.travel(T0, tick=False):
        guesser = WebClient(ctx.test_client())
        for _ in range(9):
            attempt(guesser, victim.email, WRONG, "203.0.113.50")
        owner = WebClient(ctx.test_client())
        assert attempt(owner, other.email, PASSWORD, "192.0.2.20").status_code == 302
        attempt(guesser, victim.email, WRONG, "203.0.113.50")
        assert attempt(guesser, victim.email, PASSWORD, "203.0.113.50").status_code == 429


def sign_in(ctx, user: User, remember: bool = False) -> FlaskClient:  # type: ignore[no-untyped-def]
    client = ctx.test_client()
    web = WebClient(client)
    soup = web.page("/login")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    data = {"csrf_token": token, "email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert web.client.post("/login", data=data).status_code == 302
    return client


def cookies_of(client: FlaskClient) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def test_a_saved_cookie_no_longer_opens_the_account_after_signing_out(ctx, make) -> None:  # type: ignore[no-untyped-def]
    user = make.user("observer")
    client = sign_in(ctx, user, remember=True)
    saved = cookies_of(client)
    assert {"session", "remember_token"} <= set(saved)
    web = WebClient(client)
    assert web.get("/account").status_code == 200
    soup = web.page("/account")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    assert web.client.post("/logout", data={"csrf_token": token}).status_code == 302
    # the cookies saved before signing out, replayed in a fresh browser
    thief = WebClient(ctx.test_client())
    for name, value in saved.items():
        thief.client.set_cookie(name, value)
    answer = thief.get("/account")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    stale = thief.get("/account")  # the remember-me cookie alone does not sign in either
    assert stale.status_code == 302


def test_signing_out_ends_every_other_session(ctx, make) -> None:  # type: ignore[no-untyped-def]
    user = make.user("observer")
    laptop, phone = WebClient(sign_in(ctx, user)), WebClient(sign_in(ctx, user))
    token_before = db.session.scalar(select(User.session_token).where(User.id == user.id))
    soup = phone.page("/account")
    assert soup.find("button", string="Sign out everywhere") is not None
    csrf = soup.find("input", attrs={"name": "csrf_token"})["value"]
    assert phone.client.post("/logout", data={"csrf_token": csrf}).status_code == 302
    assert laptop.get("/account").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(User.session_token).where(User.id == user.id)) != token_before
