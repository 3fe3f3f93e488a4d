"""The security suite uses the API suite's client (answers checked against the OpenAPI
document) and its small partnership."""

from tests.api.conftest import api, api_schema, clock, world  # noqa: F401
