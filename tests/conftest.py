"""Fixtures shared by every test: the app on a real database, a clean database per
test, factories, and a web client that fills forms the way a browser does.

The database is SQLite unless ACCORD_TEST_DATABASE_URL names a PostgreSQL server; then
the suite creates a database of its own there and drops it at the end.
"""

import itertools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import g
from sqlalchemy import make_url, text

from app import create_app
from app.cli import init_database
from decisions import partners as partners_domain
from decisions import proposals, rounds, settings, users
from decisions.db import db
from decisions.models import DecisionEntry, Partner, Proposal, Role, User

PASSWORD = "correct horse battery"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@contextmanager
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an empty database of the test run's own: a SQLite file, or, when
    ACCORD_TEST_DATABASE_URL names a PostgreSQL server, a database created there and
    dropped at the end."""
    server = os.environ.get("ACCORD_TEST_DATABASE_URL", "")
    if not server.startswith("postgres"):
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "accord.sqlite3")
        return
    import psycopg

    base = make_url(server).set(drivername="postgresql")
    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = base.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "ACCORD_SCHEDULER": "off",
            "SECRET_KEY": "test secret",
            # uploaded letters of intent go to the test run's own folder, not instance/
            "ACCORD_LETTERS_DIR": str(tmp_path_factory.mktemp("letters")),
            # many applications from one address; the rate-limit tests set their own
            "ACCORD_APPLY_RATE": "10000 per second",
        }
    )
    with app.app_context():
        init_database()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def _wipe(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(tables):
                    conn.execute(text(f"DELETE FROM {table}"))
        settings.ensure_partnership(db.session, name="Coral Sea Prevention Partnership")
        db.session.commit()
        db.session.remove()


@pytest.fixture
def ctx(app):  # type: ignore[no-untyped-def]
    """An app context on a freshly wiped database, with the partnership set up."""
    _wipe(app)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def session(ctx):  # type: ignore[no-untyped-def]
    return db.session


class Factory:
    """Builds partners, users, proposals and rounds through the real services."""

    _seq = itertools.count(1)

    def __init__(self, session: Any) -> None:
        self.session = session

    def partner(
        self, name: str | None = None, country: str = "PH", category: str = "member"
    ) -> Partner:
        return partners_domain.create_partner(
            self.session, None, name or f"Partner {next(self._seq)}", country, category
        )

    def partners(self, n: int, **kwargs: Any) -> list[Partner]:
        return [self.partner(**kwargs) for _ in range(n)]

    def user(
        self, role: str = "partner", partner: Partner | None = None, email: str | None = None
    ) -> User:
        n = next(self._seq)
        if role == Role.PARTNER and partner is None:
            partner = self.partner()
        return users.create_user(
            self.session,
            None,
            email or f"{role}{n}@example.org",
            f"{role.title()} {n}",
            role,
            partner.id if partner else None,
            PASSWORD,
        )

    def secretariat(self) -> User:
        return self.user(Role.SECRETARIAT)

    def representative(self, partner: Partner) -> User:
        return self.user(Role.PARTNER, partner)

    def proposal(
        self, author: User | None = None, kind: str = "general", **kwargs: Any
    ) -> Proposal:
        author = author or self.secretariat()
        return proposals.draft_proposal(
            self.session,
            author,
            kwargs.pop("title", f"Proposal {next(self._seq)}"),
            kwargs.pop("body", "We propose that **something** be done."),
            kind,
            kwargs.pop("subject", None),
            now=kwargs.pop("now", T0),
        )

    def open_round(
        self,
        proposal: Proposal,
        by: User | None = None,
        days: int = 7,
        now: datetime = T0,
        **kwargs: Any,
    ):  # type: ignore[no-untyped-def]
        return rounds.open_round(
            self.session, by, proposal.id, now + timedelta(days=days), now=now, **kwargs
        )

    def decision(self, by: User, closed_at: datetime, **proposal: Any) -> DecisionEntry:
        """A log entry: a round on a new proposal, opened the day before ``closed_at``
        and closed then by ``by``; adopted, silence counting as consent."""
        opened = closed_at - timedelta(days=1)
        round_ = self.open_round(self.proposal(by, now=opened, **proposal), by, 1, opened)
        return rounds.close_round(self.session, by, round_.id, now=closed_at)


@pytest.fixture
def make(session) -> Factory:  # type: ignore[no-untyped-def]
    return Factory(session)


class _FreshRequests:
    """Wraps the test client. The tests hold an app context (for the factories and
    db.session); Flask reuses it for requests, so per-request caches kept in ``g``
    (the signed-in user, the CSRF token) would leak from one client to another."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)
        if name not in ("get", "post", "open"):
            return method

        def fresh(*args: Any, **kwargs: Any) -> Any:
            for key in ("_login_user", "csrf_token", "partnership", "reader_zone"):
                g.pop(key, None)
            try:
                return method(*args, **kwargs)
            finally:
                for key in ("_login_user", "csrf_token", "partnership", "reader_zone"):
                    g.pop(key, None)

        return fresh


class WebClient:
    """The test client, used as a person would: open a page, fill its form, send it.
    The CSRF token comes from the page's own HTML."""

    def __init__(self, client: Any) -> None:
        self.client = _FreshRequests(client)

    def get(self, url: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self.client.get(url, **kwargs)

    def page(self, url: str) -> BeautifulSoup:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    def submit(self, url: str, data: dict[str, Any], form_url: str | None = None):  # type: ignore[no-untyped-def]
        """Open ``form_url`` (default ``url``), take the CSRF token of the form there that
        posts to ``url`` (or of its first form), and post ``data`` to ``url``."""
        soup = self.page(form_url or url)
        form = soup.find("form", attrs={"action": url}) or soup
        token = form.find("input", attrs={"name": "csrf_token"})
        payload = {"csrf_token": token["value"] if token else ""}
        payload.update({k: v for k, v in data.items() if v is not None})
        return self.client.post(url, data=payload)

    def login(self, user: User, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        response = self.submit("/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


def soup_of(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def web(ctx) -> WebClient:  # type: ignore[no-untyped-def]
    return WebClient(ctx.test_client())


@pytest.fixture
def login(ctx):  # type: ignore[no-untyped-def]
    """login(user) -> a WebClient signed in as that user."""

    def signed_in(user: User) -> WebClient:
        client = WebClient(ctx.test_client())
        client.login(user)
        return client

    return signed_in
