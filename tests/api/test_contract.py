"""The API as shared/API.md writes it: each operation's happy path with its exact field
names and shapes, and each 409 and 422 the contract names.

Every answer also passes through the ``api`` client's checks against the OpenAPI
document (status documented, body valid, error shape, times with offsets).
"""

import gzip
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from decisions.db import db
from decisions.models import DecisionEntry, Position, Proposal, Role, Round
from tests.api.conftest import NOW, Api, World, api_user, count, iso

ROUND_FIELDS = {
    "id",
    "proposal_id",
    "number",
    "status",
    "opened_at",
    "deadline",
    "closed_at",
    "quorum",
    "auto_close",
    "electorate",
    "tally",
    "positions",
    "outcome",
    "decision_id",
}
#: API.md's position; the API adds ``note`` (how a position given on behalf came in)
POSITION_FIELDS = {
    "partner_id",
    "stance",
    "reason",
    "registered_at",
    "registered_by",
    "on_behalf",
    "channel",
}
PROPOSAL_FIELDS = {
    "id",
    "title",
    "body",
    "kind",
    "subject",
    "status",
    "created_by",
    "created_at",
    "rounds",
    "language",
    "translations",
}
DECISION_FIELDS = {
    "id",
    "number",
    "proposal_id",
    "round_id",
    "title",
    "kind",
    "text",
    "outcome",
    "closed_at",
    "tally",
    "positions",
    "effects",
    "hash",
    "prev_hash",
    # API.md's entry; the API adds the objections the entry's round resolved
    "resolved_objections",
}
LIST_FIELDS = {"items", "page", "per_page", "total"}
#: the positions the world was built with (two in each of three rounds)
WORLD_POSITIONS = 6


def _utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() is not None, value
    return moment.astimezone(UTC)


def _error(answer: Any, status: int, code: str, field: str | None = None) -> None:
    assert answer.status_code == status, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == code, error
    if field is not None:
        assert error["field"] == field, error


# Who is asking, the partnership, its partners --------------------------------------


