"""Rules per kind of proposal and the partnership's own categories, through the API
(shared API.md, "Rules per kind of proposal"): GET and PATCH /partnership, and the 422s
of POST /proposals/{id}/rounds that the rules give."""

from datetime import timedelta
from typing import Any

import pytest

from decisions import categories
from tests.api.conftest import NOW, Api, World, iso

DEFAULT_RULES = {
    "general": {"min_round_hours": 0, "allow_silence": True},
    "admission": {"min_round_hours": 0, "allow_silence": False},
    "regional_focus": {"min_round_hours": 0, "allow_silence": True},
    "suspension": {"min_round_hours": 0, "allow_silence": False},
    "removal": {"min_round_hours": 0, "allow_silence": False},
}


def patch(api: Api, world: World, body: Any, role: str = "secretariat") -> Any:
    return api.patch("/partnership", token=world.token(role), json=body)


def draft(api: Api, world: World, kind: str, subject: Any = None) -> int:
    body: dict[str, Any] = {"title": f"A {kind}", "body": "Text.", "kind": kind}
    if subject is not None:
        body["subject"] = subject
    answer = api.post("/proposals", token=world.token("secretariat"), json=body)
    assert answer.status_code == 201, answer.get_json()
    return int(answer.get_json()["id"])


def open_round(api: Api, world: World, proposal_id: int, **body: Any) -> Any:
    return api.post(f"/proposals/{proposal_id}/rounds", token=world.token("secretariat"), json=body)


# GET and PATCH /partnership: kind_rules ----------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "partner", "observer"])
def test_every_kind_with_both_rules_is_read_by_anyone(api, world, role) -> None:  # type: ignore[no-untyped-def]
    answer = api.get("/partnership", token=world.token(role))
    assert answer.status_code == 200
    assert answer.get_json()["kind_rules"] == DEFAULT_RULES


def test_any_subset_changes_and_the_rest_stays(api, world) -> None:  # type: ignore[no-untyped-def]
    first = patch(api, world, {"kind_rules": {"admission": {"min_round_hours": 72}}})
    assert first.status_code == 200
    assert first.get_json()["kind_rules"]["admission"] == {
        "min_round_hours": 72,
        "allow_silence": False,
    }
    second = patch(
        api,
        world,
        {"kind_rules": {"admission": {"allow_silence": True}, "removal": {"min_round_hours": 96}}},
    )
    rules = second.get_json()["kind_rules"]
    assert rules == {
        **DEFAULT_RULES,
        "admission": {"min_round_hours": 72, "allow_silence": True},
        "removal": {"min_round_hours": 96, "allow_silence": False},
    }
    assert api.get("/partnership", token=world.token("observer")).get_json()["kind_rules"] == rules
    # Other settings leave the rules alone.
    assert patch(api, world, {"default_quorum": 1}).get_json()["kind_rules"] == rules


@pytest.mark.parametrize(
    "kind_rules",
    [
        {"coup": {"min_round_hours": 1}},
        {"admission": {"colour": "blue"}},
        {"admission": {"min_round_hours": -1}},
        {"admission": {"min_round_hours": 1.5}},
        {"admission": {"min_round_hours": "72"}},
        {"admission": {"min_round_hours": 10**9}},
        {"admission": {"allow_silence": "no"}},
        {"admission": 72},
        ["admission"],
    ],
)
def test_bad_rules_are_refused_naming_kind_rules(api, world, kind_rules) -> None:  # type: ignore[no-untyped-def]
    answer = patch(api, world, {"kind_rules": kind_rules})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "kind_rules"
    assert api.get("/partnership", token=world.token("observer")).get_json()["kind_rules"] == (
        DEFAULT_RULES
    )


@pytest.mark.parametrize("role", ["partner", "observer"])
def test_only_the_secretariat_changes_rules_and_categories(api, world, role) -> None:  # type: ignore[no-untyped-def]
    for body in (
        {"kind_rules": {"admission": {"allow_silence": True}}},
        {"categories": [{"slug": "academics", "name": "Academics", "has_standing": True}]},
    ):
        assert patch(api, world, body, role).status_code == 403
    settings = api.get("/partnership", token=world.token(role)).get_json()
    assert settings["kind_rules"] == DEFAULT_RULES
    assert "academics" not in {c["slug"] for c in settings["categories"]}


# Opening a round under the rules ---------------------------------------------------------


def test_quorum_0_given_or_by_default_is_refused_on_an_admission(api, world) -> None:  # type: ignore[no-untyped-def]
    proposal = draft(api, world, "admission")
    deadline = iso(NOW + timedelta(days=7))
    for body in ({"deadline": deadline, "quorum": 0}, {"deadline": deadline}):
        answer = open_round(api, world, proposal, **body)
        assert answer.status_code == 422
        error = answer.get_json()["error"]
        assert error["field"] == "quorum"
        assert (
            error["message"] == "Silence cannot count on an admission: set a quorum of at least 1."
        )
    opened = open_round(api, world, proposal, deadline=deadline, quorum=1)
    assert opened.status_code == 201 and opened.get_json()["quorum"] == 1


def test_quorum_0_is_accepted_on_a_general_proposal(api, world) -> None:  # type: ignore[no-untyped-def]
    proposal = draft(api, world, "general")
    answer = open_round(api, world, proposal, deadline=iso(NOW + timedelta(days=7)))
    assert answer.status_code == 201 and answer.get_json()["quorum"] == 0


