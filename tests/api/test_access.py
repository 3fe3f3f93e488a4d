"""Who may call what (API.md): every path, for each role and for each way of holding
no valid token. No valid token is 401; a role, or a partner, not allowed is 403.

Each row sends a request that succeeds for someone allowed, so a refusal can only come
from who is asking, and a refused request changes nothing.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from decisions import passwords, users
from decisions.application_models import Application
from decisions.deliberation_models import Comment
from decisions.models import Partner, Position, Proposal, Round
from tests.api.conftest import APPLICATION, NO_VALID_TOKEN, NOW, ROLES, Api, World, count, iso
from tests.conftest import PASSWORD


@dataclass(frozen=True)
class Call:
    method: str
    #: filled in from the world's ids: "/proposals/{draft}"
    path: str
    #: the status for the Secretariat, Alpha's representative, an observer
    secretariat: int
    partner: int
    observer: int
    json: Any = None
    why: str = ""
    #: the status without a valid token: 401, but for the one public operation
    anonymous: int = 401

    def expected(self, role: str) -> int:
        return self.anonymous if role in NO_VALID_TOKEN else getattr(self, role)


DEADLINE = {"deadline": iso(NOW + timedelta(days=7))}
#: an id no row of the world has
NONE_SUCH = 99_999
POSITION = {"stance": "consent", "note": "By e-mail to the Secretariat."}

CALLS = [
    Call("GET", "/me", 200, 200, 200),
    Call("PATCH", "/me", 200, 200, 200, {"time_zone": "Asia/Manila"}),
    Call("GET", "/partnership", 200, 200, 200),
    Call("PATCH", "/partnership", 200, 403, 403, {"default_quorum": 1}),
    Call("GET", "/partners", 200, 200, 200),
    Call("POST", "/partners", 201, 403, 403, {"name": "Delta Mangrove Network", "country": "MY"}),
    Call("POST", "/proposals", 201, 201, 403, {"title": "Tide gauges", "body": "Buy four."}),
    Call("GET", "/proposals", 200, 200, 200),
    Call("GET", "/proposals/{draft}", 200, 200, 200),
    Call("PATCH", "/proposals/{draft}", 200, 200, 403, {"title": "Mooring buoys"}, "proposer"),
    Call("PATCH", "/proposals/{blocked}", 200, 403, 403, {"title": "A moratorium"}, "not hers"),
    Call("POST", "/proposals/{draft}/rounds", 201, 403, 403, DEADLINE),
    Call("POST", "/proposals/{draft}/withdraw", 200, 200, 403, why="proposer"),
    Call("POST", "/proposals/{blocked}/withdraw", 200, 403, 403, why="not hers"),
    Call("GET", "/rounds/{voting_round}", 200, 200, 200),
    Call("PUT", "/rounds/{voting_round}/positions/{alpha}", 200, 200, 403, POSITION, "own"),
    Call("PUT", "/rounds/{voting_round}/positions/{beta}", 200, 403, 403, POSITION, "other's"),
    Call("PUT", "/rounds/{voting_round}/positions/{gamma}", 403, 403, 403, POSITION, "no voice"),
    Call("GET", "/rounds/{voting_round}/positions/{alpha}/history", 200, 200, 200),
    Call("GET", "/rounds/{adopted_round}/positions/{beta}/history", 200, 200, 200),
    Call(
        "POST",
        "/rounds/{voting_round}/extend",
        200,
        403,
        403,
        {"deadline": iso(NOW + timedelta(days=9))},
    ),
    Call("POST", "/rounds/{ready_round}/close", 200, 403, 403),
    Call("GET", "/decisions", 200, 200, 200),
    Call("GET", "/decisions/{adopted_decision}", 200, 200, 200),
    Call("GET", "/decisions/verify", 200, 200, 200),
    Call("GET", "/decisions/export.csv", 200, 200, 200),
    Call("GET", "/decisions/export.json", 200, 200, 200),
    Call("POST", "/applications", 201, 201, 201, APPLICATION, "public", anonymous=201),
    Call("GET", "/applications", 200, 403, 403),
    Call("GET", "/applications/{application}", 200, 403, 403),
    Call(
        "POST",
        "/applications/{application}/recommendation",
        200,
        403,
        403,
        {"recommend": False, "text": "Its work lies outside our focus."},
    ),
    Call("POST", "/applications/{application}/propose", 201, 403, 403),
    Call("GET", "/proposals/{blocked}/objections", 200, 200, 200),
    Call("POST", "/objections/{blocked_objection}/answer", 200, 403, 403, {"answer": "Ask"}),
    # The proposer may answer too, so a representative passes the role gate; the world has
    # no objection to a partner's proposal (its round would add a log entry that the log's
    # tests count): the proposer's 200 is in test_objections.py.
    Call("POST", "/objections/{none_such}/answer", 404, 404, 403, {"answer": "Ask"}, "none such"),
    Call("GET", "/proposals/{voting}/comments", 200, 200, 200),
    Call("GET", "/proposals/{adopted}/comments", 200, 200, 200, why="closed"),
    Call("POST", "/proposals/{voting}/comments", 201, 201, 403, {"body": "Agreed."}),
    Call("PATCH", "/comments/{comment}", 403, 200, 403, {"body": "Which months?"}, "hers"),
    Call("PATCH", "/comments/{secretariat_comment}", 200, 403, 403, {"body": "July."}, "its"),
]

ROWS = [
    pytest.param(
        call,
        role,
        id=f"{call.method} {call.path}{' (' + call.why + ')' if call.why else ''} as {role}",
    )
    for call in CALLS
    for role in (*ROLES, *NO_VALID_TOKEN)
]


def _state() -> tuple[int, ...]:
    models = (Partner, Proposal, Round, Position, Application, Comment)
    return tuple(count(model) for model in models)


@pytest.mark.parametrize(("call", "role"), ROWS)
def test_who_may_call_what(api: Api, world: World, call: Call, role: str) -> None:
    before = _state()
    kwargs: dict[str, Any] = {"token": world.token(role)}
    if call.json is not None:
        kwargs["json"] = call.json
    answer = api.call(call.method, call.path.format(**world.ids, none_such=NONE_SUCH), **kwargs)

    expected = call.expected(role)
    assert answer.status_code == expected, answer.get_json()
    if expected == 401:
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    if expected in (401, 403):
        assert _state() == before


def _elsewhere(path: str) -> bool:
    """The inbox comes with its own issue, and its own tests."""
    return path == "/me/notifications"


def test_every_documented_operation_is_in_the_table(api_schema) -> None:  # type: ignore[no-untyped-def]
    documented = {
        (method.upper(), path)
        for path, methods in api_schema.raw_schema["paths"].items()
        for method in methods
        if not _elsewhere(path)
    }
    tabled = {(call.method, _template(call.path)) for call in CALLS}
    assert documented == tabled


def _template(path: str) -> str:
    """The path with the document's own names: /rounds/{round_id}/positions/{partner_id}."""
    names = {
        "/proposals/": "{proposal_id}",
        "/rounds/": "{round_id}",
        "/positions/": "{partner_id}",
        "/decisions/": "{decision_id}",
        "/applications/": "{application_id}",
        "/objections/": "{objection_id}",
        "/comments/": "{comment_id}",
    }
    for prefix, name in names.items():
        head, found, tail = path.partition(prefix + "{")
        if found:
            rest = tail.split("}", 1)[1]
            path = head + prefix + name + rest
    return path