def test_me_chooses_a_language_and_a_time_zone(api: Api, world: World) -> None:
    token = world.token("partner")
    me = api.get("/me", token=token).get_json()
    assert (me["locale"], me["time_zone"]) == ("en", "UTC")  # the partnership's, not chosen
    answer = api.patch("/me", token=token, json={"locale": "ar", "time_zone": "Asia/Manila"})
    assert answer.status_code == 200
    assert (answer.get_json()["locale"], answer.get_json()["time_zone"]) == ("ar", "Asia/Manila")
    assert api.get("/me", token=token).get_json()["locale"] == "ar"
    for body, field in (
        ({"locale": "xx"}, "locale"),
        ({"locale": ""}, "locale"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ):
        _error(api.patch("/me", token=token, json=body), 422, "invalid", field=field)
    assert api.get("/me", token=token).get_json()["time_zone"] == "Asia/Manila"


def test_the_partnerships_language(api: Api, world: World) -> None:
    token = world.token("secretariat")
    answer = api.patch("/partnership", token=token, json={"language": "fr"})
    assert answer.status_code == 200 and answer.get_json()["language"] == "fr"
    _error(
        api.patch("/partnership", token=token, json={"language": "xx"}), 422, "invalid", "language"
    )
    assert api.get("/partnership", token=token).get_json()["language"] == "fr"


@pytest.mark.parametrize("role", ["secretariat", "partner", "observer"])
def test_me(api: Api, world: World, role: str) -> None:
    answer = api.get("/me", token=world.token(role))
    assert answer.status_code == 200
    me = answer.get_json()
    assert set(me) == {"id", "email", "name", "role", "partner_id", "locale", "time_zone"}
    user = {
        "secretariat": world.secretariat,
        "partner": world.alpha_rep,
        "observer": world.observer,
    }
    assert me["id"] == user[role].id and me["email"] == user[role].email
    assert me["name"] == user[role].name
    assert me["role"] == role
    assert me["partner_id"] == (world.alpha if role == "partner" else None)


def test_the_partnership(api: Api, world: World) -> None:
    answer = api.get("/partnership", token=world.token("observer"))
    assert answer.status_code == 200
    settings = answer.get_json()
    assert set(settings) == {
        "name",
        "time_zone",
        "default_quorum",
        "reminder_offsets_hours",
        "regional_focus",
        "categories",
        "kind_rules",
        "languages",
        "language",
        "public_log",
    }
    assert settings["languages"] == ["en", "fr", "es", "ar", "id"]
    assert settings["language"] == "en"
    assert settings["public_log"] is False  # off by default
    assert settings["name"] == "Coral Sea Prevention Partnership"
    assert settings["regional_focus"] == []
    voices = {c["name"]: c["has_standing"] for c in settings["categories"]}
    assert voices == {"Member": True, "Supporter": False, "Focal point": False, "Observer": False}
    for category in settings["categories"]:
        assert {"name", "has_standing"} <= set(category)


def test_the_secretariat_changes_the_settings(api: Api, world: World) -> None:
    changes = {
        "name": "Coral Sea Partnership",
        "time_zone": "Asia/Manila",
        "default_quorum": 2,
        "reminder_offsets_hours": [24, 72],
    }
    answer = api.patch("/partnership", token=world.token("secretariat"), json=changes)
    assert answer.status_code == 200
    settings = answer.get_json()
    assert settings["name"] == "Coral Sea Partnership"
    assert settings["time_zone"] == "Asia/Manila"
    assert settings["default_quorum"] == 2
    assert sorted(settings["reminder_offsets_hours"]) == [24, 72]
    assert api.get("/partnership", token=world.token("partner")).get_json() == settings
    # What is left out stays as it is.
    kept = api.patch("/partnership", token=world.token("secretariat"), json={"default_quorum": 1})
    assert kept.get_json()["name"] == "Coral Sea Partnership"


def test_the_regional_focus_is_set_while_the_log_is_empty(api: Api, session, token_for) -> None:  # type: ignore[no-untyped-def]
    token = token_for(api_user(session, Role.SECRETARIAT))
    answer = api.patch("/partnership", token=token, json={"regional_focus": ["VN", "PH"]})
    assert answer.status_code == 200
    assert sorted(answer.get_json()["regional_focus"]) == ["PH", "VN"]


def test_the_regional_focus_changes_by_decision_once_the_log_has_an_entry(
    api: Api, world: World
) -> None:
    answer = api.patch(
        "/partnership", token=world.token("secretariat"), json={"regional_focus": ["PH"]}
    )
    _error(answer, 409, "focus_by_decision")
    assert api.get("/partnership", token=world.token("observer")).get_json()["regional_focus"] == []


def test_the_partners(api: Api, world: World) -> None:
    answer = api.get("/partners", token=world.token("observer"))
    assert answer.status_code == 200
    listing = answer.get_json()
    assert set(listing) == LIST_FIELDS
    assert (listing["page"], listing["per_page"], listing["total"]) == (1, 50, 3)
    by_name = {p["name"]: p for p in listing["items"]}
    assert by_name["Gamma Friends of the Sea"] == {
        "id": world.gamma,
        "name": "Gamma Friends of the Sea",
        "country": "VN",
        "category": "supporter",
        "status": "active",
        "has_standing": False,
    }
    assert by_name["Alpha Reef Trust"]["category"] == "member"
    assert by_name["Alpha Reef Trust"]["has_standing"] is True

    second = api.get("/partners", token=world.token("observer"), query={"per_page": 2, "page": 2})
    assert second.get_json()["page"] == 2 and second.get_json()["per_page"] == 2
    assert len(second.get_json()["items"]) == 1 and second.get_json()["total"] == 3


@pytest.mark.parametrize(
    ("sent", "category", "voice"),
    [({}, "member", True), ({"category": "focal_point"}, "focal_point", False)],
)
def test_the_secretariat_registers_a_founding_partner(
    api: Api, world: World, sent: dict[str, str], category: str, voice: bool
) -> None:
    body = {"name": "Delta Mangrove Network", "country": "MY", **sent}
    answer = api.post("/partners", token=world.token("secretariat"), json=body)
    assert answer.status_code == 201
    partner = answer.get_json()
    assert set(partner) == {"id", "name", "country", "category", "status", "has_standing"}
    assert partner["name"] == "Delta Mangrove Network" and partner["country"] == "MY"
    assert partner["category"] == category and partner["has_standing"] is voice
    assert partner["status"] == "active"
    listed = api.get("/partners", token=world.token("partner")).get_json()["items"]
    assert partner in listed


def test_a_partner_name_is_not_registered_twice(api: Api, world: World) -> None:
    body = {"name": "Alpha Reef Trust", "country": "PH"}
    answer = api.post("/partners", token=world.token("secretariat"), json=body)
    _error(answer, 422, "already_exists", "name")


def test_an_unknown_category_is_refused(api: Api, world: World) -> None:
    body = {"name": "Delta Mangrove Network", "country": "MY", "category": "sponsor"}
    answer = api.post("/partners", token=world.token("secretariat"), json=body)
    _error(answer, 422, "invalid", "category")


# Proposals -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "partner"])
def test_a_proposal_is_submitted_as_a_draft(api: Api, world: World, role: str) -> None:
    body = {"title": "Tide gauges", "body": "We buy *four* gauges.", "kind": "general"}
    answer = api.post("/proposals", token=world.token(role), json=body)
    assert answer.status_code == 201
    proposal = answer.get_json()
    assert set(proposal) == PROPOSAL_FIELDS
    author = world.secretariat if role == "secretariat" else world.alpha_rep
    assert proposal["status"] == "draft"
    assert proposal["title"] == "Tide gauges" and proposal["body"] == "We buy *four* gauges."
    assert proposal["kind"] == "general" and proposal["subject"] is None
    assert proposal["created_by"] == author.id
    assert _utc(proposal["created_at"]) == NOW
    assert proposal["rounds"] == []
    fetched = api.get(f"/proposals/{proposal['id']}", token=world.token("observer"))
    assert fetched.get_json() == proposal


def test_the_kind_defaults_to_general(api: Api, world: World) -> None:
    body = {"title": "Tide gauges", "body": "Buy four."}
    answer = api.post("/proposals", token=world.token("partner"), json=body)
    assert answer.status_code == 201 and answer.get_json()["kind"] == "general"


@pytest.mark.parametrize(
    ("kind", "subject", "kept"),
    [
        ("suspension", {"partner_id": "beta"}, {"partner_id": "beta"}),
        ("removal", {"partner_id": "gamma"}, {"partner_id": "gamma"}),
        ("admission", {"application_id": "application"}, {"application_id": "application"}),
        ("regional_focus", {"countries": ["VN", "PH"]}, {"countries": ["PH", "VN"]}),
    ],
)
def test_each_kind_with_its_subject(
    api: Api, world: World, kind: str, subject: dict[str, Any], kept: dict[str, Any]
) -> None:
    def fill(value: dict[str, Any]) -> dict[str, Any]:
        ids = ("partner_id", "application_id")
        return {k: world.ids[v] if k in ids else v for k, v in value.items()}

    body = {"title": f"A {kind}", "body": "Because.", "kind": kind, "subject": fill(subject)}
    answer = api.post("/proposals", token=world.token("secretariat"), json=body)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["kind"] == kind
    assert answer.get_json()["subject"] == fill(kept)
    assert answer.get_json()["status"] == "draft"


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("suspension", None),
        ("removal", {"countries": ["PH"]}),
        ("suspension", {"partner_id": 999}),
        ("admission", {"application_id": 999}),
        ("regional_focus", None),
        ("regional_focus", {"partner_id": 1}),
    ],
)
def test_a_kind_without_its_subject_is_refused(
    api: Api, world: World, kind: str, subject: Any
) -> None:
    before = count(Proposal)
    body = {"title": "T", "body": "B", "kind": kind, "subject": subject}
    answer = api.post("/proposals", token=world.token("secretariat"), json=body)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "subject"
    assert count(Proposal) == before


