"""Fixtures shared by the web tests: the Secretariat, and a browser signed in as it."""

import pytest

from decisions.models import User
from tests.conftest import WebClient


@pytest.fixture
def secretariat(make) -> User:  # type: ignore[no-untyped-def]
    return make.secretariat()


@pytest.fixture
def admin(login, secretariat) -> WebClient:  # type: ignore[no-untyped-def]
    return login(secretariat)