def test_a_round_shorter_than_the_kinds_minimum_is_refused(api, world) -> None:  # type: ignore[no-untyped-def]
    patch(api, world, {"kind_rules": {"suspension": {"min_round_hours": 72}}})
    proposal = draft(api, world, "suspension", {"partner_id": world.beta})
    short = open_round(
        api, world, proposal, deadline=iso(NOW + timedelta(hours=72, minutes=-1)), quorum=1
    )
    assert short.status_code == 422
    error = short.get_json()["error"]
    assert error["field"] == "deadline"
    assert error["code"] == "round_too_short"
    assert "at least 72 hours" in error["message"]
    assert "2026-03-05 10:00 (UTC)" in error["message"]
    exact = open_round(api, world, proposal, deadline=iso(NOW + timedelta(hours=72)), quorum=1)
    assert exact.status_code == 201


# Categories ------------------------------------------------------------------------------


def test_categories_answer_their_slug_and_whether_they_are_retired(api, world) -> None:  # type: ignore[no-untyped-def]
    listed = api.get("/partnership", token=world.token("observer")).get_json()["categories"]
    assert listed[0] == {"slug": "member", "name": "Member", "has_standing": True, "retired": False}
    assert [c["slug"] for c in listed] == ["member", "supporter", "focal_point", "observer"]


def test_a_new_slug_adds_a_known_one_renames_and_retires(api, world, session) -> None:  # type: ignore[no-untyped-def]
    answer = patch(
        api,
        world,
        {
            "categories": [
                {"slug": "parliamentarians", "name": "Parliamentarians", "has_standing": True},
                {"slug": "supporter", "name": "NGO supporter", "has_standing": True},
                {
                    "slug": "focal_point",
                    "name": "Focal point",
                    "has_standing": False,
                    "retired": True,
                },
            ]
        },
    )
    assert answer.status_code == 200
    listed = {c["slug"]: c for c in answer.get_json()["categories"]}
    assert listed["parliamentarians"] == {
        "slug": "parliamentarians",
        "name": "Parliamentarians",
        "has_standing": True,
        "retired": False,
    }
    assert listed["supporter"]["name"] == "NGO supporter" and listed["supporter"]["has_standing"]
    assert listed["focal_point"]["retired"] is True
    assert listed["member"] == {
        "slug": "member",
        "name": "Member",
        "has_standing": True,
        "retired": False,
    }
    # Gamma, a supporter, keeps its category and now has a voice.
    partners = api.get("/partners", token=world.token("observer")).get_json()["items"]
    gamma = next(p for p in partners if p["id"] == world.gamma)
    assert gamma["category"] == "supporter" and gamma["has_standing"] is True
    # retired: false brings it back; left out, it stays as it is.
    back = patch(
        api,
        world,
        {
            "categories": [
                {
                    "slug": "focal_point",
                    "name": "Focal point",
                    "has_standing": False,
                    "retired": False,
                }
            ]
        },
    )
    assert {c["slug"]: c["retired"] for c in back.get_json()["categories"]}["focal_point"] is False
    kept = patch(
        api,
        world,
        {"categories": [{"slug": "focal_point", "name": "Focal points", "has_standing": False}]},
    )
    assert {c["slug"]: c["retired"] for c in kept.get_json()["categories"]}["focal_point"] is False
    assert len(categories.categories(session)) == 5


@pytest.mark.parametrize(
    "value",
    [
        [{"slug": "x", "name": "X"}],
        [{"slug": "Not A Slug", "name": "X", "has_standing": True}],
        [{"slug": "x", "name": "X", "has_standing": "yes"}],
        [{"slug": "x", "name": "X", "has_standing": True, "retired": 1}],
        [{"slug": "x", "name": "", "has_standing": True}],
        [{"slug": "x", "name": "Member", "has_standing": False}],
        [{"slug": "x", "name": "Two\nlines", "has_standing": False}],
        [{"slug": "x", "name": "X", "has_standing": True, "colour": "red"}],
        [
            {"slug": "x", "name": "X", "has_standing": True},
            {"slug": "x", "name": "Y", "has_standing": True},
        ],
        {"slug": "x", "name": "X", "has_standing": True},
    ],
)
def test_bad_categories_are_refused_naming_categories(api, world, value) -> None:  # type: ignore[no-untyped-def]
    answer = patch(api, world, {"categories": value})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "categories"
    listed = api.get("/partnership", token=world.token("observer")).get_json()["categories"]
    assert [c["slug"] for c in listed] == ["member", "supporter", "focal_point", "observer"]


def test_a_retired_category_is_refused_to_an_applicant(api, world) -> None:  # type: ignore[no-untyped-def]
    patch(
        api,
        world,
        {
            "categories": [
                {"slug": "supporter", "name": "Supporter", "has_standing": False, "retired": True}
            ]
        },
    )
    answer = api.post(
        "/applications",
        json={
            "organisation_name": "Late Supporter",
            "mandate": "Supports the partnership.",
            "headquarters_country": "PH",
            "operating_countries": ["PH"],
            "legally_registered": True,
            "government_controlled": False,
            "agrees_with_principles": True,
            "category": "supporter",
            "contact_name": "Ana Cruz",
            "contact_email": "ana@late-supporter.example",
        },
    )
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "category"
