"""Configuration precedence (shared API.md): defaults < instance/config.py < environment
variable of the same name < create_app's overrides; a fixed secret key kept in instance/."""

import stat

import pytest
from flask import Flask

from app import create_app
from notifications.settings import Settings


@pytest.fixture
def instance(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Point the app's instance folder at a temporary one."""
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path))
    for name in ("ACCORD_MAIL_FROM", "ACCORD_BASE_URL", "ACCORD_DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_defaults(instance):  # type: ignore[no-untyped-def]
    app = create_app()
    assert app.config["ACCORD_MAIL_FROM"] == "accord@localhost"
    # unset: `accord serve` puts its own address there, other commands fall back to :5000
    assert app.config["ACCORD_BASE_URL"] is None
    with app.app_context():
        assert Settings.of_app(app).base_url == "http://127.0.0.1:5000"
    assert app.config["ACCORD_SCHEDULER"] == "embedded"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/accord.sqlite3"


def test_links_in_notices_follow_the_apps_routes_under_the_base_url(instance):  # type: ignore[no-untyped-def]
    app = create_app({"ACCORD_BASE_URL": "https://partners.example.org/accord/"})
    url_for = Settings.of_app(app).url_for
    assert (
        url_for("proposals.show", proposal_id=3, _anchor="round-2")
        == "https://partners.example.org/accord/proposals/3#round-2"
    )
    assert url_for("auth.reset", token="a-b_c") == (
        "https://partners.example.org/accord/password/reset/a-b_c"
    )


def test_each_source_overrides_the_one_before(instance, monkeypatch):  # type: ignore[no-untyped-def]
    (instance / "config.py").write_text(
        'ACCORD_MAIL_FROM = "instance@example.org"\nACCORD_BASE_URL = "https://instance.example"\n'
    )
    assert create_app().config["ACCORD_MAIL_FROM"] == "instance@example.org"
    monkeypatch.setenv("ACCORD_MAIL_FROM", "env@example.org")
    app = create_app()
    assert app.config["ACCORD_MAIL_FROM"] == "env@example.org"
    assert app.config["ACCORD_BASE_URL"] == "https://instance.example"
    app = create_app({"ACCORD_MAIL_FROM": "override@example.org"})
    assert app.config["ACCORD_MAIL_FROM"] == "override@example.org"


def test_database_url_from_the_environment(instance, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql://accord@db.example/accord")
    uri = create_app().config["SQLALCHEMY_DATABASE_URI"]
    assert uri == "postgresql+psycopg://accord@db.example/accord"


def test_testing_turns_the_scheduler_off(instance):  # type: ignore[no-untyped-def]
    assert create_app({"TESTING": True}).config["ACCORD_SCHEDULER"] == "off"


def test_secret_key_generated_once_and_kept(instance):  # type: ignore[no-untyped-def]
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    key_file = instance / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert create_app({"SECRET_KEY": "given"}).config["SECRET_KEY"] == "given"
