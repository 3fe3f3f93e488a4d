"""Fixtures of the integration tests: the `accord` command group, run as its users do, and
an application of a test's own."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from decisions.db import db


@pytest.fixture
def accord(ctx: Any) -> Any:
    """accord("create-partner", "--name", …) -> the click Result (Flask's CLI runner, on
    the test database)."""
    runner = ctx.test_cli_runner()

    def run(*args: str) -> Any:
        return runner.invoke(args=["accord", *args])

    return run


@pytest.fixture
def own_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """own_app(**settings) -> an application of the test's own beside the suite's (another
    database, another pool), its instance folder in ``tmp_path``; its connections are
    closed when the test ends."""
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path))
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        made.append(create_app({"TESTING": True, "SECRET_KEY": "own app", **settings}))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()
