"""Whatever a form is sent, the answer is a page with a message, never a server error.

Every POST route is sent, by each role, payloads no form would produce: missing fields,
text where a number goes, unknown choices, over-long and control-character text, ids that
do not exist. (Withdrawing takes no input, only a confirmation, so it is not here.) A sound
request is covered by each area's own tests.

Numbers and dates at the edge of what the database and the calendar hold (an id of 25
digits, a deadline in year 1 or 9999) are refused the same way: a 404 for an id in a
path, a message next to the field otherwise.
"""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup

from decisions import rounds, settings, users
from decisions.db import db
from decisions.models import DecisionEntry, Partnership, Position, Proposal, Round, User
from tests.conftest import T0, soup_of

#: an id no INTEGER column holds
HUGE = "9" * 25

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
    # well formed but out of range: a partner id of 25 digits, a deadline in year 1
    {"stance": "consent", "partner_id": HUGE, "note": "Letter", "deadline": "0001-01-01T00:00"},
    {"deadline": "9999-12-31T23:00", "quorum": "0", "default_quorum": str(2**40)},
]


def _post_routes(ids: dict[str, int]) -> list[str]:
    return [
        "/account",
        "/account/password",
        f"/partners/{ids['partner']}/edit",
        f"/partners/{ids['partner']}/status",
        "/partners/new",
        f"/users/{ids['user']}/edit",
        f"/users/{ids['user']}/invite",
        f"/users/{HUGE}/invite",
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
        f"/proposals/{ids['draft']}/rounds",
        f"/rounds/{HUGE}/position",
        f"/rounds/{HUGE}/extend",
        f"/proposals/{HUGE}/rounds",
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
    draft = make.proposal(sec)
    round_ = make.open_round(proposal, sec)
    rounds.register_position(db.session, rep, round_.id, partners[0].id, "consent", now=T0)
    user = {"secretariat": sec, "partner": rep, "observer": make.user("observer")}[role]
    ids = {
        "partner": partners[1].id,
        "user": user.id,
        "proposal": proposal.id,
        "draft": draft.id,
        "round": round_.id,
    }
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


# --- numbers and dates at the edge -------------------------------------------------------


def _get_paths(ids: dict[str, int]) -> list[str]:
    return [
        f"/proposals/{HUGE}",
        f"/proposals/{HUGE}/edit",
        f"/proposals/{HUGE}/withdraw",
        f"/decisions/{HUGE}",
        f"/rounds/{ids['round']}/positions/{HUGE}/history",
        f"/rounds/{HUGE}/positions/{ids['partner']}/history",
        f"/partners/{HUGE}/edit",
        f"/users/{HUGE}/edit",
        f"/proposals/{2**31}",
    ]


def _post_paths(ids: dict[str, int]) -> list[str]:
    return [
        f"/proposals/{HUGE}/rounds",
        f"/proposals/{HUGE}/edit",
        f"/proposals/{HUGE}/withdraw",
        f"/rounds/{HUGE}/position",
        f"/rounds/{HUGE}/extend",
        f"/rounds/{HUGE}/close",
        f"/partners/{HUGE}/edit",
        f"/partners/{HUGE}/status",
        f"/users/{HUGE}/edit",
    ]


@pytest.mark.parametrize("role", ["secretariat", "partner", "observer"])
def test_an_id_no_row_can_have_is_not_found(login, make, role):  # type: ignore[no-untyped-def]
    partner = make.partner()
    sec = make.secretariat()
    round_ = make.open_round(make.proposal(sec), sec)
    user = {"secretariat": sec, "partner": make.representative(partner)}.get(role)
    ids = {"round": round_.id, "partner": partner.id}
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        web = login(user or make.user("observer"))
        for url in _get_paths(ids):
            response = web.get(url)
            assert response.status_code == 404, (url, response.status_code)
            assert soup_of(response).find("h1") is not None
        for url in _post_paths(ids):
            response = web.submit(url, {"deadline": "2026-03-20T09:00"}, form_url="/account")
            assert response.status_code == 404, (url, response.status_code)


@pytest.mark.parametrize("role", ["secretariat", "partner"])
def test_a_partner_id_no_row_can_have_is_refused(login, make, session, role):  # type: ignore[no-untyped-def]
    partner = make.partner()
    sec = make.secretariat()
    proposal = make.proposal(sec)
    round_ = make.open_round(proposal, sec)
    user = sec if role == "secretariat" else make.representative(partner)
    data = {"stance": "consent", "partner_id": HUGE, "note": "Letter of 3 March"}
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        web = login(user)
        response = web.submit(f"/rounds/{round_.id}/position", data, f"/proposals/{proposal.id}")
        # A refused form sends the browser back to the proposal's page, which says why.
        assert response.status_code == 303
        page = web.page(f"/proposals/{proposal.id}")
    assert "No such partner." in page.get_text()
    assert session.query(Position).count() == 0


@pytest.mark.parametrize(
    "query",
    [
        {"page": HUGE},
        {"until": "9999-12-31"},
        {"until": "9999-12-31T23:00-05:00"},
        {"since": "0001-01-01T00:00+05:00"},
    ],
)
def test_log_filters_out_of_range_are_refused(login, make, query):  # type: ignore[no-untyped-def]
    response = login(make.user("observer")).get("/decisions", query_string=query)
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.find("h1").get_text(strip=True) == "Decision log"
    assert soup.select_one("form .errors p, form p.error").get_text(strip=True)


def test_a_default_quorum_too_large_for_the_database_is_refused(login, make, session):  # type: ignore[no-untyped-def]
    data = {
        "name": "Coral Sea Prevention Partnership",
        "time_zone": "UTC",
        "default_quorum": str(2**40),
        "reminder_offsets_hours": "72, 24, 3",
        "regional_focus": "",
    }
    response = login(make.secretariat()).submit("/settings", data)
    assert response.status_code == 422
    assert "At most 100000." in soup_of(response).get_text()
    session.expire_all()
    assert session.get(Partnership, 1).default_quorum == 0


def _errors(soup: BeautifulSoup) -> str:
    return " ".join(e.get_text(" ", strip=True) for e in soup.select(".errors, .error"))


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/New_York"])
@pytest.mark.parametrize("deadline", ["0001-01-01T00:00", "9999-12-31T23:00"])
def test_a_deadline_at_the_calendars_edge_is_refused(login, make, session, zone, deadline):  # type: ignore[no-untyped-def]
    """Refused when a round opens or is extended, so no page ever has to show it; a
    reader east of UTC (Tokyo) could not be shown 9999-12-31T23:00 UTC at all."""
    settings.update_settings(session, None, time_zone=zone)
    make.partners(2)
    sec = make.secretariat()
    users.update_user(session, None, sec.id, time_zone="Asia/Tokyo")
    draft = make.proposal(sec)
    proposal = make.proposal(sec)
    round_ = make.open_round(proposal, sec)
    before = round_.deadline
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        web = login(sec)
        opened = web.submit(
            f"/proposals/{draft.id}/rounds",
            {"deadline": deadline, "quorum": "0"},
            f"/proposals/{draft.id}",
        )
        # A refused form sends the browser back to the proposal's page, which says why.
        assert opened.status_code == 303
        assert _errors(web.page(f"/proposals/{draft.id}"))
        extended = web.submit(
            f"/rounds/{round_.id}/extend", {"deadline": deadline}, f"/proposals/{proposal.id}"
        )
        assert extended.status_code == 303
        assert _errors(web.page(f"/proposals/{proposal.id}"))
        for page in (f"/proposals/{draft.id}", f"/proposals/{proposal.id}"):
            assert web.page(page).find("h1") is not None
    session.expire_all()
    assert session.query(Round).count() == 1
    assert session.get(Round, round_.id).deadline == before