def test_the_proposals_newest_first(api: Api, world: World) -> None:
    answer = api.get("/proposals", token=world.token("observer"))
    assert answer.status_code == 200
    listing = answer.get_json()
    assert set(listing) == LIST_FIELDS
    assert listing["total"] == 6 and listing["page"] == 1 and listing["per_page"] == 50
    ids = [p["id"] for p in listing["items"]]
    assert ids == sorted(ids, reverse=True)
    for proposal in listing["items"]:
        assert set(proposal) == PROPOSAL_FIELDS


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("draft", ["draft"]),
        ("open", ["voting", "ready"]),
        ("adopted", ["adopted"]),
        ("not_adopted", ["blocked"]),
        ("withdrawn", ["withdrawn"]),
    ],
)
def test_the_proposals_by_status(api: Api, world: World, status: str, names: list[str]) -> None:
    answer = api.get("/proposals", token=world.token("partner"), query={"status": status})
    assert answer.status_code == 200
    listing = answer.get_json()
    assert sorted(p["id"] for p in listing["items"]) == sorted(world.ids[n] for n in names)
    assert listing["total"] == len(names)
    assert {p["status"] for p in listing["items"]} == {status}


def test_an_empty_filter_is_no_filter(api: Api, world: World) -> None:
    every = api.get("/proposals", token=world.token("observer")).get_json()
    blank = api.get("/proposals", token=world.token("observer"), query={"status": ""})
    assert blank.status_code == 200
    assert blank.get_json() == every


def test_a_proposal_with_its_rounds_oldest_first(api: Api, world: World) -> None:
    second = api.post(
        f"/proposals/{world.blocked}/rounds",
        token=world.token("secretariat"),
        json={"deadline": iso(NOW + timedelta(days=5))},
    )
    assert second.status_code == 201
    answer = api.get(f"/proposals/{world.blocked}", token=world.token("observer"))
    assert answer.status_code == 200
    proposal = answer.get_json()
    assert set(proposal) == PROPOSAL_FIELDS
    assert proposal["status"] == "open"
    assert [r["number"] for r in proposal["rounds"]] == [1, 2]
    first, latest = proposal["rounds"]
    assert first["id"] == world.blocked_round and first["outcome"] == "blocked"
    assert first["decision_id"] == world.blocked_decision
    assert latest == second.get_json()
    for round_ in proposal["rounds"]:
        assert set(round_) == ROUND_FIELDS


def test_the_proposer_amends_a_draft(api: Api, world: World) -> None:
    change = {"title": "Shared mooring buoys, revised", "body": "Twelve buoys, not ten."}
    answer = api.patch(f"/proposals/{world.draft}", token=world.token("partner"), json=change)
    assert answer.status_code == 200
    assert answer.get_json()["title"] == change["title"]
    assert answer.get_json()["body"] == change["body"]
    # The title alone: the body stays.
    title = api.patch(
        f"/proposals/{world.draft}", token=world.token("secretariat"), json={"title": "T"}
    )
    assert title.get_json()["title"] == "T" and title.get_json()["body"] == change["body"]


def test_a_proposal_not_adopted_is_amended_before_its_next_round(api: Api, world: World) -> None:
    answer = api.patch(
        f"/proposals/{world.blocked}", token=world.token("secretariat"), json={"title": "Revised"}
    )
    assert answer.status_code == 200 and answer.get_json()["status"] == "not_adopted"


@pytest.mark.parametrize("state", ["voting", "adopted", "withdrawn"])
def test_a_proposal_is_not_amended_while_voted_on_or_once_settled(
    api: Api, world: World, state: str
) -> None:
    proposal_id = world.ids[state]
    before = api.get(f"/proposals/{proposal_id}", token=world.token("observer")).get_json()
    answer = api.patch(
        f"/proposals/{proposal_id}", token=world.token("secretariat"), json={"title": "Changed"}
    )
    _error(answer, 409, "proposal_locked")
    after = api.get(f"/proposals/{proposal_id}", token=world.token("observer")).get_json()
    assert after == before


# Rounds ----------------------------------------------------------------------------


