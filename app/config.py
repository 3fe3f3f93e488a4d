"""Configuration: defaults, then instance/config.py, then environment variables of the
same name, then create_app's overrides (see shared API.md, Configuration)."""

import os
import secrets
from pathlib import Path
from typing import Any

#: environment variables read under a name other than their key
ENV_ALIASES = {"SQLALCHEMY_DATABASE_URI": "ACCORD_DATABASE_URL"}


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": None,  # generated once into instance/ when nothing sets it
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "accord.sqlite3"),
        "ACCORD_SCHEDULER": "embedded",
        "ACCORD_SMTP_HOST": None,
        "ACCORD_SMTP_PORT": None,  # 25, 587 or 465 by ACCORD_SMTP_SECURITY
        "ACCORD_SMTP_USER": None,
        "ACCORD_SMTP_PASSWORD": None,
        "ACCORD_SMTP_SECURITY": "none",
        "ACCORD_MAIL_FROM": "accord@localhost",
        #: the domain of the addresses representatives answer a round's e-mail at
        #: (accord mail-in); None: the domain of ACCORD_MAIL_FROM
        "ACCORD_MAIL_REPLY_DOMAIN": None,
        #: absolute links in e-mails and feeds; None: `accord serve`'s own address, else
        #: http://127.0.0.1:5000
        "ACCORD_BASE_URL": None,
        #: where .eml files go when no SMTP host is set; None: instance/mail/
        "ACCORD_MAIL_DIR": None,
        "ACCORD_PAGE_SIZE": 20,
        #: where letters of intent are kept; None: instance/letters/
        "ACCORD_LETTERS_DIR": None,
        #: how often one client address may send the public application (form or API)
        "ACCORD_APPLY_RATE": "5 per hour",
        #: reverse proxies in front of Accord whose X-Forwarded-For/-Proto to believe
        "ACCORD_PROXIES": 0,
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": False,  # set True behind HTTPS in instance/config.py
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        #: no pool_pre_ping (a round trip at every checkout): a connection the server
        #: ended while idle is found by decisions/db.py without one; pool_recycle ends
        #: those a firewall may have dropped silently
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 3600},
        #: connections each process keeps to PostgreSQL, at most (engine_options); None:
        #: SQLAlchemy's pool (5, and 10 more while they are all in use). gunicorn.conf.py
        #: sets it for the web workers
        "ACCORD_DATABASE_CONNECTIONS": None,
    }


def from_environment(keys: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in keys:
        name = ENV_ALIASES.get(key, key)
        if name in os.environ:
            found[key] = os.environ[name]
    for whole in ("ACCORD_SMTP_PORT", "ACCORD_PROXIES", "ACCORD_DATABASE_CONNECTIONS"):
        if whole in found:
            try:
                found[whole] = int(found[whole])
            except ValueError:
                raise ValueError(f"{whole} must be a whole number, not {found[whole]!r}.") from None
    return found


def database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL has."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(settings: dict[str, Any]) -> dict[str, Any]:
    """SQLAlchemy's engine options, and on PostgreSQL a pool of ACCORD_DATABASE_CONNECTIONS
    connections with none beyond them: a thread that finds them all in use waits for one
    (pool_timeout) instead of opening another. More transactions under way at once than
    the database has cores only make them wait on each other inside PostgreSQL (README,
    "Registering a position under load")."""
    options = dict(settings["SQLALCHEMY_ENGINE_OPTIONS"])
    if settings["ACCORD_DATABASE_CONNECTIONS"] is None:
        return options
    connections = int(settings["ACCORD_DATABASE_CONNECTIONS"])
    if connections < 1:
        raise ValueError(f"ACCORD_DATABASE_CONNECTIONS must be 1 or more, not {connections}.")
    if not settings["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return options  # SQLite: one writer at a time whatever the pool
    return options | {"pool_size": connections, "max_overflow": 0}


def secret_key(instance_path: str) -> str:
    """A fixed key, generated once, so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
