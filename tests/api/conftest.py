"""Fixtures for the JSON API tests: a client that holds every answer to the OpenAPI
document the app serves, and a small partnership, frozen in time, to call it on.

The client is how the suite keeps the document honest: whatever a test asks, the answer
must have a status the document lists for that operation, the content type it names and
a body its schema accepts (Schemathesis's own checks), and an error must have the one
shape API.md gives it.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import schemathesis
import time_machine
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from decisions import application_review, applications, comments, proposals, rounds, users
from decisions import tokens as tokens_domain
from decisions.db import Base, db
from decisions.deliberation_models import Objection
from decisions.models import DecisionEntry, Role, User
from tests.conftest import T0, Factory

API = "/api/v1"
#: the moment every API test runs at (the clock is frozen there): an hour after T0
NOW = T0 + timedelta(hours=1)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: the three roles, and the three ways of holding no valid token
ROLES = ("secretariat", "partner", "observer")
NO_VALID_TOKEN = ("no_token", "bad_token", "revoked_token")

_NOTHING: Any = object()
_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
#: what an ISO 8601 time looks like when a JSON answer carries one
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def iso(moment: datetime) -> str:
    return moment.isoformat()


#: the keys of every list the API answers (API.md)
LIST_FIELDS = {"items", "page", "per_page", "total"}


def listing(
    api: "Api", world: "World", path: str, role: str = "observer", **query: Any
) -> dict[str, Any]:
    """The list at ``path`` as ``role`` reads it (a 200 of the list's shape)."""
    answer = api.get(path, token=world.token(role), query=query or None)
    assert answer.status_code == 200, answer.get_json()
    body: dict[str, Any] = answer.get_json()
    assert set(body) == LIST_FIELDS, body
    return body


def refused(
    answer: TestResponse, status: int, code: str | None = None, field: str | None = None
) -> None:
    """``answer`` is the error ``status``, with that ``code`` and ``field`` when given."""
    assert answer.status_code == status, answer.get_json()
    error = answer.get_json()["error"]
    if code is not None:
        assert error["code"] == code, error
    if field is not None:
        assert error["field"] == field, error


def count(model: type[Base]) -> int:
    """Rows of ``model`` as the database has them now (not as the session remembers)."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


class Api:
    """The Flask test client, spoken to as an API client would, checking each answer
    against the document. Paths are relative to /api/v1."""

    def __init__(self, client: Any, schema: Any) -> None:
        self.client = client
        self.schema = schema
        self._templates = [
            (re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(p)) + "$"), p)
            for p in schema.raw_schema["paths"]
        ]

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("DELETE", path, **kwargs)

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = _NOTHING,
        data: bytes | str | None = None,
        query: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        documented: bool = True,
    ) -> TestResponse:
        """``json`` is sent as JSON; ``data`` as it is, labelled application/json.
        ``documented=False`` is for a method the document does not list on that path:
        only the error's shape is checked then."""
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        body: dict[str, Any] = {}
        if json is not _NOTHING:
            body["json"] = json
        elif data is not None:
            body["data"] = data
            body["content_type"] = "application/json"
        response = self.client.open(
            API + path, method=method, headers=sent, query_string=query, **body
        )
        self.validate(method, path, response, query=query, documented=documented)
        return response

    def validate(
        self,
        method: str,
        path: str,
        response: TestResponse,
        *,
        query: dict[str, Any] | None = None,
        documented: bool = True,
    ) -> None:
        """Raise unless ``response`` is an answer the document allows to this request."""
        if documented:
            operation, parameters = self.operation(method, path)
            case = operation.Case(path_parameters=parameters, query=query)
            case.validate_response(response, checks=CHECKS)
        _check_error_shape(response)
        _check_times(response.get_json(silent=True))

    def operation(self, method: str, path: str) -> tuple[APIOperation, dict[str, Any]]:
        """The documented operation a concrete path belongs to, and its path parameters."""
        path = path.split("?", 1)[0]
        for pattern, template in self._templates:
            found = pattern.match(path)
            if found and method.lower() in self.schema.raw_schema["paths"][template]:
                parameters = {k: int(v) if v.isdigit() else v for k, v in found.groupdict().items()}
                return self.schema[template][method.upper()], parameters
        raise AssertionError(f"{method} {path} is not an operation of the document")


def _check_error_shape(response: TestResponse) -> None:
    """API.md: {"error": {"code", "message"}}, and "field" on 422 (only there)."""
    if response.status_code < 400:
        return
    answer = response.get_json(silent=True)
    assert isinstance(answer, dict) and set(answer) == {"error"}, answer
    error = answer["error"]
    assert isinstance(error.get("code"), str) and _SNAKE_CASE.match(error["code"]), error
    assert isinstance(error.get("message"), str) and error["message"].strip(), error
    if response.status_code == 422:
        assert set(error) == {"code", "message", "field"}, error
        assert isinstance(error["field"], str) and error["field"], error
    else:
        assert set(error) == {"code", "message"}, error


def _check_times(value: Any) -> None:
    """Every time in an answer carries its offset (API.md)."""
    if isinstance(value, dict):
        for item in value.values():
            _check_times(item)
    elif isinstance(value, list):
        for item in value:
            _check_times(item)
    elif isinstance(value, str) and _ISO_TIME.match(value):
        assert datetime.fromisoformat(value).utcoffset() is not None, value


@pytest.fixture(scope="session")
def api_schema(app):  # type: ignore[no-untyped-def]
    """The document as the app serves it, loaded by Schemathesis."""
    return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)


