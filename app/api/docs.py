"""The API's own description: the OpenAPI document, and a page to read it by."""

from typing import Any

from flask import jsonify, render_template
from flask.typing import ResponseReturnValue

from app.api.blueprint import bp
from app.api.openapi import document


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return jsonify(document())


@bp.get("/docs")
def reference() -> ResponseReturnValue:
    """The document as a page: every operation, who may call it, its parameters, body
    and answers. Server-rendered, like the rest of Accord."""
    return render_template("api/docs.html", doc=document(), resolve=_resolver(document()))


def _resolver(doc: dict[str, Any]) -> Any:
    schemas = doc["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """A schema's name (when it is a reference) and its definition."""
        ref = schema.get("$ref", "")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            return name, schemas[name]
        return "", schema

    return resolve
