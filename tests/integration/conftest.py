"""Fixtures of the integration tests: the `accord` command group, run as its users do."""

from typing import Any

import pytest


@pytest.fixture
def accord(ctx: Any) -> Any:
    """accord("create-partner", "--name", …) -> the click Result (Flask's CLI runner, on
    the test database)."""
    runner = ctx.test_cli_runner()

    def run(*args: str) -> Any:
        return runner.invoke(args=["accord", *args])

    return run