@pytest.fixture
def api(ctx, api_schema) -> Api:  # type: ignore[no-untyped-def]
    return Api(ctx.test_client(), api_schema)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Time stands at NOW (the API reads decisions.clock, which reads the real clock)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def token_for(session):  # type: ignore[no-untyped-def]
    """token_for(user) -> a new API token of that user."""

    def issue(user: User) -> str:
        return tokens_domain.create_token(session, user, "tests")[1]

    return issue


@dataclass(frozen=True)
class World:
    """A small partnership with proposals in every state, and a token for each role.

    Alpha and Beta are members (they have a voice), Gamma a supporter (none). The
    partner token is Alpha's representative's, who drafted ``draft``. The rest was
    drafted by the Secretariat. Ids are plain ints: the session expires rows on commit.
    """

    secretariat: User
    alpha_rep: User
    beta_rep: User
    gamma_rep: User
    observer: User
    alpha: int
    beta: int
    gamma: int
    #: a draft by Alpha's representative
    draft: int
    #: adopted: both consented, closed early
    adopted: int
    adopted_round: int
    adopted_decision: int
    #: not adopted: Beta objected; amendable again
    blocked: int
    blocked_round: int
    blocked_decision: int
    #: Beta's objection, left by the blocked round
    blocked_objection: int
    #: withdrawn while its round was open
    withdrawn: int
    withdrawn_round: int
    withdrawn_decision: int
    #: open, deadline NOW + 6 days 23 hours, nobody has spoken
    voting: int
    voting_round: int
    #: open, deadline ahead, both have spoken: may be closed now
    ready: int
    ready_round: int
    #: a membership application the Secretariat has recommended
    application: int
    #: comments on ``voting`` by Alpha's representative and by the Secretariat, posted at
    #: NOW (so still editable by their authors)
    comment: int
    secretariat_comment: int
    tokens: dict[str, str | None]

    @property
    def ids(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if isinstance(v, int)}

    def token(self, role: str) -> str | None:
        return self.tokens[role]


def api_user(session: Any, role: Role, partner_id: int | None = None) -> User:
    """A user who calls the API only: no password (hashing one costs a third of a second)."""
    n = count(User) + 1
    return users.create_user(
        session, None, f"{role}{n}@example.org", f"{role.title()} {n}", role, partner_id
    )


