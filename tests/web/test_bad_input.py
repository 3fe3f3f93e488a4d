"""Whatever a form is sent, the answer is a page with a message, never a server error.

Every POST route is sent, by each role, payloads no form would produce: missing fields,
text where a number goes, unknown choices, over-long and control-character text, ids that
do not exist. (Withdrawing takes no input, only a confirmation, so it is not here.) A sound
request is covered by each area's own tests.
"""

from datetime import timedelta

import pytest
import time_machine

from decisions import rounds
from decisions.db import db
from decisions.models import DecisionEntry, Position, Proposal, Round, User
from tests.conftest import T0

JUNK = [
    {},
    {"stance": "maybe", "partner_id": "abc", "quorum": "-1", "deadline": "tomorrow"},
    {"stance": "object", "reason": "x" * 100_000, "partner_id": "999999", "note": "\x00"},
    {"title": "\x00", "body": "", "kind": "treaty", "partner_id": "1.5", "countries": "??"},
    {"deadline": "2026-13-45T25:61", "quorum": "9" * 30, "auto_close": "perhaps"},
    {"name": "", "country": "XYZ", "category": "founder", "status": "dormant", "email": "@"},
    {"role": "king", "time_zone": "Mars/Olympus", "default_quorum": "many"},
    {"reminder_offsets_hours": "-5, x", "regional_focus": "12, ??"},
    {"current": "", "password": "short", "confirm": "other"},
]


def _post_routes(ids: dict[str, int]) -> list[str]:
    return [
        "/account",
        "/account/password",
        f"/partners/{ids['partner']}/edit",
        f"/partners/{ids['partner']}/status",
        "/partners/new",
        f"/users/{ids['user']}/edit",
        "/users/new",
        "/settings",
        f"/proposals/{ids['proposal']}/edit",
        f"/proposals/{ids['proposal']}/rounds",
        "/proposals/new",
        f"/rounds/{ids['round']}/position",
        f"/rounds/{ids['round']}/extend",
        f"/rounds/{ids['round']}/close",
        "/rounds/999999/position",
        "/proposals/999999/rounds",
    ]


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.query(model).count() for model in (Position, Proposal, Round, DecisionEntry)
    )


@pytest.mark.parametrize("role", ["secretariat", "partner", "observer"])
def test_junk_never_makes_a_server_error(login, make, role):  # type: ignore[no-untyped-def]
    partners = make.partners(2)
    sec = make.secretariat()
    rep = make.representative(partners[0])
    proposal = make.proposal(sec)
    round_ = make.open_round(proposal, sec)
    rounds.register_position(db.session, rep, round_.id, partners[0].id, "consent", now=T0)
    user = {"secretariat": sec, "partner": rep, "observer": make.user("observer")}[role]
    ids = {"partner": partners[1].id, "user": user.id, "proposal": proposal.id, "round": round_.id}
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        web = login(user)
        before = _counts()
        for url in _post_routes(ids):
            for payload in JUNK:
                response = web.submit(url, payload, form_url="/account")
                assert response.status_code < 500, (url, payload, response.status_code)
        assert _counts() == before
        db.session.expire_all()
        assert db.session.get(User, user.id).active  # still signed in, still the same person
