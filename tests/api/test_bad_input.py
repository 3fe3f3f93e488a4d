"""Bad input never yields a 500 (issue 3): malformed JSON is 400, a body that is not an
object 400, wrong types, unknown values, missing or unknown fields, over-long or
control-character text 422 naming the field, an oversized body 413, an unknown id 404.
And a refused request changes nothing: the whole database is compared before and after.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from decisions.db import db
from decisions.lookup import ID_MAX
from tests.api.conftest import NOW, Api, World, iso

DEADLINE = iso(NOW + timedelta(days=7))


def _database() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as the database has it now."""
    db.session.expire_all()
    return {
        table.name: [tuple(row) for row in db.session.execute(select(table)).all()]
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def unchanged(world: World) -> Iterator[None]:
    """The test's requests are all refused: the database is as it was."""
    before = _database()
    yield
    after = _database()
    for table, rows in before.items():
        assert sorted(after[table], key=repr) == sorted(rows, key=repr), table


#: each operation that reads a body: (method, path, a body it accepts, its secretariat
#: or partner token); paths are filled in from the world's ids
BODIES = {
    "PATCH /partnership": ("PATCH", "/partnership", {"default_quorum": 1}, "secretariat"),
    "POST /partners": ("POST", "/partners", {"name": "Delta", "country": "MY"}, "secretariat"),
    "POST /proposals": ("POST", "/proposals", {"title": "T", "body": "B"}, "partner"),
    "PATCH /proposals/{id}": ("PATCH", "/proposals/{draft}", {"title": "T"}, "partner"),
    "POST /proposals/{id}/rounds": (
        "POST",
        "/proposals/{draft}/rounds",
        {"deadline": DEADLINE},
        "secretariat",
    ),
    "PUT /rounds/{id}/positions/{partner}": (
        "PUT",
        "/rounds/{voting_round}/positions/{alpha}",
        {"stance": "consent"},
        "partner",
    ),
    "POST /rounds/{id}/extend": (
        "POST",
        "/rounds/{voting_round}/extend",
        {"deadline": iso(NOW + timedelta(days=8))},
        "secretariat",
    ),
}


def _send(api: Api, world: World, operation: str, **kwargs: Any) -> Any:
    method, path, _, role = BODIES[operation]
    return api.call(method, path.format(**world.ids), token=world.token(role), **kwargs)


def test_each_accepted_body_is_accepted(api: Api, world: World) -> None:
    """The bodies below are good ones: what the other tests spoil is all that is wrong."""
    for operation, (_, _, body, _) in BODIES.items():
        answer = _send(api, world, operation, json=body)
        assert answer.status_code in (200, 201), (operation, answer.get_json())


# Not JSON, or not an object: 400 ---------------------------------------------------

MALFORMED = [
    b"",
    b"{",
    b'{"title": "T",}',
    b"{'title': 'T'}",
    b'{"title": "T"} trailing',
    b'{"title": "\xff\xfe"}',
    b'{"title": "T", "body": "B"',
    b"\x00",
]


@pytest.mark.parametrize("operation", BODIES)
@pytest.mark.parametrize("body", MALFORMED, ids=repr)
def test_malformed_json_is_400(
    api: Api, world: World, unchanged: None, operation: str, body: bytes
) -> None:
    answer = _send(api, world, operation, data=body)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("operation", BODIES)
@pytest.mark.parametrize("body", [b"[]", b'[{"title": "T"}]', b'"T"', b"42", b"null", b"true"])
def test_a_body_that_is_not_an_object_is_400(
    api: Api, world: World, unchanged: None, operation: str, body: bytes
) -> None:
    answer = _send(api, world, operation, data=body)
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity"])
def test_numbers_json_does_not_have_are_refused(
    api: Api, world: World, unchanged: None, number: bytes
) -> None:
    # Python's JSON reader takes these; JSON (RFC 8259) has no such numbers.
    answer = _send(api, world, "PATCH /partnership", data=b'{"default_quorum": ' + number + b"}")
    assert answer.status_code in (400, 422), answer.get_json()


def test_deeply_nested_json_is_refused_not_a_crash(api: Api, world: World, unchanged: None) -> None:
    body = b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b', "body": "B"}'
    answer = _send(api, world, "POST /proposals", data=body)
    assert answer.status_code in (400, 422)


# Wrong shapes: 422 naming the field ------------------------------------------------

WRONG: list[tuple[str, dict[str, Any], str]] = [
    # wrong types: no "5" for 5, no number for text
    ("PATCH /partnership", {"default_quorum": "5"}, "default_quorum"),
    ("PATCH /partnership", {"default_quorum": 1.0}, "default_quorum"),
    ("PATCH /partnership", {"default_quorum": True}, "default_quorum"),
    ("PATCH /partnership", {"default_quorum": -1}, "default_quorum"),
    ("PATCH /partnership", {"default_quorum": 10**30}, "default_quorum"),
    ("PATCH /partnership", {"name": 42}, "name"),
    ("PATCH /partnership", {"name": ""}, "name"),
    ("PATCH /partnership", {"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
    ("PATCH /partnership", {"reminder_offsets_hours": 24}, "reminder_offsets_hours"),
    ("PATCH /partnership", {"reminder_offsets_hours": ["24"]}, "reminder_offsets_hours"),
    ("PATCH /partnership", {"reminder_offsets_hours": [0]}, "reminder_offsets_hours"),
    ("PATCH /partnership", {"reminder_offsets_hours": [1] * 11}, "reminder_offsets_hours"),
    ("PATCH /partnership", {"regional_focus": "PH"}, "regional_focus"),
    ("PATCH /partnership", {"regional_focus": ["ph"]}, "regional_focus"),
    ("PATCH /partnership", {"regional_focus": ["XYZ"]}, "regional_focus"),
    ("POST /partners", {"name": "Delta", "country": 63}, "country"),
    ("POST /partners", {"name": "Delta", "country": "Malaysia"}, "country"),
    ("POST /partners", {"name": ["Delta"], "country": "MY"}, "name"),
    ("POST /partners", {"name": "Delta", "country": "MY", "category": 1}, "category"),
    ("POST /proposals", {"title": 42, "body": "B"}, "title"),
    ("POST /proposals", {"title": "T", "body": {"text": "B"}}, "body"),
    ("POST /proposals", {"title": "", "body": "B"}, "title"),
    ("POST /proposals", {"title": "   ", "body": "B"}, "title"),
    ("POST /proposals", {"title": "T", "body": "B", "kind": 1}, "kind"),
    ("POST /proposals", {"title": "T", "body": "B", "subject": "Beta"}, "subject"),
    ("POST /proposals", {"title": "T", "body": "B", "subject": {"partner_id": "2"}}, "subject"),
    (
        "POST /proposals",
        {"title": "T", "body": "B", "kind": "removal", "subject": {"partner_id": 10**20}},
        "subject",
    ),
    ("PATCH /proposals/{id}", {"title": False}, "title"),
    ("PATCH /proposals/{id}", {"body": ""}, "body"),
    ("POST /proposals/{id}/rounds", {"deadline": DEADLINE, "quorum": "2"}, "quorum"),
    ("POST /proposals/{id}/rounds", {"deadline": DEADLINE, "quorum": 1.5}, "quorum"),
    ("POST /proposals/{id}/rounds", {"deadline": DEADLINE, "quorum": -1}, "quorum"),
    ("POST /proposals/{id}/rounds", {"deadline": DEADLINE, "quorum": 10**30}, "quorum"),
    ("POST /proposals/{id}/rounds", {"deadline": DEADLINE, "auto_close": "yes"}, "auto_close"),
    ("POST /proposals/{id}/rounds", {"deadline": DEADLINE, "auto_close": 1}, "auto_close"),
    ("POST /proposals/{id}/rounds", {"deadline": 1773000000}, "deadline"),
    ("POST /proposals/{id}/rounds", {"deadline": None}, "deadline"),
    ("POST /proposals/{id}/rounds", {"deadline": "2026-13-45T25:61:00+00:00"}, "deadline"),
    ("POST /proposals/{id}/rounds", {"deadline": "9999-12-31T23:59:59-23:59"}, "deadline"),
    ("PUT /rounds/{id}/positions/{partner}", {"stance": 1}, "stance"),
    ("PUT /rounds/{id}/positions/{partner}", {"stance": None}, "stance"),
    ("PUT /rounds/{id}/positions/{partner}", {"stance": "consent", "reason": 7}, "reason"),
    ("PUT /rounds/{id}/positions/{partner}", {"stance": "consent", "note": ["x"]}, "note"),
    ("POST /rounds/{id}/extend", {"deadline": "soon"}, "deadline"),
    ("POST /rounds/{id}/extend", {"deadline": "2026-03-20T12:00:00"}, "deadline"),
    # unknown values of an enumeration
    ("POST /proposals", {"title": "T", "body": "B", "kind": "budget"}, "kind"),
    ("POST /proposals", {"title": "T", "body": "B", "kind": "GENERAL"}, "kind"),
    ("PUT /rounds/{id}/positions/{partner}", {"stance": "abstain"}, "stance"),
    ("PUT /rounds/{id}/positions/{partner}", {"stance": "Consent"}, "stance"),
    ("POST /partners", {"name": "Delta", "country": "MY", "category": "sponsor"}, "category"),
    # missing fields
    ("POST /partners", {"country": "MY"}, "name"),
    ("POST /partners", {"name": "Delta"}, "country"),
    ("POST /proposals", {"body": "B"}, "title"),
    ("POST /proposals", {"title": "T"}, "body"),
    ("POST /proposals/{id}/rounds", {}, "deadline"),
    ("POST /proposals/{id}/rounds", {"quorum": 1}, "deadline"),
    ("PUT /rounds/{id}/positions/{partner}", {}, "stance"),
    ("PUT /rounds/{id}/positions/{partner}", {"reason": "Because."}, "stance"),
    ("POST /rounds/{id}/extend", {}, "deadline"),
    # unknown fields
    ("PATCH /partnership", {"colour": "blue"}, "colour"),
    ("POST /partners", {"name": "Delta", "country": "MY", "status": "active"}, "status"),
    ("POST /proposals", {"title": "T", "body": "B", "status": "adopted"}, "status"),
    ("POST /proposals", {"title": "T", "body": "B", "created_by": 1}, "created_by"),
    ("PATCH /proposals/{id}", {"kind": "removal"}, "kind"),
    ("POST /proposals/{id}/rounds", {"deadline": DEADLINE, "electorate": [1]}, "electorate"),
    ("PUT /rounds/{id}/positions/{partner}", {"stance": "consent", "on_behalf": True}, "on_behalf"),
    ("POST /rounds/{id}/extend", {"deadline": DEADLINE, "reason": "More time"}, "reason"),
]


@pytest.mark.parametrize(
    ("operation", "body", "field"),
    WRONG,
    ids=[f"{op} {sorted(body)} -> {field}" for op, body, field in WRONG],
)
def test_a_wrong_field_is_422_naming_it(
    api: Api, world: World, unchanged: None, operation: str, body: dict[str, Any], field: str
) -> None:
    answer = _send(api, world, operation, json=body)
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["field"] == field, answer.get_json()


def test_a_missing_field_says_so(api: Api, world: World, unchanged: None) -> None:
    answer = _send(api, world, "POST /proposals", json={"body": "B"})
    assert answer.get_json()["error"] | {"message": ""} == {
        "code": "missing",
        "field": "title",
        "message": "",
    }


def test_an_unknown_field_says_so(api: Api, world: World, unchanged: None) -> None:
    answer = _send(api, world, "POST /proposals", json={"title": "T", "body": "B", "tags": []})
    assert answer.get_json()["error"]["code"] == "unknown_field"
    assert answer.get_json()["error"]["field"] == "tags"


@pytest.mark.parametrize(
    "subject", [{"application_id": 0}, {"partner_id": "2"}, {"countries": "PH"}, {}], ids=repr
)
def test_a_subject_of_no_shape_names_every_shape(
    api: Api, world: World, unchanged: None, subject: dict[str, object]
) -> None:
    body = {"title": "T", "body": "B", "kind": "admission", "subject": subject}
    error = _send(api, world, "POST /proposals", json=body).get_json()["error"]
    assert (error["code"], error["field"]) == ("invalid", "subject")
    for shape in ("partner_id", "application_id", "countries"):
        assert shape in error["message"]


# Text: too long, or with control characters ----------------------------------------

LIMITS = [
    # (operation, the field, its maximum, the rest of the body)
    ("PATCH /partnership", "name", 200, {}),
    ("POST /partners", "name", 200, {"country": "MY"}),
    ("POST /proposals", "title", 200, {"body": "B"}),
    ("POST /proposals", "body", 50_000, {"title": "T"}),
    ("PATCH /proposals/{id}", "title", 200, {}),
    ("PATCH /proposals/{id}", "body", 50_000, {}),
    ("PUT /rounds/{id}/positions/{partner}", "reason", 5_000, {"stance": "object"}),
]


@pytest.mark.parametrize(
    ("operation", "field", "limit", "rest"),
    LIMITS,
    ids=[f"{op} {field}" for op, field, _, _ in LIMITS],
)
def test_over_long_text_is_422(
    api: Api, world: World, unchanged: None, operation: str, field: str, limit: int, rest: dict
) -> None:
    answer = _send(api, world, operation, json={**rest, field: "x" * (limit + 1)})
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("operation", "field", "limit", "rest"),
    LIMITS,
    ids=[f"{op} {field}" for op, field, _, _ in LIMITS],
)
def test_text_at_its_limit_is_taken(
    api: Api, world: World, operation: str, field: str, limit: int, rest: dict
) -> None:
    answer = _send(api, world, operation, json={**rest, field: "x" * limit})
    assert answer.status_code in (200, 201), answer.get_json()


def test_an_over_long_note_is_422(api: Api, world: World, unchanged: None) -> None:
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.beta}",
        token=world.token("secretariat"),
        json={"stance": "consent", "note": "x" * 1001},
    )
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "note"