def build_world(session: Any) -> World:
    make = Factory(session)
    alpha = make.partner("Alpha Reef Trust", "PH")
    beta = make.partner("Beta Coastal Alliance", "ID")
    gamma = make.partner("Gamma Friends of the Sea", "VN", category="supporter")
    secretariat = api_user(session, Role.SECRETARIAT)
    alpha_rep = api_user(session, Role.PARTNER, alpha.id)
    beta_rep = api_user(session, Role.PARTNER, beta.id)
    gamma_rep = api_user(session, Role.PARTNER, gamma.id)
    observer = api_user(session, Role.OBSERVER)
    drafted = T0 - timedelta(days=20)
    draft = make.proposal(alpha_rep, title="Shared mooring buoys", now=drafted)
    adopted = make.proposal(secretariat, title="Annual report template", now=drafted)
    blocked = make.proposal(secretariat, title="Night-fishing moratorium", now=drafted)
    withdrawn = make.proposal(secretariat, title="Retire the old logo", now=drafted)
    voting = make.proposal(secretariat, title="Joint patrol calendar", now=drafted)
    ready = make.proposal(secretariat, title="Reef survey protocol", now=drafted)
    alpha_id, beta_id = alpha.id, beta.id

    def decided(proposal_id: int, start: datetime, stances: dict[int, str]) -> tuple[int, int]:
        opened = rounds.open_round(
            session, secretariat, proposal_id, start + timedelta(days=1), now=start
        )
        round_id = opened.id
        for partner_id, stance in stances.items():
            reason = "It would close our members' fishing grounds." if stance == "object" else ""
            rounds.register_position(
                session,
                alpha_rep if partner_id == alpha_id else beta_rep,
                round_id,
                partner_id,
                stance,
                reason,
                now=start + timedelta(hours=1),
            )
        entry = rounds.close_round(session, secretariat, round_id, now=start + timedelta(hours=2))
        return round_id, entry.id

    # The open rounds first, so that rounds 1 and 2 take positions (Schemathesis tries
    # small ids most): 1 has everyone pending, 2 everyone spoken, 3 to 5 are closed.
    voting_id, ready_id = voting.id, ready.id
    voting_round = make.open_round(voting, by=secretariat).id
    ready_round = make.open_round(ready, by=secretariat).id
    for rep, partner_id in ((alpha_rep, alpha_id), (beta_rep, beta_id)):
        rounds.register_position(session, rep, ready_round, partner_id, "consent", now=T0)
    adopted_round, adopted_decision = decided(
        adopted.id, T0 - timedelta(days=10), {alpha_id: "consent", beta_id: "stand_aside"}
    )
    blocked_round, blocked_decision = decided(
        blocked.id, T0 - timedelta(days=8), {alpha_id: "consent", beta_id: "object"}
    )
    blocked_objection = session.scalar(
        select(Objection.id).where(Objection.round_id == blocked_round)
    )
    withdrawn_id = withdrawn.id
    withdrawn_round = rounds.open_round(
        session, secretariat, withdrawn_id, T0, now=T0 - timedelta(days=6)
    ).id
    proposals.withdraw_proposal(session, secretariat, withdrawn_id, now=T0 - timedelta(days=5))
    withdrawn_decision = _latest_decision(session)

    application = recommended_application(session, secretariat)
    comment = comments.post_comment(session, alpha_rep, voting_id, "Which months?").id
    secretariat_comment = comments.post_comment(session, secretariat, voting_id, "June.").id

    row, revoked = tokens_domain.create_token(session, secretariat, "revoked")
    tokens_domain.revoke_token(session, secretariat, row.id)
    tokens: dict[str, str | None] = {
        "secretariat": tokens_domain.create_token(session, secretariat)[1],
        "partner": tokens_domain.create_token(session, alpha_rep)[1],
        "observer": tokens_domain.create_token(session, observer)[1],
        "beta": tokens_domain.create_token(session, beta_rep)[1],
        "gamma": tokens_domain.create_token(session, gamma_rep)[1],
        "no_token": None,
        "bad_token": "acc_" + "x" * 43,
        "revoked_token": revoked,
    }
    return World(
        secretariat=secretariat,
        alpha_rep=alpha_rep,
        beta_rep=beta_rep,
        gamma_rep=gamma_rep,
        observer=observer,
        alpha=alpha_id,
        beta=beta_id,
        gamma=gamma.id,
        draft=draft.id,
        adopted=adopted.id,
        adopted_round=adopted_round,
        adopted_decision=adopted_decision,
        blocked=blocked.id,
        blocked_round=blocked_round,
        blocked_decision=blocked_decision,
        blocked_objection=blocked_objection,
        withdrawn=withdrawn_id,
        withdrawn_round=withdrawn_round,
        withdrawn_decision=withdrawn_decision,
        voting=voting_id,
        voting_round=voting_round,
        ready=ready_id,
        ready_round=ready_round,
        application=application,
        comment=comment,
        secretariat_comment=secretariat_comment,
        tokens=tokens,
    )


APPLICATION = {
    "organisation_name": "Epsilon Seagrass Watch",
    "mandate": "Mapping and protecting seagrass meadows with fishing communities.",
    "headquarters_country": "PH",
    "operating_countries": ["PH", "ID"],
    "legally_registered": True,
    "government_controlled": False,
    "agrees_with_principles": True,
    "category": "supporter",
    "contact_name": "Dana Reyes",
    "contact_email": "dana@epsilon.example.org",
}


def recommended_application(session: Any, secretariat: User) -> int:
    """An application without a letter (a supporter needs none), recommended."""
    row, _token = applications.submit_application(
        session, applications.ApplicationInput(**APPLICATION), None, "unused: no letter"
    )
    application_id = row.id
    application_review.recommend(session, secretariat, application_id, True, "A good fit.")
    return application_id


def _latest_decision(session: Any) -> int:
    return session.scalar(select(func.max(DecisionEntry.id))) or 0


@pytest.fixture
def world(session, clock) -> World:  # type: ignore[no-untyped-def]
    return build_world(session)
