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

from app.i18n import speak_for
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
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    status: int = 200
    answer: type[BaseModel] | None = None
    #: answers beyond those every operation of its sort has (409, say)
    also: tuple[int, ...] = field(default=())
    #: no token needed (nor looked at): the public membership application
    public: bool = False
    #: file fields: the body may then come as multipart/form-data too, these as files
    files: tuple[str, ...] = field(default=())
    #: the largest body read, when above BODY_LIMIT: for uploads of files
    body_limit: int = 0
    #: run before the body is read; it may refuse by raising (a rate limit)
    guard: Callable[[], None] | None = None
    #: the media type of a success that is not JSON (text/csv): the view returns the
    #: ``Response`` itself, and ``answer`` is None
    media_type: str | None = None
    #: the view receives the token's user as a ``tokens.Caller`` (id, role, partner,
    #: language), not as a ``User``: for the busiest operations, whose view and services
    #: read nothing more of the user (a position's registration)
    caller: bool = False

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)


OPERATIONS: list[Operation] = []


def operation(
    bp: Blueprint, method: str, path: str, *, who: tuple[Role, ...] = ANYONE, **options: Any
) -> Callable[[Callable[..., BaseModel | Response]], Callable[..., BaseModel | Response]]:
    """Declare the view below as ``method path``, for the roles ``who``; ``options`` are
    the rest of its ``Operation`` (summary, body, query, status, answer, also, public,
    files, body_limit, guard). The view receives the signed-in user (None when
    ``public``), the path's ids, and ``body``/``query`` as parsed models, and returns
    the answer (or, for an answer written as it goes, the ``Response`` itself, which
    must hold what ``answer`` describes). With ``files`` the body may also be
    multipart/form-data; the view then receives ``files``: each file field's bytes, or
    None when not sent."""

    def decorator(view: Callable[..., BaseModel | Response]) -> Callable[..., BaseModel | Response]:
        declared = Operation(
            method=method,
            path=path,
            endpoint=view.__name__,
            description=(view.__doc__ or "").strip(),
            roles=who,
            **options,
        )
        rule = re.sub(r"\{(\w+)\}", r"<int:\1>", path)
        bp.add_url_rule(rule, view.__name__, _endpoint(view, declared), methods=[method])
        OPERATIONS.append(declared)
        return view

    return decorator


def _endpoint(
    view: Callable[..., BaseModel | Response], declared: Operation
) -> Callable[..., Response]:
    """The Flask view of an operation: it checks the address's length and the token,
    reads the request, calls ``view`` and writes its answer as JSON."""

    @wraps(view)
    def endpoint(**ids: Any) -> Response:
        if len(request.full_path) > URL_LIMIT:
            abort(414)
        user = None if declared.public else _authenticated(declared.roles, declared.caller)
        request.max_content_length = max(BODY_LIMIT, declared.body_limit)
        if declared.guard is not None:
            declared.guard()
        answered = view(user, **ids, **_inputs(declared))
        if isinstance(answered, Response):
            return answered
        response = jsonify(answered.model_dump(mode="json"))
        response.status_code = declared.status
        return response

    return endpoint


def _inputs(declared: Operation) -> dict[str, Any]:
    """The parsed body (and its files) and query, by the names the view takes them by."""
    body, files = declared.body, declared.files
    inputs: dict[str, Any] = {}
    if body is not None and files and request.mimetype == "multipart/form-data":
        inputs["body"] = body.model_validate(_form(body, files))
        inputs["files"] = _files(files)
    elif body is not None:
        inputs["body"] = body.model_validate_json(_body())
        if files:
            inputs["files"] = dict.fromkeys(files)
    if declared.query is not None:
        inputs["query"] = declared.query.model_validate(_query())
    return inputs


def _authenticated(who: tuple[Role, ...], caller: bool) -> User | tokens.Caller:
    """The token's user (as a ``tokens.Caller`` when ``caller``); 401 without a valid
    token, 403 for a role not allowed here. A session cookie is never looked at: the API
    is not a browser's, so needs no CSRF."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user: User | tokens.Caller | None = None
    if scheme.lower() == "bearer" and token.strip():
        find = tokens.caller_for_token if caller else tokens.user_for_token
        user = find(db.session, token.strip())
    if user is None:
        abort(401)
    speak_for(user)  # its errors too, the 403 below included
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
