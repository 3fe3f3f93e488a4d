"""The partnership's ``public_log`` setting through the API: off by default, set by the
Secretariat only, a boolean only; the JSON API's log still needs a token when it is on
(README, "The public log")."""

from typing import Any

import pytest

from tests.api.conftest import Api, World, refused


def public_log(api: Api, world: World) -> bool:
    answer = api.get("/partnership", token=world.token("observer"))
    assert answer.status_code == 200
    value: bool = answer.get_json()["public_log"]
    return value


def test_the_secretariat_opens_and_closes_the_log(api: Api, world: World) -> None:
    assert public_log(api, world) is False  # off by default
    answer = api.patch("/partnership", token=world.token("secretariat"), json={"public_log": True})
    assert answer.status_code == 200 and answer.get_json()["public_log"] is True
    assert public_log(api, world) is True
    # Another setting changed leaves it as it is.
    api.patch("/partnership", token=world.token("secretariat"), json={"default_quorum": 1})
    assert public_log(api, world) is True
    api.patch("/partnership", token=world.token("secretariat"), json={"public_log": False})
    assert public_log(api, world) is False


@pytest.mark.parametrize("role", ["partner", "observer"])
def test_only_the_secretariat_sets_it(api: Api, world: World, role: str) -> None:
    answer = api.patch("/partnership", token=world.token(role), json={"public_log": True})
    refused(answer, 403)
    assert public_log(api, world) is False


@pytest.mark.parametrize("value", ["true", 1, "yes", [True], {"on": True}])
def test_a_value_that_is_not_a_boolean_is_refused(api: Api, world: World, value: Any) -> None:
    answer = api.patch(
        "/partnership",
        token=world.token("secretariat"),
        json={"public_log": value, "default_quorum": 3},
    )
    refused(answer, 422, field="public_log")
    assert public_log(api, world) is False
    assert api.get("/partnership", token=world.token("observer")).get_json()["default_quorum"] != 3


def test_the_json_log_still_needs_a_token_when_public(api: Api, world: World) -> None:
    api.patch("/partnership", token=world.token("secretariat"), json={"public_log": True})
    refused(api.get("/decisions"), 401)
    refused(api.get(f"/decisions/{world.blocked_decision}"), 401)