def test_a_round_opens(api: Api, world: World) -> None:
    body = {"deadline": "2026-03-09T17:00:00+08:00", "quorum": 1, "auto_close": True}
    answer = api.post(
        f"/proposals/{world.draft}/rounds", token=world.token("secretariat"), json=body
    )
    assert answer.status_code == 201
    round_ = answer.get_json()
    assert set(round_) == ROUND_FIELDS
    assert round_["proposal_id"] == world.draft and round_["number"] == 1
    assert round_["status"] == "open"
    assert _utc(round_["opened_at"]) == NOW
    assert _utc(round_["deadline"]) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    assert round_["closed_at"] is None
    assert round_["quorum"] == 1 and round_["auto_close"] is True
    assert round_["electorate"] == [world.alpha, world.beta]  # Gamma has no voice
    assert round_["tally"] == {"consent": 0, "stand_aside": 0, "object": 0, "pending": 2}
    assert round_["positions"] == []
    assert round_["outcome"] is None and round_["decision_id"] is None
    proposal = api.get(f"/proposals/{world.draft}", token=world.token("observer")).get_json()
    assert proposal["status"] == "open"
    assert api.get(f"/rounds/{round_['id']}", token=world.token("observer")).get_json() == round_


def test_a_round_takes_the_default_quorum(api: Api, world: World) -> None:
    api.patch("/partnership", token=world.token("secretariat"), json={"default_quorum": 2})
    answer = api.post(
        f"/proposals/{world.draft}/rounds",
        token=world.token("secretariat"),
        json={"deadline": iso(NOW + timedelta(days=3))},
    )
    assert answer.status_code == 201
    assert answer.get_json()["quorum"] == 2 and answer.get_json()["auto_close"] is False


@pytest.mark.parametrize(
    ("state", "code"),
    [("voting", "round_open"), ("adopted", "proposal_locked"), ("withdrawn", "proposal_locked")],
)
def test_no_round_opens_on_a_proposal_being_decided_or_settled(
    api: Api, world: World, state: str, code: str
) -> None:
    before = count(Round)
    answer = api.post(
        f"/proposals/{world.ids[state]}/rounds",
        token=world.token("secretariat"),
        json={"deadline": iso(NOW + timedelta(days=7))},
    )
    _error(answer, 409, code)
    assert count(Round) == before


@pytest.mark.parametrize(
    ("deadline", "code"),
    [
        (iso(NOW - timedelta(minutes=1)), "deadline_not_in_future"),
        (iso(NOW), "deadline_not_in_future"),
        ("2026-03-02T10:00:00+00:00", "deadline_not_in_future"),
        (iso(NOW + timedelta(days=366 * 6)), "deadline_too_far"),
        ("2026-03-09T17:00:00", "invalid"),  # no offset
        ("2026-03-09", "invalid"),
        ("next friday", "invalid"),
    ],
)
def test_a_round_needs_a_deadline_in_the_future_with_its_offset(
    api: Api, world: World, deadline: str, code: str
) -> None:
    before = count(Round)
    answer = api.post(
        f"/proposals/{world.draft}/rounds",
        token=world.token("secretariat"),
        json={"deadline": deadline},
    )
    _error(answer, 422, code, "deadline")
    assert count(Round) == before


def test_a_quorum_above_the_electorate_is_refused(api: Api, world: World) -> None:
    answer = api.post(
        f"/proposals/{world.draft}/rounds",
        token=world.token("secretariat"),
        json={"deadline": iso(NOW + timedelta(days=7)), "quorum": 3},
    )
    _error(answer, 422, "invalid", "quorum")


def test_withdrawing_closes_the_open_round_as_withdrawn(api: Api, world: World) -> None:
    decisions = count(DecisionEntry)
    answer = api.post(f"/proposals/{world.voting}/withdraw", token=world.token("secretariat"))
    assert answer.status_code == 200
    proposal = answer.get_json()
    assert set(proposal) == PROPOSAL_FIELDS
    assert proposal["status"] == "withdrawn"
    (round_,) = proposal["rounds"]
    assert round_["status"] == "closed" and round_["outcome"] == "withdrawn"
    assert _utc(round_["closed_at"]) == NOW
    assert round_["decision_id"] is not None
    assert count(DecisionEntry) == decisions + 1
    entry = api.get(f"/decisions/{round_['decision_id']}", token=world.token("observer"))
    assert entry.get_json()["outcome"] == "withdrawn"


def test_the_proposer_withdraws_a_draft(api: Api, world: World) -> None:
    answer = api.post(f"/proposals/{world.draft}/withdraw", token=world.token("partner"))
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "withdrawn" and answer.get_json()["rounds"] == []


@pytest.mark.parametrize("state", ["adopted", "withdrawn"])
def test_a_settled_proposal_is_not_withdrawn(api: Api, world: World, state: str) -> None:
    answer = api.post(f"/proposals/{world.ids[state]}/withdraw", token=world.token("secretariat"))
    _error(answer, 409, "proposal_locked")


