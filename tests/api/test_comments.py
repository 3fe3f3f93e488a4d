"""The discussion over the API (shared API.md, "Deliberation: comments and objections"):
who may comment, the shape of a comment, the 409 and 422 the contract names, the
author's edit within 15 minutes."""

from datetime import datetime, timedelta
from typing import Any

import time_machine
from sqlalchemy import select

from decisions import partners
from decisions.deliberation_models import Comment
from notifications.models import InboxEntry, Kind
from tests.api.conftest import NOW, Api, World, count, listing, refused

#: API.md's comment; the API adds ``edited_at``
COMMENT_FIELDS = {
    "id",
    "proposal_id",
    "author_id",
    "author_name",
    "partner_id",
    "body",
    "reply_to",
    "created_at",
    "edited_at",
}


def _comments(api: Api, world: World, proposal: int, **query: Any) -> dict[str, Any]:
    return listing(api, world, f"/proposals/{proposal}/comments", **query)


def test_a_comment_is_posted_and_listed_oldest_first(api: Api, world: World) -> None:
    answer = api.post(
        f"/proposals/{world.voting}/comments",
        token=world.token("beta"),
        json={"body": "Could the calendar **include** the monsoon?"},
    )
    assert answer.status_code == 201, answer.get_json()
    posted = answer.get_json()
    assert set(posted) == COMMENT_FIELDS
    assert posted["proposal_id"] == world.voting
    assert posted["author_id"] == world.beta_rep.id
    assert posted["author_name"] == world.beta_rep.name
    assert posted["partner_id"] == world.beta
    assert posted["body"] == "Could the calendar **include** the monsoon?"
    assert posted["reply_to"] is None and posted["edited_at"] is None

    listed = _comments(api, world, world.voting)
    assert [c["id"] for c in listed["items"]] == [
        world.comment,
        world.secretariat_comment,
        posted["id"],
    ]
    assert listed["total"] == 3
    secretariat = listed["items"][1]
    assert secretariat["partner_id"] is None  # the Secretariat speaks for no partner
    paged = _comments(api, world, world.voting, page=2, per_page=2)
    assert [c["id"] for c in paged["items"]] == [posted["id"]] and paged["total"] == 3


def test_a_reply_names_its_comment_and_a_reply_to_a_reply_joins_the_thread(
    api: Api, world: World
) -> None:
    path = f"/proposals/{world.voting}/comments"
    reply = api.post(
        path, token=world.token("beta"), json={"body": "June too.", "reply_to": world.comment}
    ).get_json()
    assert reply["reply_to"] == world.comment
    deeper = api.post(
        path, token=world.token("partner"), json={"body": "Thanks.", "reply_to": reply["id"]}
    )
    assert deeper.status_code == 201
    assert deeper.get_json()["reply_to"] == world.comment  # one level: the thread's comment


def test_who_may_not_comment(api: Api, world: World, session) -> None:  # type: ignore[no-untyped-def]
    path = f"/proposals/{world.voting}/comments"
    before = count(Comment)
    observer = api.post(path, token=world.token("observer"), json={"body": "May I?"})
    refused(observer, 403)
    partners.update_partner(session, None, world.beta, status="suspended")
    suspended = api.post(path, token=world.token("beta"), json={"body": "Still here."})
    refused(suspended, 403, "forbidden")
    # A partner without a voice in rounds (a supporter) still takes part in the discussion.
    supporter = api.post(path, token=world.token("gamma"), json={"body": "We support it."})
    assert supporter.status_code == 201
    assert count(Comment) == before + 1


def test_bad_input_names_its_field(api: Api, world: World) -> None:
    path = f"/proposals/{world.voting}/comments"
    token = world.token("partner")
    before = count(Comment)
    cases = [
        ({"body": "   \n "}, "body"),
        ({"body": ""}, "body"),
        ({}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"body": "Ok", "reply_to": 999_999}, "reply_to"),  # no such comment
        ({"body": "Ok", "reply_to": "1"}, "reply_to"),  # not a number
        ({"body": "Ok", "reply_to": 0}, "reply_to"),
    ]
    for sent, field in cases:
        answer = api.post(path, token=token, json=sent)
        refused(answer, 422, field=field)
    assert count(Comment) == before


def test_a_reply_to_another_proposals_comment_is_refused(api: Api, world: World) -> None:
    other = api.post(
        f"/proposals/{world.ready}/comments", token=world.token("partner"), json={"body": "Hm."}
    ).get_json()
    answer = api.post(
        f"/proposals/{world.voting}/comments",
        token=world.token("partner"),
        json={"body": "Misplaced.", "reply_to": other["id"]},
    )
    refused(answer, 422, field="reply_to")


def test_the_discussion_of_an_adopted_or_withdrawn_proposal_is_closed_and_still_read(
    api: Api, world: World
) -> None:
    for proposal in (world.adopted, world.withdrawn):
        answer = api.post(
            f"/proposals/{proposal}/comments", token=world.token("secretariat"), json={"body": "A"}
        )
        refused(answer, 409, "discussion_closed")
    # Comments posted before the close stay readable: withdraw the proposal discussed.
    withdrawn = api.post(f"/proposals/{world.voting}/withdraw", token=world.token("secretariat"))
    assert withdrawn.status_code == 200
    listed = _comments(api, world, world.voting)
    assert [c["id"] for c in listed["items"]] == [world.comment, world.secretariat_comment]
    edit = api.patch(
        f"/comments/{world.comment}", token=world.token("partner"), json={"body": "Late."}
    )
    refused(edit, 409, "discussion_closed")


def test_an_unknown_proposal_or_comment_is_404(api: Api, world: World) -> None:
    token = world.token("secretariat")
    assert api.get("/proposals/999999/comments", token=token).status_code == 404
    assert api.post("/proposals/999999/comments", token=token, json={"body": "A"}).status_code == (
        404
    )
    assert api.patch("/comments/999999", token=token, json={"body": "A"}).status_code == 404


def test_the_author_edits_within_15_minutes_then_the_comment_is_fixed(
    api: Api, world: World, clock: time_machine.Traveller
) -> None:
    path = f"/comments/{world.comment}"
    token = world.token("partner")
    clock.shift(timedelta(minutes=14))
    answer = api.patch(path, token=token, json={"body": "Which months, exactly?"})
    assert answer.status_code == 200, answer.get_json()
    edited = answer.get_json()
    assert edited["body"] == "Which months, exactly?"
    assert datetime.fromisoformat(edited["edited_at"]) == NOW + timedelta(minutes=14)
    blank = api.patch(path, token=token, json={"body": "  "})
    refused(blank, 422, field="body")
    other = api.patch(path, token=world.token("beta"), json={"body": "Not mine."})
    refused(other, 403)
    clock.shift(timedelta(minutes=2))
    late = api.patch(path, token=token, json={"body": "Too late."})
    refused(late, 409, "comment_fixed")
    assert _comments(api, world, world.voting)["items"][0]["body"] == "Which months, exactly?"


def test_a_comment_notifies_in_the_same_transaction(api: Api, world: World, session) -> None:  # type: ignore[no-untyped-def]
    posted = api.post(
        f"/proposals/{world.voting}/comments", token=world.token("beta"), json={"body": "Yes."}
    ).get_json()
    notices = select(InboxEntry.user_id).where(
        InboxEntry.kind == Kind.COMMENT, InboxEntry.link.endswith(f"#comment-{posted['id']}")
    )
    notified = set(session.scalars(notices))
    # the Secretariat (also the proposer) and Alpha's representative, who commented before
    assert notified == {world.secretariat.id, world.alpha_rep.id}
