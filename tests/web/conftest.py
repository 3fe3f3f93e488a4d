"""Fixtures shared by the web tests: a clock stopped at T0, the Secretariat, and a
browser signed in as it."""

from collections.abc import Iterator

import pytest
import time_machine

from decisions.models import User
from tests.conftest import T0, WebClient


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """The clock stands at T0; tests move it forward only (a session cookie signed "in
    the future" would sign the user out)."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def secretariat(make) -> User:  # type: ignore[no-untyped-def]
    return make.secretariat()


@pytest.fixture
def admin(login, secretariat) -> WebClient:  # type: ignore[no-untyped-def]
    return login(secretariat)
