"""The database out of reach: PostgreSQL down, SQLite's file locked past its wait, or every
connection of a process's pool in use. A page and the API answer 503 with Retry-After, in
the reader's language, without asking the database again (the page names neither the
partnership nor the signed-in user); a position sent then is not recorded, and is when
sent again once the database is back."""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from decisions import tokens
from decisions.db import db
from decisions.models import Position
from tests.conftest import WebClient, soup_of

#: the same secret as the suite's app: a session cookie it signed is good here too
SECRET = "test secret"
#: nothing listens on port 1; a SQLite file in a folder that does not exist cannot be opened
UNREACHABLE = {
    "postgresql": lambda tmp: "postgresql+psycopg://nobody@127.0.0.1:1/none",
    "sqlite": lambda tmp: f"sqlite:///{tmp}/no-such-folder/accord.sqlite3",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def unreachable(request, own_app, tmp_path) -> Flask:  # type: ignore[no-untyped-def]
    url = UNREACHABLE[request.param](tmp_path)
    return own_app(SECRET_KEY=SECRET, SQLALCHEMY_DATABASE_URI=url)  # type: ignore[no-any-return]


def _said_nothing_of_why(text: str) -> None:
    for detail in ("127.0.0.1", "psycopg", "sqlite", "no-such-folder", "Traceback"):
        assert detail not in text


def test_a_page_says_so_in_the_readers_language(unreachable: Flask) -> None:
    client = unreachable.test_client()
    response = client.get("/login", headers={"Accept-Language": "fr"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.mimetype == "text/html"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    page = soup_of(response)
    assert (page.html["lang"], page.html["dir"]) == ("fr", "ltr")
    assert page.h1.get_text() == "Indisponible pour un instant"
    assert "Accord ne peut pas joindre sa base de données" in page.main.get_text()
    assert page.find("link", rel="stylesheet")["href"] == "/static/accord.css"
    _said_nothing_of_why(response.get_data(as_text=True))

    client.set_cookie("accord_language", "ar")  # the language switch's choice comes first
    page = soup_of(client.get("/decisions", headers={"Accept-Language": "fr"}))
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")


def test_other_errors_keep_their_status_and_words_without_the_database(
    unreachable: Flask,
) -> None:
    # Their usual page reads the partnership's name; the test client lets that error
    # through if the page is not rendered without the database.
    client = unreachable.test_client()
    missing = client.get("/no-such-page", headers={"Accept-Language": "fr"})
    assert missing.status_code == 404
    assert missing.mimetype == "text/html"
    assert soup_of(missing).h1.get_text() == "Introuvable"
    expired = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert expired.status_code == 400  # no CSRF token: the form's own error
    assert soup_of(expired).h1.get_text() == "Form expired"
    _said_nothing_of_why(expired.get_data(as_text=True))


def test_a_signed_in_reader_is_told_without_their_account_being_read_again(
    login: Any, make: Any, unreachable: Flask
) -> None:
    # Signed in while the database was there; the same session cookie, once it is not.
    user = make.representative(make.partner())
    signed_in: WebClient = login(user)
    cookie = signed_in.client.get_cookie("session")
    client = unreachable.test_client()
    client.set_cookie("session", cookie.value)
    # Loading the account failed; the page would fail again if it loaded it to learn
    # the reader's language or name (the test client lets that error through).
    response = client.get("/", headers={"Accept-Language": "es"})
    assert response.status_code == 503
    page = soup_of(response)
    assert page.html["lang"] == "es"
    assert page.h1.get_text() == "No disponible por un momento"
    assert user.name not in response.get_data(as_text=True)
    assert page.find("form") is None  # no sign-out form: its token is kept in the session


def test_the_api_answers_503_unavailable(unreachable: Flask) -> None:
    response = unreachable.test_client().put(
        "/api/v1/rounds/1/positions/1",
        json={"stance": "consent"},
        headers={"Authorization": "Bearer some-token", "Accept-Language": "id"},
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    error = response.get_json()["error"]
    assert error["code"] == "unavailable"
    assert error["message"].startswith("Basis data tidak terjangkau")
    _said_nothing_of_why(response.get_data(as_text=True))


# -- busy: the database is there, but not free within the wait --------------------------


@contextmanager
def _busy(app: Flask, database_url: str) -> Iterator[None]:
    """PostgreSQL: the app's one connection held by someone else; SQLite: the database's
    write lock held by another connection (the app waits its busy_timeout, 5 s)."""
    if database_url.startswith("postgresql"):
        with app.app_context(), db.engine.connect():
            yield
        return
    holder = sqlite3.connect(make_url(database_url).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_position_sent_while_the_database_is_busy_is_not_kept_and_is_when_sent_again(
    make: Any, session: Any, own_app: Callable[..., Flask], database_url: str
) -> None:
    partner = make.partner()
    partner_id = partner.id
    token = tokens.create_token(session, make.representative(partner))[1]
    round_id = make.open_round(make.proposal(), now=datetime.now(UTC)).id
    session.commit()  # and nothing read after it: on SQLite a transaction takes the lock
    # One connection, and a short wait for it (on SQLite the setting plays no part)
    app = own_app(
        SQLALCHEMY_DATABASE_URI=database_url,
        ACCORD_DATABASE_CONNECTIONS=1,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_recycle": 3600, "pool_timeout": 0.2},
    )
    client = app.test_client()
    put = {
        "path": f"/api/v1/rounds/{round_id}/positions/{partner_id}",
        "json": {"stance": "object", "reason": "Not before the budget is known."},
        "headers": {"Authorization": f"Bearer {token}"},
    }
    with _busy(app, database_url):
        refused = client.put(**put)
    assert refused.status_code == 503, refused.get_json()
    assert refused.headers["Retry-After"] == "5"
    assert refused.get_json()["error"]["code"] == "unavailable"
    positions = select(func.count()).select_from(Position)
    assert session.scalar(positions.where(Position.round_id == round_id)) == 0
    session.rollback()  # its transaction ended, so that SQLite's lock is free

    kept = client.put(**put)
    assert kept.status_code == 200, kept.get_json()
    assert kept.get_json()["stance"] == "object"
    session.rollback()  # a new transaction sees the other process's commit
    assert session.scalar(positions.where(Position.round_id == round_id)) == 1