def test_the_round_as_api_md_writes_it(api: Api, world: World) -> None:
    answer = api.get(f"/rounds/{world.adopted_round}", token=world.token("observer"))
    assert answer.status_code == 200
    round_ = answer.get_json()
    assert set(round_) == ROUND_FIELDS
    assert round_["id"] == world.adopted_round and round_["proposal_id"] == world.adopted
    assert round_["number"] == 1 and round_["status"] == "closed"
    assert _utc(round_["opened_at"]) == datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
    assert _utc(round_["deadline"]) == datetime(2026, 2, 21, 9, 0, tzinfo=UTC)
    assert _utc(round_["closed_at"]) == datetime(2026, 2, 20, 11, 0, tzinfo=UTC)
    assert round_["quorum"] == 0 and round_["auto_close"] is False
    assert round_["electorate"] == [world.alpha, world.beta]
    assert round_["tally"] == {"consent": 1, "stand_aside": 1, "object": 0, "pending": 0}
    assert round_["outcome"] == "adopted" and round_["decision_id"] == world.adopted_decision
    assert [p["partner_id"] for p in round_["positions"]] == [world.alpha, world.beta]
    for position in round_["positions"]:
        assert POSITION_FIELDS <= set(position) <= POSITION_FIELDS | {"note"}
    alpha, beta = round_["positions"]
    assert alpha["stance"] == "consent" and beta["stance"] == "stand_aside"
    assert alpha["registered_by"] == world.alpha_rep.id and alpha["on_behalf"] is False
    assert alpha["reason"] == ""
    assert _utc(alpha["registered_at"]) == datetime(2026, 2, 20, 10, 0, tzinfo=UTC)


# Positions -------------------------------------------------------------------------


def test_a_representative_registers_their_partners_position(api: Api, world: World) -> None:
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.alpha}",
        token=world.token("partner"),
        json={"stance": "consent"},
    )
    assert answer.status_code == 200
    position = answer.get_json()
    assert POSITION_FIELDS <= set(position) <= POSITION_FIELDS | {"note"}
    assert position["partner_id"] == world.alpha and position["stance"] == "consent"
    assert position["reason"] == "" and position["on_behalf"] is False
    assert position["channel"] == "api"
    assert position["registered_by"] == world.alpha_rep.id
    assert _utc(position["registered_at"]) == NOW
    round_ = api.get(f"/rounds/{world.voting_round}", token=world.token("observer")).get_json()
    assert round_["tally"] == {"consent": 1, "stand_aside": 0, "object": 0, "pending": 1}
    assert round_["positions"] == [position]


def test_an_objection_with_its_reason(api: Api, world: World) -> None:
    reason = "  The calendar clashes with the spawning season.  "
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.alpha}",
        token=world.token("partner"),
        json={"stance": "object", "reason": reason},
    )
    assert answer.status_code == 200
    assert answer.get_json()["stance"] == "object"
    assert answer.get_json()["reason"] == reason.strip()


def test_the_secretariat_registers_on_a_partners_behalf_with_a_note(api: Api, world: World) -> None:
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.beta}",
        token=world.token("secretariat"),
        json={"stance": "stand_aside", "note": "Letter of 1 March from Beta's director."},
    )
    assert answer.status_code == 200
    position = answer.get_json()
    assert position["on_behalf"] is True
    assert position["registered_by"] == world.secretariat.id
    assert position["note"] == "Letter of 1 March from Beta's director."
    assert position["stance"] == "stand_aside"


@pytest.mark.parametrize("note", [None, "", "   "])
def test_the_secretariat_must_say_how_the_position_came_in(
    api: Api, world: World, note: str | None
) -> None:
    body: dict[str, Any] = {"stance": "consent"}
    if note is not None:
        body["note"] = note
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.beta}",
        token=world.token("secretariat"),
        json=body,
    )
    _error(answer, 422, "note_required", "note")
    assert count(Position) == WORLD_POSITIONS


@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t "])
def test_an_objection_needs_a_reason(api: Api, world: World, reason: str | None) -> None:
    body: dict[str, Any] = {"stance": "object"}
    if reason is not None:
        body["reason"] = reason
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.alpha}",
        token=world.token("partner"),
        json=body,
    )
    _error(answer, 422, "reason_required", "reason")
    assert count(Position) == WORLD_POSITIONS


@pytest.mark.parametrize("name", ["adopted_round", "blocked_round", "withdrawn_round"])
def test_no_position_in_a_closed_round(api: Api, world: World, name: str) -> None:
    answer = api.put(
        f"/rounds/{world.ids[name]}/positions/{world.alpha}",
        token=world.token("partner"),
        json={"stance": "consent"},
    )
    _error(answer, 409, "round_closed")
    assert count(Position) == WORLD_POSITIONS


def test_no_position_once_the_deadline_has_passed(api: Api, world: World, clock) -> None:  # type: ignore[no-untyped-def]
    deadline = _utc(
        api.get(f"/rounds/{world.voting_round}", token=world.token("observer")).get_json()[
            "deadline"
        ]
    )
    clock.move_to(deadline)
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.alpha}",
        token=world.token("partner"),
        json={"stance": "consent"},
    )
    _error(answer, 409, "deadline_passed")
    on_behalf = api.put(
        f"/rounds/{world.voting_round}/positions/{world.alpha}",
        token=world.token("secretariat"),
        json={"stance": "consent", "note": "By phone."},
    )
    _error(on_behalf, 409, "deadline_passed")
    assert count(Position) == WORLD_POSITIONS


def test_a_partner_outside_the_electorate_is_refused(api: Api, world: World) -> None:
    for token in (world.token("gamma"), world.token("secretariat")):
        answer = api.put(
            f"/rounds/{world.voting_round}/positions/{world.gamma}",
            token=token,
            json={"stance": "consent", "note": "By e-mail."},
        )
        _error(answer, 403, "not_in_electorate")
    assert count(Position) == WORLD_POSITIONS


def test_another_partners_representative_is_refused(api: Api, world: World) -> None:
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.alpha}",
        token=world.token("beta"),
        json={"stance": "object", "reason": "We speak for Alpha now."},
    )
    _error(answer, 403, "forbidden")
    assert count(Position) == WORLD_POSITIONS


