"""How an API operation is declared: once, with what the OpenAPI document says of it.

``@operation("PUT", "/rounds/{round_id}/positions/{partner_id}", ...)`` registers the
route, authenticates the bearer token, checks the role, parses the body and the query
string through their schemas and writes the answer through its schema. The document
(app/api/openapi.py) is built from the same declarations, so an operation cannot exist
without being described, nor be described otherwise than it behaves.
"""

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel

from decisions import tokens
from decisions.db import db
from decisions.errors import InvalidInput
from decisions.models import Role, User

#: who may call an operation: any holder of a valid token, or only these roles
ANYONE = tuple(Role)

#: the longest address (path and query) the API reads: below the request line that
#: gunicorn takes (4094 bytes), so that the client gets the API's own JSON error
URL_LIMIT = 4000

#: the largest body the API reads; a proposal's text (50,000 characters) fits many
#: times over even when every character is written as a JSON escape
BODY_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    endpoint: str
    summary: str
    description: str
    roles: tuple[Role, ...]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    status: int
    answer: type[BaseModel] | None
    #: answers beyond those every operation of its sort has (409, say)
    also: tuple[int, ...] = field(default=())
    #: no token needed (nor looked at): the public membership application
    public: bool = False
    #: file fields: the body may then come as multipart/form-data too, these as files
    files: tuple[str, ...] = field(default=())

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)


OPERATIONS: list[Operation] = []


def operation(
    bp: Blueprint,
    method: str,
    path: str,
    *,
    summary: str,
    who: tuple[Role, ...] = ANYONE,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    status: int = 200,
    answer: type[BaseModel] | None = None,
    also: tuple[int, ...] = (),
    public: bool = False,
    files: tuple[str, ...] = (),
    body_limit: int = 0,
    guard: Callable[[], None] | None = None,
) -> Callable[[Callable[..., BaseModel]], Callable[..., BaseModel]]:
    """Declare the view below as ``method path``. The view receives the signed-in user
    (None when ``public``), the path's ids, and ``body``/``query`` as parsed models, and
    returns the answer. With ``files`` the body may also be multipart/form-data; the
    view then receives ``files``: each file field's bytes, or None when not sent.
    ``body_limit`` raises the largest body read (BODY_LIMIT) for such uploads.
    ``guard`` runs before the body is read, and may refuse by raising (a rate limit)."""

    def decorator(view: Callable[..., BaseModel]) -> Callable[..., BaseModel]:
        @wraps(view)
        def endpoint(**ids: Any) -> Response:
            if len(request.full_path) > URL_LIMIT:
                abort(414)
            user = None if public else _authenticated(who)
            request.max_content_length = max(BODY_LIMIT, body_limit)
            if guard is not None:
                guard()
            if body is not None and files and request.mimetype == "multipart/form-data":
                ids["body"] = body.model_validate(_form(body, files))
                ids["files"] = _files(files)
            elif body is not None:
                ids["body"] = body.model_validate_json(_body())
                if files:
                    ids["files"] = dict.fromkeys(files)
            if query is not None:
                ids["query"] = query.model_validate(_query())  # type: ignore[assignment]
            answered = view(user, **ids)
            response = jsonify(answered.model_dump(mode="json"))
            response.status_code = status
            return response

        rule = re.sub(r"\{(\w+)\}", r"<int:\1>", path)
        bp.add_url_rule(rule, view.__name__, endpoint, methods=[method])
        OPERATIONS.append(
            Operation(
                method=method,
                path=path,
                endpoint=view.__name__,
                summary=summary,
                description=(view.__doc__ or "").strip(),
                roles=who,
                body=body,
                query=query,
                status=status,
                answer=answer,
                also=also,
                public=public,
                files=files,
            )
        )
        return view

    return decorator


def _authenticated(who: tuple[Role, ...]) -> User:
    """The token's user; 401 without a valid token, 403 for a role not allowed here.
    A session cookie is never looked at: the API is not a browser's, so needs no CSRF."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = None
    if scheme.lower() == "bearer" and token.strip():
        user = tokens.user_for_token(db.session, token.strip())
    if user is None:
        abort(401)
    if user.role not in who:
        abort(403)
    return user


def _query() -> dict[str, str]:
    """The query string; a parameter left empty (``?status=``) is no filter at all. A
    parameter given twice is refused: which one a server takes differs from server to
    server, and a client's filter must not be half applied."""
    for name in request.args:
        if len(request.args.getlist(name)) > 1:
            raise InvalidInput(_l("Give this parameter once."), field=name)
    return {name: value for name, value in request.args.items() if value.strip()}


def _body() -> bytes:
    return request.get_data(cache=True)


def _form(model: type[BaseModel], files: tuple[str, ...]) -> dict[str, Any]:
    """A multipart form as the JSON object it stands for: a list field from its repeated
    values, a boolean from ``true``/``false``. Anything else stays text, so that the
    model refuses it, naming the field, exactly as it would refuse it in JSON."""
    fields = model.model_fields
    data: dict[str, Any] = {}
    for name in request.form:
        if name in files:
            raise InvalidInput(_l("Send this as a file."), field=name)
        values = request.form.getlist(name)
        annotation = fields[name].annotation if name in fields else None
        if typing.get_origin(annotation) is list:
            data[name] = values
        elif len(values) > 1:
            data[name] = values  # one value expected: the model says so
        elif annotation is bool:
            data[name] = {"true": True, "false": False}.get(values[0].strip().lower(), values[0])
        else:
            data[name] = values[0]
    for name in request.files:
        if name not in files:
            data[name] = ""  # an unknown field: the model names it
    return data


def _files(names: tuple[str, ...]) -> dict[str, bytes | None]:
    """Each file field's content; None when no file was chosen (a browser still sends
    the part, with an empty file name and no content)."""
    found: dict[str, bytes | None] = {}
    for name in names:
        upload = request.files.get(name)
        content = upload.read() if upload is not None else b""
        found[name] = content if upload is not None and (content or upload.filename) else None
    return found
