"""Schemathesis against the app, for each role's token: whatever it sends, no answer is
a server error, and every answer conforms to the document (a status it lists, the
content type it names, a body its schema accepts).

Bounded (20 generated requests an operation, with the examples and boundary cases
Schemathesis adds) and derandomised, so a run is repeatable and short. Each operation
and role starts on a freshly seeded partnership, the world of conftest.py: partners,
proposals, rounds and decisions 1 to 3 exist (round 1 open with everyone pending,
round 2 open with everyone spoken, the rest closed).

``positive_data_acceptance`` is left out on purpose: well-formed data can rightly meet
404, 409 or 422 (an id that does not exist, a round closed meanwhile, a deadline past).

The schema is built at import from the document the app serves (the same function
builds both; test_the_run_uses_the_served_document holds them equal), the way
Schemathesis's pytest integration wants a module-level schema. Its fixture-based loader,
``schemathesis.pytest.from_fixture``, fails with pytest 9.2 (it writes
``request.node._nodeid``, which pytest 9.2 no longer has), so the app comes from the
test's fixtures at call time instead.
"""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.result import Ok

from app.api.openapi import document
from tests.api.conftest import CHECKS, ROLES, World

schema = schemathesis.openapi.from_dict(document())


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    # The partnership is seeded once per operation and role, not once per request: the
    # requests of one run share it, as one client's would.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_conforms_to_its_document(case: Any, ctx: Any, world: World, role: str) -> None:
    # Schemathesis's WSGI transport asks for gzip (as requests does) but reads the body
    # without decoding it: it asks for the plain body instead.
    headers = {"Authorization": f"Bearer {world.token(role)}", "Accept-Encoding": "identity"}
    case.call_and_validate(app=ctx, headers=headers, checks=CHECKS)


def test_the_run_uses_the_served_document(api_schema: Any) -> None:
    assert api_schema.raw_schema == document()
    operations = set()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.add((result.ok().method.upper(), result.ok().path))
    assert operations == {
        (method.upper(), path)
        for path, methods in api_schema.raw_schema["paths"].items()
        for method in methods
    }
