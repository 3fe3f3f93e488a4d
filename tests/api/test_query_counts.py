"""The API's reads cost the same number of SQL statements with 5 partners as with 40,
and a list of proposals the same with 1 proposal as with 4."""

from datetime import timedelta

import time_machine

from decisions import tokens
from decisions.db import db
from decisions.models import User
from tests.conftest import T0
from tests.web.test_query_counts import add_applications, counting_statements, decided_twice


def _statements(client, token: str, url: str) -> int:  # type: ignore[no-untyped-def]
    db.session.expire_all()  # each request starts afresh, as in production
    with counting_statements() as statements:
        answer = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_json()
    return len(statements)


def _token(session, user: User) -> str:  # type: ignore[no-untyped-def]
    return tokens.create_token(session, user)[1]


def test_reads_do_not_grow_with_partners_or_proposals(ctx, make, session):  # type: ignore[no-untyped-def]
    client = ctx.test_client()
    with time_machine.travel(T0, tick=False):
        few = make.partners(5)
        sec = make.secretariat()
        small = decided_twice(make, session, sec, few)
        token = _token(session, make.representative(few[0]))
        first = {
            "proposal": _statements(client, token, f"/api/v1/proposals/{small.id}"),
            "proposals": _statements(client, token, "/api/v1/proposals"),
            "round": _statements(client, token, f"/api/v1/rounds/{small.rounds[-1].id}"),
            "decisions": _statements(client, token, "/api/v1/decisions"),
        }
        many = few + make.partners(35)
        large = None
        for _ in range(3):
            large = decided_twice(make, session, sec, many)
        assert large is not None
        then = {
            "proposal": _statements(client, token, f"/api/v1/proposals/{large.id}"),
            "proposals": _statements(client, token, "/api/v1/proposals"),
            "round": _statements(client, token, f"/api/v1/rounds/{large.rounds[-1].id}"),
            "decisions": _statements(client, token, "/api/v1/decisions"),
        }
    assert first == then
    assert max(then.values()) <= 10, then


def test_the_applications_list_does_not_grow_with_applications(ctx, make, session):  # type: ignore[no-untyped-def]
    client = ctx.test_client()
    token = _token(session, make.secretariat())
    add_applications(session, 2)
    few = _statements(client, token, "/api/v1/applications")
    add_applications(session, 18)
    assert _statements(client, token, "/api/v1/applications") == few


def _put_statements(client, token: str, url: str, body: dict[str, str]):  # type: ignore[no-untyped-def]
    """The statements of one PUT, and its answer."""
    db.session.expire_all()
    with counting_statements() as statements:
        answer = client.put(url, json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_json()
    # SQLite's BEGIN IMMEDIATE (decisions/db.py) is a statement of its own there.
    return sum(not s.startswith("BEGIN") for s in statements), answer.get_json()


def test_registering_a_position_costs_three_statements(ctx, make, session):  # type: ignore[no-untyped-def]
    """The token's user, the round locked with the partner's place in its electorate,
    the position: the answer is the row as written, not read again after the commit.
    An objection's notices (the Secretariat's and the proposer's) add theirs."""
    client = ctx.test_client()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        partners = make.partners(3)
        sec = make.secretariat()
        round_ = make.open_round(make.proposal(sec), sec)
        url = f"/api/v1/rounds/{round_.id}/positions/{partners[0].id}"
        rep = _token(session, make.representative(partners[0]))
        by_rep = _put_statements(client, rep, url, {"stance": "consent"})
        on_behalf = {"stance": "stand_aside", "note": "Letter of 2 March"}
        by_sec = _put_statements(client, _token(session, sec), url, on_behalf)
        history = client.get(f"{url}/history", headers={"Authorization": f"Bearer {rep}"})
        objection = {"stance": "object", "reason": "Not without a budget"}
        by_objection = _put_statements(client, rep, url, objection)
    assert by_rep[0] <= 3 and by_sec[0] <= 3, (by_rep, by_sec)
    assert history.get_json()["items"] == [by_rep[1], by_sec[1]]
    # The channel is a column of the same INSERT: no statement more.
    assert [by_rep[1]["channel"], by_sec[1]["channel"]] == ["api", "api"]
    assert by_objection[1]["stance"] == "object"
    # its e-mails' bodies are stored first, once for all their readers
    # (notifications/outbox.py)
    assert by_objection[0] <= 12, by_objection
