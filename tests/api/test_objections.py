"""Objections in the API (API.md, "Deliberation"): the list, the answer, and the log
entry naming the objections its round resolved.

The world's ``blocked`` proposal (drafted by the Secretariat) was blocked by Beta's
objection; the clock stands at NOW.
"""

from datetime import datetime, timedelta
from typing import Any

from decisions import rounds
from decisions.db import db
from decisions.models import Round
from tests.api.conftest import NOW, Api, World, listing, refused

OBJECTION_FIELDS = {
    "id",
    "proposal_id",
    "round_id",
    "partner_id",
    "reason",
    "status",
    "answer",
    "answered_by",
    "answered_at",
    "previous_id",
    # not in API.md's row: the round whose close settled it
    "settled_in_round_id",
}


def next_round(world: World, proposal_id: int, stances: dict[int, tuple[str, str]]) -> Round:
    """A new round on the proposal, every partner speaking, closed at once."""
    session = db.session
    opened = rounds.open_round(
        session, world.secretariat, proposal_id, NOW + timedelta(days=1), now=NOW
    )
    round_id = opened.id
    for partner_id, (stance, reason) in stances.items():
        rounds.register_position(
            session, world.secretariat, round_id, partner_id, stance, reason, "Letter", now=NOW
        )
    rounds.close_round(session, world.secretariat, round_id, now=NOW)
    return session.get_one(Round, round_id)


def listed(api: Api, world: World, proposal_id: int, role: str = "observer") -> list[Any]:
    body = listing(api, world, f"/proposals/{proposal_id}/objections", role)
    assert body["total"] == len(body["items"])
    return body["items"]


def test_the_list_of_a_blocked_proposal(api: Api, world: World) -> None:
    [objection] = listed(api, world, world.blocked)
    assert set(objection) == OBJECTION_FIELDS
    assert objection == {
        "id": world.blocked_objection,
        "proposal_id": world.blocked,
        "round_id": world.blocked_round,
        "partner_id": world.beta,
        "reason": "It would close our members' fishing grounds.",
        "status": "open",
        "answer": "",
        "answered_by": None,
        "answered_at": None,
        "previous_id": None,
        "settled_in_round_id": None,
    }
    assert listed(api, world, world.adopted) == []


def test_an_unknown_proposal_has_no_list(api: Api, world: World) -> None:
    refused(api.get("/proposals/999999/objections", token=world.token("partner")), 404)


def test_the_secretariat_answers(api: Api, world: World) -> None:
    answer = api.post(
        f"/objections/{world.blocked_objection}/answer",
        token=world.token("secretariat"),
        json={"answer": "Night fishing stays open in the listed grounds."},
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert set(body) == OBJECTION_FIELDS
    assert body["status"] == "answered"
    assert body["answer"] == "Night fishing stays open in the listed grounds."
    assert body["answered_by"] == world.secretariat.id
    assert datetime.fromisoformat(body["answered_at"]) == NOW
    assert listed(api, world, world.blocked)[0] == body


def test_the_proposer_answers_and_no_other_partner(api: Api, world: World) -> None:
    """Alpha's representative drafted ``draft``; Beta objects to it."""
    first = next_round(
        world, world.draft, {world.alpha: ("consent", ""), world.beta: ("object", "Too dear")}
    )
    [objection] = listed(api, world, world.draft)
    assert objection["round_id"] == first.id
    path = f"/objections/{objection['id']}/answer"
    for role in ("beta", "gamma", "observer"):  # the objector, a supporter, an observer
        refused(api.post(path, token=world.token(role), json={"answer": "Mine"}), 403)
    answered = api.post(path, token=world.token("partner"), json={"answer": "Shared costs."})
    assert answered.status_code == 200
    assert answered.get_json()["answered_by"] == world.alpha_rep.id


def test_a_blank_answer_is_422_on_its_field(api: Api, world: World) -> None:
    for blank in ("", "  \n "):
        answer = api.post(
            f"/objections/{world.blocked_objection}/answer",
            token=world.token("secretariat"),
            json={"answer": blank},
        )
        refused(answer, 422, field="answer")
    missing = api.post(
        f"/objections/{world.blocked_objection}/answer", token=world.token("secretariat"), json={}
    )
    refused(missing, 422, field="answer")
    assert listed(api, world, world.blocked)[0]["status"] == "open"


def test_an_unknown_objection_is_404(api: Api, world: World) -> None:
    answer = api.post(
        "/objections/999999/answer", token=world.token("secretariat"), json={"answer": "Yes"}
    )
    assert answer.status_code == 404


def test_resolved_and_maintained_objections_are_409_and_the_log_names_the_resolved(
    api: Api, world: World
) -> None:
    second = next_round(
        world, world.blocked, {world.alpha: ("object", "Too late"), world.beta: ("consent", "")}
    )
    third = next_round(
        world,
        world.blocked,
        {world.alpha: ("object", "Still too late"), world.beta: ("consent", "")},
    )
    first, by_alpha, again = listed(api, world, world.blocked)
    assert (first["status"], first["settled_in_round_id"]) == ("resolved", second.id)
    assert (by_alpha["status"], by_alpha["settled_in_round_id"]) == ("maintained", third.id)
    assert (again["status"], again["previous_id"]) == ("open", by_alpha["id"])
    for settled in (first, by_alpha):
        answer = api.post(
            f"/objections/{settled['id']}/answer",
            token=world.token("secretariat"),
            json={"answer": "Late"},
        )
        refused(answer, 409, "objection_settled")

    entry = api.get(f"/decisions/{second.decision.id}", token=world.token("observer")).get_json()
    assert entry["resolved_objections"] == [first["id"]]
    later = api.get(f"/decisions/{third.decision.id}", token=world.token("observer")).get_json()
    assert later["resolved_objections"] == []
    log = api.get("/decisions", token=world.token("observer"), query={"per_page": 100})
    by_id = {e["id"]: e["resolved_objections"] for e in log.get_json()["items"]}
    assert by_id[second.decision.id] == [first["id"]]
    assert by_id[world.blocked_decision] == []
