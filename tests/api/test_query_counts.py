"""The API's reads cost the same number of SQL statements with 5 partners as with 40,
and a list of proposals the same with 1 proposal as with 4."""

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