def test_the_roles_documented_are_those_the_table_lets_in(api_schema) -> None:  # type: ignore[no-untyped-def]
    """x-roles in the document name every role some row of the table lets through."""
    allowed: dict[tuple[str, str], set[str]] = {}
    for call in CALLS:
        let_in = {role for role in ROLES if call.expected(role) != 403}
        allowed.setdefault((call.method, _template(call.path)), set()).update(let_in)
    for (method, path), roles in allowed.items():
        described = api_schema.raw_schema["paths"][path][method.lower()]
        assert set(described["x-roles"]) == roles, (method, path)


@pytest.mark.parametrize(
    "authorization",
    [
        "Token {token}",
        "Basic {token}",
        "Bearer",
        "Bearer ",
        "{token}",
        "Bearer {token}x",
        "Bearer {token} {token}",
    ],
)
def test_a_malformed_authorization_header_is_401(
    api: Api, world: World, authorization: str
) -> None:
    header = authorization.format(token=world.token("secretariat"))
    answer = api.get("/me", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"


def test_the_bearer_scheme_is_case_insensitive(api: Api, world: World) -> None:
    answer = api.get("/me", headers={"Authorization": f"bearer {world.token('observer')}"})
    assert answer.status_code == 200
    assert answer.get_json()["id"] == world.observer.id


def test_a_deactivated_users_token_is_401(api: Api, world: World, session) -> None:  # type: ignore[no-untyped-def]
    users.update_user(session, None, world.alpha_rep.id, active=False)
    answer = api.get("/me", token=world.token("partner"))
    assert answer.status_code == 401


def test_a_deactivated_users_token_registers_no_position(api: Api, world: World, session) -> None:  # type: ignore[no-untyped-def]
    # The registration reads its token's user apart from the other operations (a few
    # columns by Core, tokens.caller_for_token): it refuses the same tokens.
    path = f"/rounds/{world.voting_round}/positions/{world.alpha}"
    users.update_user(session, None, world.alpha_rep.id, active=False)
    before = count(Position)
    answer = api.put(path, token=world.token("partner"), json={"stance": "consent"})
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"
    assert count(Position) == before


def test_a_session_cookie_does_not_authenticate_the_api(  # type: ignore[no-untyped-def]
    api: Api, world: World, login, session
) -> None:
    passwords.set_password(session, world.secretariat, PASSWORD)
    browser = login(world.secretariat)
    assert browser.get("/account").status_code == 200  # signed in, for the web pages
    assert browser.get("/api/v1/me").status_code == 401
    before = count(Proposal)
    refused = browser.client.post(
        "/api/v1/proposals", json={"title": "Through a cookie", "body": "Should not land."}
    )
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthorized"
    assert count(Proposal) == before


def test_a_post_without_csrf_token_works_with_a_bearer_token(  # type: ignore[no-untyped-def]
    api: Api, world: World, login, session
) -> None:
    # The web forms do check CSRF here: a form post without its token is refused...
    passwords.set_password(session, world.secretariat, PASSWORD)
    browser = login(world.secretariat)
    forged = browser.client.post(f"/proposals/{world.draft}/withdraw", data={})
    assert forged.status_code == 400
    # ...while the API, which never reads a cookie, needs none.
    answer = api.post(
        "/proposals", token=world.token("secretariat"), json={"title": "T", "body": "B"}
    )
    assert answer.status_code == 201
    withdrawn = api.post(f"/proposals/{world.draft}/withdraw", token=world.token("secretariat"))
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