TEXTS = [
    ("PATCH /partnership", "name", {}),
    ("POST /partners", "name", {"country": "MY"}),
    ("POST /proposals", "title", {"body": "B"}),
    ("POST /proposals", "body", {"title": "T"}),
    ("PATCH /proposals/{id}", "title", {}),
    ("PATCH /proposals/{id}", "body", {}),
    ("PUT /rounds/{id}/positions/{partner}", "reason", {"stance": "object"}),
]


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"], ids=repr)
@pytest.mark.parametrize(
    ("operation", "field", "rest"), TEXTS, ids=[f"{op} {field}" for op, field, _ in TEXTS]
)
def test_control_characters_in_text_are_422(
    api: Api,
    world: World,
    unchanged: None,
    operation: str,
    field: str,
    rest: dict,
    character: str,
) -> None:
    answer = _send(api, world, operation, json={**rest, field: f"Tide{character}gauges"})
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["field"] == field


@pytest.mark.parametrize("character", ["\x00", "\x1b"], ids=repr)
def test_control_characters_in_a_note_are_422(
    api: Api, world: World, unchanged: None, character: str
) -> None:
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.beta}",
        token=world.token("secretariat"),
        json={"stance": "consent", "note": f"By{character}phone"},
    )
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "note"


def test_newlines_and_tabs_are_text(api: Api, world: World) -> None:
    body = "First line.\n\n\tIndented, then a Windows line end.\r\n"
    answer = api.post("/proposals", token=world.token("partner"), json={"title": "T", "body": body})
    assert answer.status_code == 201
    assert answer.get_json()["body"] == body.strip()


