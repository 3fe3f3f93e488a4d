"""The edges of the API that a probe reaches: a parameter given twice, an address too
long, both answered in the API's own shape and listed in its document."""

import pytest

from app.api.openapi import document
from tests.api.conftest import Api, World


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/decisions?outcome=adopted&outcome=blocked", "outcome"),
        ("/proposals?status=open&status=draft", "status"),
        ("/decisions?page=1&page=2", "page"),
    ],
)
def test_a_parameter_given_twice_is_refused(api: Api, world: World, path: str, query: str) -> None:
    answer = api.call("GET", path, token=world.token("observer"), documented=False)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == query


def test_an_address_too_long_is_a_414_in_the_apis_shape(api: Api, world: World) -> None:
    answer = api.get("/decisions", token=world.token("observer"), query={"q": "x" * 5000})
    assert answer.status_code == 414
    assert answer.get_json()["error"]["code"] == "address_too_long"


def test_the_document_lists_414_everywhere_and_429_where_it_happens(ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.test_request_context():
        paths = document()["paths"]
    for path, methods in paths.items():
        for method, described in methods.items():
            assert "414" in described["responses"], (method, path)
    apply = paths["/applications"]["post"]["responses"]
    assert "Retry-After" in apply["429"]["headers"]