def test_the_history_of_a_position_oldest_first(api: Api, world: World, clock) -> None:  # type: ignore[no-untyped-def]
    path = f"/rounds/{world.voting_round}/positions/{world.alpha}"
    sent = [
        ("partner", {"stance": "consent"}),
        ("partner", {"stance": "object", "reason": "On reflection, the dates clash."}),
        ("secretariat", {"stance": "stand_aside", "note": "Call with Alpha's director."}),
    ]
    for role, body in sent:
        clock.shift(timedelta(minutes=5))
        assert api.put(path, token=world.token(role), json=body).status_code == 200
    answer = api.get(f"{path}/history", token=world.token("observer"))
    assert answer.status_code == 200
    history = answer.get_json()
    assert set(history) == LIST_FIELDS and history["total"] == 3
    assert [p["stance"] for p in history["items"]] == ["consent", "object", "stand_aside"]
    times = [_utc(p["registered_at"]) for p in history["items"]]
    assert times == sorted(times) and len(set(times)) == 3
    assert [p["on_behalf"] for p in history["items"]] == [False, False, True]
    assert history["items"][1]["reason"] == "On reflection, the dates clash."
    # Only the latest counts.
    round_ = api.get(f"/rounds/{world.voting_round}", token=world.token("observer")).get_json()
    assert round_["tally"]["stand_aside"] == 1 and round_["tally"]["object"] == 0

    nothing = api.get(
        f"/rounds/{world.voting_round}/positions/{world.beta}/history",
        token=world.token("partner"),
    )
    assert nothing.get_json() == {"items": [], "page": 1, "per_page": 50, "total": 0}


# Extending and closing -------------------------------------------------------------


def test_the_deadline_is_extended(api: Api, world: World) -> None:
    later = NOW + timedelta(days=10)
    answer = api.post(
        f"/rounds/{world.voting_round}/extend",
        token=world.token("secretariat"),
        json={"deadline": iso(later)},
    )
    assert answer.status_code == 200
    round_ = answer.get_json()
    assert set(round_) == ROUND_FIELDS
    assert _utc(round_["deadline"]) == later and round_["status"] == "open"


@pytest.mark.parametrize("days", [7, 6, -1])
def test_an_extension_must_be_later(api: Api, world: World, days: int) -> None:
    current = api.get(f"/rounds/{world.voting_round}", token=world.token("observer")).get_json()
    answer = api.post(
        f"/rounds/{world.voting_round}/extend",
        token=world.token("secretariat"),
        json={"deadline": iso(datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(days=days))},
    )
    _error(answer, 422, "deadline_not_later", "deadline")
    after = api.get(f"/rounds/{world.voting_round}", token=world.token("observer")).get_json()
    assert after["deadline"] == current["deadline"]


def test_an_extension_needs_an_offset(api: Api, world: World) -> None:
    answer = api.post(
        f"/rounds/{world.voting_round}/extend",
        token=world.token("secretariat"),
        json={"deadline": "2026-03-20T12:00:00"},
    )
    _error(answer, 422, "invalid", "deadline")


def test_a_closed_round_is_not_extended(api: Api, world: World) -> None:
    answer = api.post(
        f"/rounds/{world.adopted_round}/extend",
        token=world.token("secretariat"),
        json={"deadline": iso(NOW + timedelta(days=10))},
    )
    _error(answer, 409, "round_closed")


def test_a_round_with_partners_pending_is_not_closed_early(api: Api, world: World) -> None:
    answer = api.post(f"/rounds/{world.voting_round}/close", token=world.token("secretariat"))
    _error(answer, 409, "partners_pending")
    assert (
        api.get(f"/rounds/{world.voting_round}", token=world.token("observer")).get_json()["status"]
        == "open"
    )


def test_a_round_where_everyone_has_spoken_closes_early(api: Api, world: World) -> None:
    decisions = count(DecisionEntry)
    answer = api.post(f"/rounds/{world.ready_round}/close", token=world.token("secretariat"))
    assert answer.status_code == 200
    closed = answer.get_json()
    assert set(closed) == {"outcome", "decision_id"}
    assert closed["outcome"] == "adopted"
    assert count(DecisionEntry) == decisions + 1
    entry = api.get(f"/decisions/{closed['decision_id']}", token=world.token("observer"))
    assert entry.get_json()["round_id"] == world.ready_round
    round_ = api.get(f"/rounds/{world.ready_round}", token=world.token("observer")).get_json()
    assert round_["status"] == "closed" and round_["outcome"] == "adopted"
    assert round_["decision_id"] == closed["decision_id"]
    assert (
        api.get(f"/proposals/{world.ready}", token=world.token("observer")).get_json()["status"]
        == "adopted"
    )

    again = api.post(f"/rounds/{world.ready_round}/close", token=world.token("secretariat"))
    _error(again, 409, "round_closed")


def test_after_the_deadline_a_round_closes_with_partners_pending(
    api: Api,
    world: World,
    clock,  # type: ignore[no-untyped-def]
) -> None:
    clock.move_to(datetime(2026, 3, 9, 9, 0, 1, tzinfo=UTC))
    answer = api.post(f"/rounds/{world.voting_round}/close", token=world.token("secretariat"))
    assert answer.status_code == 200
    # Quorum 0: silence is consent.
    assert answer.get_json()["outcome"] == "adopted"


# The decision log ------------------------------------------------------------------


