"""Every error the API answers, in one shape: ``{"error": {"code", "message", "field"?}}``.

Domain errors carry their own code (decisions/errors.py), and their status comes from
app/domain_errors.py; this module is the
one place that turns them, malformed bodies and HTTP errors into that shape.
"""

from typing import Any

from flask import Blueprint, Response, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from app.domain_errors import status_of
from decisions.errors import DomainError

#: codes for the HTTP errors that do not come from the domain
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    414: "address_too_long",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


#: fields that take one of several shapes, and what to say when none fits
ONE_OF = {
    "subject": _l(
        'One of: {"partner_id": P} for a suspension or a removal, {"application_id": A} '
        'for an admission, {"countries": ["PH", …]} for a regional focus.'
    ),
}


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response:
    detail: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        detail["field"] = field
    response = jsonify({"error": detail})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="accord"'
    return response


def from_domain(error: DomainError) -> Response:
    status = status_of(error)
    field = error.field if status == 422 else None
    if status == 422 and field is None:
        field = "body"
    return error_response(status, error.code, error.message, field)


def from_validation(error: ValidationError) -> Response:
    """The first problem pydantic found; a body that is not JSON at all is a 400."""
    first = error.errors(include_url=False)[0]
    if first["type"] == "json_invalid":
        return error_response(
            400, "malformed_json", _("The body is not valid JSON: %(why)s", why=first["msg"])
        )
    location = [part for part in first["loc"] if isinstance(part, str)]
    if not location:  # the body as a whole: an array or a number, say
        return error_response(400, "bad_request", _("The body must be a JSON object."))
    field = location[0]
    if field in ONE_OF:  # pydantic would name the first shape only, misleadingly
        return error_response(422, "invalid", str(ONE_OF[field]), field)
    if first["type"] == "missing":
        return error_response(422, "missing", _("This field is required."), field)
    if first["type"] == "extra_forbidden":
        return error_response(422, "unknown_field", _("This field is not known here."), field)
    return error_response(422, "invalid", first["msg"], field)


def from_http(error: HTTPException) -> Response:
    status = error.code or 500
    code = HTTP_CODES.get(status, "http_error")
    message = {
        401: _("Send a valid API token: Authorization: Bearer <token>."),
        403: _("Your role does not allow this."),
        404: _("There is nothing at this address."),
        405: _("This address does not take this method."),
        413: _("The body is too large."),
        414: _("The address is too long: send fewer or shorter query parameters."),
        429: _("Too many requests from this address: try again after the seconds in Retry-After."),
        503: _(
            "The database is out of reach for a moment: try again after the seconds in Retry-After."
        ),
    }.get(status, error.description or error.name)
    response = error_response(status, code, message)
    # What the error tells a client to do next: which methods (405), when to retry (429, 503).
    headers = dict(error.get_headers())
    for name in ("Allow", "Retry-After"):
        if headers.get(name):
            response.headers[name] = headers[name]
    return response


def register(bp: Blueprint) -> None:
    bp.register_error_handler(DomainError, from_domain)
    bp.register_error_handler(ValidationError, from_validation)