# Too large: 413 --------------------------------------------------------------------


@pytest.mark.parametrize("operation", BODIES)
def test_an_oversized_body_is_413(api: Api, world: World, unchanged: None, operation: str) -> None:
    body = b'{"title": "' + b"x" * (1024 * 1024) + b'"}'
    answer = _send(api, world, operation, data=body)
    assert answer.status_code == 413, answer.get_json()
    assert answer.get_json()["error"]["code"] == "too_large"


def test_a_body_just_under_the_limit_is_read(api: Api, world: World) -> None:
    # 50,000 characters, each written as a six-byte JSON escape: under 1 MiB, and taken.
    text = "\\u00e9" * 50_000
    body = ('{"title": "T", "body": "' + text + '"}').encode()
    answer = _send(api, world, "POST /proposals", data=body)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["body"] == "\u00e9" * 50_000


# Unknown ids: 404 ------------------------------------------------------------------

#: every operation with an id in its path, with a body it would accept
BY_ID = [
    ("GET", "/proposals/{id}", None, "observer"),
    ("PATCH", "/proposals/{id}", {"title": "T"}, "secretariat"),
    ("POST", "/proposals/{id}/rounds", {"deadline": DEADLINE}, "secretariat"),
    ("POST", "/proposals/{id}/withdraw", None, "secretariat"),
    ("GET", "/rounds/{id}", None, "observer"),
    ("PUT", "/rounds/{id}/positions/{alpha}", {"stance": "consent", "note": "N"}, "secretariat"),
    (
        "PUT",
        "/rounds/{voting_round}/positions/{id}",
        {"stance": "consent", "note": "N"},
        "secretariat",
    ),
    ("GET", "/rounds/{id}/positions/{alpha}/history", None, "observer"),
    ("GET", "/rounds/{voting_round}/positions/{id}/history", None, "observer"),
    ("POST", "/rounds/{id}/extend", {"deadline": DEADLINE}, "secretariat"),
    ("POST", "/rounds/{id}/close", None, "secretariat"),
    ("GET", "/decisions/{id}", None, "observer"),
]
UNKNOWN_IDS = [
    "0",
    "999",
    str(ID_MAX),
    str(ID_MAX + 1),
    "99999999999999",
    "9" * 40,
    "-1",
    "abc",
    "1.0",
]