def test_the_log_newest_first(api: Api, world: World) -> None:
    answer = api.get("/decisions", token=world.token("observer"))
    assert answer.status_code == 200
    listing = answer.get_json()
    assert set(listing) == LIST_FIELDS
    assert (listing["page"], listing["per_page"], listing["total"]) == (1, 50, 3)
    assert [d["id"] for d in listing["items"]] == [
        world.withdrawn_decision,
        world.blocked_decision,
        world.adopted_decision,
    ]
    for entry in listing["items"]:
        assert set(entry) == DECISION_FIELDS


def test_the_log_is_written_entry_by_entry_each_as_it_is_alone(api: Api, world: World) -> None:
    """The list is streamed (an entry of 10 000 partners is megabytes), gzipped as it goes
    when the client asks, and each item is the entry as its own address answers it."""
    token = world.token("observer")
    answer = api.get("/decisions", token=token, query={"per_page": 2})
    assert "Content-Length" not in answer.headers  # written as it goes
    listing = answer.get_json()
    for item in listing["items"]:
        assert item == api.get(f"/decisions/{item['id']}", token=token).get_json()
    assert [i["positions"] for i in listing["items"]] != [[], []]
    zipped = api.client.get(
        "/api/v1/decisions?per_page=2",
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"},
    )
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.get_data())) == listing


def test_a_listed_entry_keeps_its_positions_whatever_its_text(api: Api, world: World) -> None:
    """The list puts each entry's stored positions into the JSON pydantic writes for the
    rest of it (app/api/represent.py: decision_json): a title that spells the key out
    changes nothing."""
    odd = 'Not "positions":null, nor \\"positions\\":null — «ça»'
    db.session.execute(
        text("UPDATE decisions SET title = :title WHERE id = :id"),
        {"title": odd, "id": world.blocked_decision},
    )
    db.session.commit()
    token = world.token("observer")
    listed = {item["id"]: item for item in api.get("/decisions", token=token).get_json()["items"]}
    alone = api.get(f"/decisions/{world.blocked_decision}", token=token).get_json()
    assert listed[world.blocked_decision] == alone
    assert alone["title"] == odd and len(alone["positions"]) == 2


def test_the_log_without_its_positions(api: Api, world: World) -> None:
    """For a large partnership's log: each entry as it is listed, but its positions."""
    token = world.token("observer")
    whole = api.get("/decisions", token=token).get_json()
    for asked in ("false", "0", "no"):
        answer = api.get("/decisions", token=token, query={"positions": asked})
        assert answer.status_code == 200
        listing = answer.get_json()
        assert [item["positions"] for item in listing["items"]] == [None] * whole["total"]
        assert listing == {
            **whole,
            "items": [{**item, "positions": None} for item in whole["items"]],
        }
    asked_for = api.get("/decisions", token=token, query={"positions": "true"}).get_json()
    assert asked_for == whole and all(item["positions"] for item in whole["items"])


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"outcome": "adopted"}, ["adopted_decision"]),
        ({"outcome": "blocked"}, ["blocked_decision"]),
        ({"outcome": "lapsed"}, []),
        ({"kind": "general"}, ["withdrawn_decision", "blocked_decision", "adopted_decision"]),
        ({"kind": "removal"}, []),
        ({"q": "MORATORIUM"}, ["blocked_decision"]),
        ({"q": "something"}, ["withdrawn_decision", "blocked_decision", "adopted_decision"]),
        ({"q": "100%"}, []),
        ({"since": "2026-02-21T00:00:00+00:00"}, ["withdrawn_decision", "blocked_decision"]),
        ({"since": "2026-02-22T19:00:00+08:00"}, ["withdrawn_decision", "blocked_decision"]),
        ({"since": "2026-02-22"}, ["withdrawn_decision", "blocked_decision"]),
        ({"until": "2026-02-20"}, ["adopted_decision"]),
        ({"until": "2026-02-20T11:00:00.000000Z"}, ["adopted_decision"]),
        ({"since": "2026-02-21", "until": "2026-02-23"}, ["blocked_decision"]),
        ({"outcome": "withdrawn", "since": "2026-02-24"}, ["withdrawn_decision"]),
        ({"year": 2025}, []),
    ],
)
def test_the_log_filtered(api: Api, world: World, query: dict[str, Any], names: list[str]) -> None:
    answer = api.get("/decisions", token=world.token("partner"), query=query)
    assert answer.status_code == 200, answer.get_json()
    listing = answer.get_json()
    assert [d["id"] for d in listing["items"]] == [world.ids[n] for n in names]
    assert listing["total"] == len(names)


def test_the_log_in_pages(api: Api, world: World) -> None:
    answer = api.get("/decisions", token=world.token("observer"), query={"page": 2, "per_page": 1})
    listing = answer.get_json()
    assert (listing["page"], listing["per_page"], listing["total"]) == (2, 1, 3)
    assert [d["id"] for d in listing["items"]] == [world.blocked_decision]
    beyond = api.get("/decisions", token=world.token("observer"), query={"page": 9, "per_page": 1})
    assert beyond.get_json()["items"] == [] and beyond.get_json()["total"] == 3


