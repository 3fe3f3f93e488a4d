"""The ``api`` client's checks are not vacuous: a real answer, altered the way a drift
between the code and the document would alter it, is refused."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from schemathesis.core.failures import FailureGroup
from werkzeug.test import TestResponse

from tests.api.conftest import Api, World

#: what the client raises: Schemathesis's failures, or its own assertions
REFUSED = (AssertionError, FailureGroup)


def _altered(answer: TestResponse, body: Any, status: int | None = None) -> TestResponse:
    answer.set_data(json.dumps(body))
    if status is not None:
        answer.status_code = status
    return answer


def test_a_true_answer_passes(api: Api, world: World) -> None:
    answer = api.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {world.token('observer')}"}
    )
    api.validate("GET", "/me", answer)


ALTERATIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "a field missing": lambda me: {k: v for k, v in me.items() if k != "email"},
    "a field of the wrong type": lambda me: {**me, "id": str(me["id"])},
    "a role the document does not know": lambda me: {**me, "role": "chair"},
}


@pytest.mark.parametrize("alteration", ALTERATIONS)
def test_a_body_off_its_schema_is_refused(api: Api, world: World, alteration: str) -> None:
    answer = api.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {world.token('observer')}"}
    )
    altered = _altered(answer, ALTERATIONS[alteration](answer.get_json()))
    with pytest.raises(REFUSED):
        api.validate("GET", "/me", altered)


def test_an_undocumented_status_is_refused(api: Api, world: World) -> None:
    answer = api.client.get(
        "/api/v1/decisions/verify", headers={"Authorization": f"Bearer {world.token('observer')}"}
    )
    error = {"error": {"code": "forbidden", "message": "No."}}
    with pytest.raises(REFUSED):
        api.validate("GET", "/decisions/verify", _altered(answer, error, 403))


@pytest.mark.parametrize(
    "error",
    [
        {"error": {"code": "invalid", "message": "Too long."}},  # no field on a 422
        {"error": {"code": "Invalid Title", "message": "Too long.", "field": "title"}},
        {"error": {"code": "invalid", "message": "", "field": "title"}},
        {"error": {"code": "invalid", "message": "Too long.", "field": "title"}, "extra": 1},
        {"detail": "Too long."},
    ],
)
def test_an_error_off_its_shape_is_refused(api: Api, world: World, error: dict[str, Any]) -> None:
    answer = api.client.post(
        "/api/v1/proposals",
        headers={"Authorization": f"Bearer {world.token('partner')}"},
        json={"title": "x" * 201, "body": "B"},
    )
    assert answer.status_code == 422
    with pytest.raises(REFUSED):
        api.validate("POST", "/proposals", _altered(answer, error))


def test_a_time_without_its_offset_is_refused(api: Api, world: World) -> None:
    answer = api.client.get(
        f"/api/v1/rounds/{world.voting_round}",
        headers={"Authorization": f"Bearer {world.token('observer')}"},
    )
    naive = {**answer.get_json(), "deadline": "2026-03-09T09:00:00"}
    with pytest.raises(REFUSED):
        api.validate("GET", f"/rounds/{world.voting_round}", _altered(answer, naive))


def test_a_path_outside_the_document_is_refused(api: Api, world: World) -> None:
    with pytest.raises(AssertionError, match="not an operation of the document"):
        api.get("/ballots", token=world.token("observer"))