@pytest.mark.parametrize("unknown", UNKNOWN_IDS)
@pytest.mark.parametrize(
    ("method", "path", "body", "role"), BY_ID, ids=[f"{m} {p}" for m, p, _, _ in BY_ID]
)
def test_an_unknown_id_is_404(
    api: Api,
    world: World,
    unchanged: None,
    method: str,
    path: str,
    body: Any,
    role: str,
    unknown: str,
) -> None:
    kwargs: dict[str, Any] = {"token": world.token(role)}
    if body is not None:
        kwargs["json"] = body
    answer = api.call(method, path.format(**{**world.ids, "id": unknown}), **kwargs)
    assert answer.status_code == 404, answer.get_json()
    assert answer.get_json()["error"]["code"] == "not_found"


def test_an_unknown_path_is_a_json_404(api: Api, world: World) -> None:
    answer = api.client.get("/api/v1/ballots", headers={"Authorization": "Bearer x"})
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"


def test_an_undocumented_method_is_a_json_405(api: Api, world: World, unchanged: None) -> None:
    answer = api.delete(
        f"/proposals/{world.draft}", token=world.token("secretariat"), documented=False
    )
    assert answer.status_code == 405
    assert answer.get_json()["error"]["code"] == "method_not_allowed"
    assert "PATCH" in answer.headers["Allow"]


# Query strings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/proposals", {"status": "closed"}, "status"),
        ("/proposals", {"status": "OPEN"}, "status"),
        ("/proposals", {"page": "-1"}, "page"),
        ("/proposals", {"page": "99999999999999999999"}, "page"),
        ("/proposals", {"per_page": "1e3"}, "per_page"),
        ("/partners", {"per_page": "many"}, "per_page"),
        ("/partners", {"page": "0"}, "page"),
        ("/rounds/{voting_round}/positions/{alpha}/history", {"per_page": "0"}, "per_page"),
    ],
)
def test_a_bad_query_is_422_naming_it(
    api: Api, world: World, path: str, query: dict[str, str], field: str
) -> None:
    answer = api.get(path.format(**world.ids), token=world.token("observer"), query=query)
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["field"] == field
