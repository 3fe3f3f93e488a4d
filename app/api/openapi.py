"""The OpenAPI 3.1 document of the API, built from the declared operations."""

from functools import cache
from typing import Any

from flask_babel import gettext as _
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.api.operations import ANYONE, OPERATIONS, Operation
from app.api.schemas import Error
from decisions.lookup import ID_MAX

VERSION = "1.0.0"
_REF = "#/components/schemas/{model}"

#: what each error answer means, whichever operation gives it
ERRORS = {
    400: "Malformed JSON, or a body that is not a JSON object",
    401: "No token, or not a valid one",
    403: "The token's role, or partner, may not do this",
    404: "No such thing",
    409: "The state does not allow it (a round closed, a deadline passed, a round open…)",
    413: "The body is too large",
    414: "The address (path and query) is longer than 4000 characters",
    422: "A field is not valid; `field` names it",
    429: "Too many from this address; `Retry-After` says how many seconds to wait",
    503: "The database is out of reach for a moment; `Retry-After` says when to try again",
}

#: the headers an error answer carries, beside its body
ERROR_HEADERS = {
    429: {
        "Retry-After": {
            "description": "Seconds until the next is accepted",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    503: {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


@cache
def document() -> dict[str, Any]:
    """Built once: the operations are fixed when the app's modules are imported."""
    models = _models()
    refs, definitions = models_json_schema(
        [(model, mode) for model, mode in models], ref_template=_REF
    )
    schemas = definitions.get("$defs", {})
    for op in OPERATIONS:
        if op.files and op.body is not None:
            schemas[_form_name(op)] = _form_schema(op, refs, schemas)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Accord API",
            "version": VERSION,
            "description": _(
                "Consensus decisions of a partnership: proposals, rounds, positions and "
                "the decision log. Authenticate with `Authorization: Bearer <token>` "
                "(a token from your account page or `accord create-token`). Times are "
                "ISO 8601 with an offset."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _models() -> list[tuple[type[BaseModel], Any]]:
    found: dict[tuple[type[BaseModel], str], None] = {(Error, "serialization"): None}
    for op in OPERATIONS:
        if op.body is not None:
            found[(op.body, "validation")] = None
        if op.query is not None:
            found[(op.query, "validation")] = None
        if op.answer is not None:
            found[(op.answer, "serialization")] = None
    return list(found)


def _operation(op: Operation, refs: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    if op.public:
        who = _("anyone, without a token")
    elif op.roles == ANYONE:
        who = _("anyone with a token")
    else:
        who = ", ".join(role.value for role in op.roles)
    described: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "description": "\n\n".join(filter(None, [op.description, _("Who: %(who)s.", who=who)])),
        "x-roles": [role.value for role in op.roles],
        "parameters": _parameters(op, refs, schemas),
        "responses": _responses(op, refs),
    }
    if op.public:
        described["security"] = []
    if op.body is not None:
        content: dict[str, Any] = {"application/json": {"schema": refs[(op.body, "validation")]}}
        if op.files:
            content["multipart/form-data"] = {"schema": {"$ref": _REF.format(model=_form_name(op))}}
        described["requestBody"] = {"required": True, "content": content}
    return described


def _form_name(op: Operation) -> str:
    return f"{op.body.__name__ if op.body else ''}Form"


def _form_schema(op: Operation, refs: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """The body as a multipart form: the JSON body's fields, a list as a repeated
    field, a boolean as ``true``/``false``, and each file field as binary."""
    body = schemas[refs[(op.body, "validation")]["$ref"].rsplit("/", 1)[-1]]
    form = {**body, "title": _form_name(op), "properties": dict(body.get("properties", {}))}
    for name in op.files:
        form["properties"][name] = {"type": "string", "format": "binary"}
    form["description"] = _(
        "The same fields as JSON, as multipart/form-data: a list as a repeated field, a "
        "boolean as true or false; with the files: %(files)s.",
        files=", ".join(op.files),
    )
    return form


def _parameters(op: Operation, refs: Any, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
        }
        for name in op.path_parameters
    ]
    if op.query is not None:
        model = schemas[refs[(op.query, "validation")]["$ref"].rsplit("/", 1)[-1]]
        for name, schema in model.get("properties", {}).items():
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": schema.get("description", ""),
                    "schema": schema,
                }
            )
    return parameters


def _responses(op: Operation, refs: Any) -> dict[str, Any]:
    success: dict[str, Any] = {"description": op.summary}
    if op.answer is not None:
        success["content"] = {"application/json": {"schema": refs[(op.answer, "serialization")]}}
    elif op.media_type is not None:
        success["content"] = {op.media_type: {"schema": {"type": "string"}}}
    # any address can be made too long; any operation can find the database out of reach
    statuses = {414, 503}
    if not op.public:
        statuses.add(401)
    if (op.roles != ANYONE and not op.public) or op.path_parameters:
        statuses.add(403)  # a role not allowed, or a partner not one's own
    if op.path_parameters:
        statuses.add(404)
    if op.body is not None:
        statuses.update({400, 413, 422})
    if op.query is not None:
        statuses.add(422)  # a parameter not valid, or given twice
    statuses.update(op.also)
    error = {"$ref": _REF.format(model="Error")}
    answers = {str(op.status): success}
    for status in sorted(statuses):
        answers[str(status)] = {
            "description": ERRORS[status],
            "content": {"application/json": {"schema": error}},
        }
        if status in ERROR_HEADERS:
            answers[str(status)]["headers"] = ERROR_HEADERS[status]
    return answers