def test_the_log_in_pages_after_the_last_entry_seen(api: Api, world: World) -> None:
    def older_than(entry_id: int, **query: Any) -> dict[str, Any]:
        query.update(before=entry_id, per_page=1)
        answer = api.get("/decisions", token=world.token("observer"), query=query)
        assert answer.status_code == 200, answer.get_json()
        body: dict[str, Any] = answer.get_json()
        return body

    following = older_than(world.withdrawn_decision, page=2)
    assert [d["id"] for d in following["items"]] == [world.blocked_decision]
    assert (following["page"], following["per_page"], following["total"]) == (2, 1, 3)
    last = older_than(world.blocked_decision)
    assert [d["id"] for d in last["items"]] == [world.adopted_decision]
    assert older_than(world.adopted_decision)["items"] == []
    # the filters hold as on any page
    adopted = older_than(world.withdrawn_decision, outcome="adopted")
    assert [d["id"] for d in adopted["items"]] == [world.adopted_decision]
    assert adopted["total"] == 1
    assert older_than(world.blocked_decision, outcome="blocked")["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"outcome": "approved"}, "outcome"),
        ({"kind": "budget"}, "kind"),
        ({"since": "2026-02-21T00:00:00"}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-02-31"}, "until"),
        ({"since": "2026-02-23", "until": "2026-02-21"}, "until"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 101}, "per_page"),
        ({"before": 0}, "before"),
        ({"before": "the last one"}, "before"),
        ({"before": 2**31}, "before"),
        ({"year": "MMXXVI"}, "year"),
        ({"positions": "some"}, "positions"),
        ({"q": "x" * 201}, "q"),
        ({"q": "nul\x00byte"}, "q"),
    ],
)
def test_a_bad_filter_is_refused(api: Api, world: World, query: dict[str, Any], field: str) -> None:
    answer = api.get("/decisions", token=world.token("observer"), query=query)
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["field"] == field


def test_a_decision_in_full(api: Api, world: World) -> None:
    answer = api.get(f"/decisions/{world.blocked_decision}", token=world.token("observer"))
    assert answer.status_code == 200
    entry = answer.get_json()
    assert set(entry) == DECISION_FIELDS
    assert entry["id"] == world.blocked_decision
    assert entry["number"] == "2026/002"
    assert entry["proposal_id"] == world.blocked and entry["round_id"] == world.blocked_round
    assert entry["title"] == "Night-fishing moratorium" and entry["kind"] == "general"
    assert entry["text"] == "We propose that **something** be done."
    assert entry["outcome"] == "blocked"
    assert _utc(entry["closed_at"]) == datetime(2026, 2, 22, 11, 0, tzinfo=UTC)
    assert entry["tally"] == {"consent": 1, "stand_aside": 0, "object": 1, "pending": 0}
    by_partner = {p["partner_id"]: p for p in entry["positions"]}
    assert by_partner[world.beta]["stance"] == "object"
    assert by_partner[world.beta]["reason"] == "It would close our members' fishing grounds."
    assert by_partner[world.beta]["partner"] == "Beta Coastal Alliance"
    assert entry["effects"] == []
    first = api.get(f"/decisions/{world.adopted_decision}", token=world.token("observer"))
    assert entry["prev_hash"] == first.get_json()["hash"]
    assert first.get_json()["prev_hash"] == "0" * 64
    assert len(entry["hash"]) == 64 and int(entry["hash"], 16) >= 0


def test_the_log_verifies(api: Api, world: World) -> None:
    answer = api.get("/decisions/verify", token=world.token("observer"))
    assert answer.status_code == 200
    assert answer.get_json() == {"ok": True, "count": 3, "first_bad": None}


def test_an_altered_entry_breaks_the_chain(api: Api, world: World) -> None:
    # Behind the services' back, as someone with the database's password could.
    db.session.execute(
        text("UPDATE decisions SET title = 'A forged title' WHERE id = :id"),
        {"id": world.blocked_decision},
    )
    db.session.commit()
    answer = api.get("/decisions/verify", token=world.token("partner"))
    assert answer.status_code == 200
    assert answer.get_json() == {"ok": False, "count": 3, "first_bad": world.blocked_decision}


def test_the_verification_of_an_empty_log(api: Api, session, token_for) -> None:  # type: ignore[no-untyped-def]
    token = token_for(api_user(session, Role.OBSERVER))
    answer = api.get("/decisions/verify", token=token)
    assert answer.get_json() == {"ok": True, "count": 0, "first_bad": None}


def test_every_time_carries_an_offset(api: Api, world: World) -> None:
    """The client checks every answer for this; here, each place a time appears."""
    answers = [
        api.get(f"/proposals/{world.adopted}", token=world.token("observer")).get_json(),
        api.get(f"/decisions/{world.adopted_decision}", token=world.token("observer")).get_json(),
        api.get(
            f"/rounds/{world.adopted_round}/positions/{world.alpha}/history",
            token=world.token("observer"),
        ).get_json(),
    ]
    proposal, entry, history = answers
    round_ = proposal["rounds"][0]
    times = [
        proposal["created_at"],
        round_["opened_at"],
        round_["deadline"],
        round_["closed_at"],
        round_["positions"][0]["registered_at"],
        entry["closed_at"],
        entry["positions"][0]["registered_at"],
        history["items"][0]["registered_at"],
    ]
    for value in times:
        assert datetime.fromisoformat(value).utcoffset() is not None, value


def test_a_deadline_in_another_zone_is_the_same_moment(api: Api, world: World) -> None:
    answer = api.post(
        f"/proposals/{world.draft}/rounds",
        token=world.token("secretariat"),
        json={"deadline": "2026-03-05T23:30:00-05:00"},
    )
    assert _utc(answer.get_json()["deadline"]) == datetime(2026, 3, 6, 4, 30, tzinfo=UTC)
