"""SQLite is set up on every connection so that concurrent writers neither lose updates
nor fail at once: WAL, foreign keys enforced, a five-second busy timeout."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from decisions.db import db


@pytest.fixture
def sqlite_connection(ctx: Any) -> Iterator[Any]:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas: the suite runs on PostgreSQL (ACCORD_TEST_DATABASE_URL)")
    with db.engine.connect() as connection:
        yield connection


def pragma(connection: Any, name: str) -> Any:
    return connection.execute(text(f"PRAGMA {name}")).scalar()


def test_journal_mode_is_wal(sqlite_connection: Any) -> None:
    assert pragma(sqlite_connection, "journal_mode") == "wal"


def test_foreign_keys_are_enforced(sqlite_connection: Any) -> None:
    assert pragma(sqlite_connection, "foreign_keys") == 1


def test_busy_timeout_is_five_seconds(sqlite_connection: Any) -> None:
    assert pragma(sqlite_connection, "busy_timeout") == 5000


def test_synchronous_is_normal(sqlite_connection: Any) -> None:
    assert pragma(sqlite_connection, "synchronous") == 1  # NORMAL


def test_a_fresh_connection_is_set_up_too(ctx: Any) -> None:
    """Not only the pooled connection the app happened to open first."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas: the suite runs on PostgreSQL (ACCORD_TEST_DATABASE_URL)")
    db.engine.dispose()
    with db.engine.connect() as connection:
        values = [pragma(connection, n) for n in ("journal_mode", "foreign_keys", "busy_timeout")]
    assert values == ["wal", 1, 5000]
