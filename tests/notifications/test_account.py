"""The e-mail preference on /account, and the personal calendar feed."""

from datetime import timedelta

import time_machine
from icalendar import Calendar

from decisions import rounds
from decisions.db import db
from decisions.models import EmailEvents, User
from tests.conftest import T0
from tests.notifications.conftest import person


def preference_of(user: User) -> EmailEvents:
    db.session.expire_all()
    value = db.session.get(User, user.id).email_events
    db.session.rollback()
    return value


def save_preference(client, user, choice):  # type: ignore[no-untyped-def]
    return client.submit("/account", {"name": user.name, "time_zone": "", "email_events": choice})


def test_the_last_representative_cannot_turn_e_mail_off(make, login):  # type: ignore[no-untyped-def]
    partner = make.partner()
    only = make.representative(partner)
    client = login(only)
    response = save_preference(client, only, "none")
    assert response.status_code == 422
    assert "only representative" in response.get_data(as_text=True)
    assert preference_of(only) == EmailEvents.ALL  # nothing changed
    assert save_preference(client, only, "reminders_outcomes").status_code == 302
    assert preference_of(only) == EmailEvents.REMINDERS_OUTCOMES
    assert save_preference(client, only, "sometimes").status_code == 422


def test_with_another_representative_on_e_mail_one_may_turn_it_off(make, session, login):  # type: ignore[no-untyped-def]
    partner = make.partner()
    rep = make.representative(partner)
    person(session, "partner", partner)  # takes every notice by e-mail
    secretariat = make.secretariat()
    client = login(rep)
    assert save_preference(client, rep, "none").status_code == 302
    assert preference_of(rep) == EmailEvents.NONE
    page = client.page("/account")
    assert (
        page.find("select", attrs={"name": "email_events"}).find(selected=True)["value"] == "none"
    )
    # The Secretariat speaks for no partner: its choice is its own.
    sec_client = login(secretariat)
    assert save_preference(sec_client, secretariat, "none").status_code == 302


def events_of(web, address: str) -> list:  # type: ignore[type-arg]
    response = web.get(address)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data()).walk("VEVENT")


def calendar_address(client) -> str:  # type: ignore[no-untyped-def]
    response = client.submit("/account/calendar", {}, form_url="/account")
    assert response.status_code == 302
    address = client.page("/account").find(id="calendar-address")["value"]
    assert address.startswith("http://127.0.0.1:5000/calendar/") and address.endswith(".ics")
    return address.removeprefix("http://127.0.0.1:5000")


def test_calendar_feed_follows_the_partners_open_deadlines(make, session, login, web):  # type: ignore[no-untyped-def]
    early = make.partner()
    sec = make.secretariat()
    before = make.open_round(make.proposal(sec, title="Before"), sec)
    done = make.open_round(make.proposal(sec, title="Done"), sec)
    rounds.close_round(session, sec, done.id, now=T0 + timedelta(days=8))
    late = make.partner()  # admitted after "Before" opened: no say in it
    both = make.open_round(make.proposal(sec, title="Both"), sec, days=3)
    rep = make.representative(late)
    address = calendar_address(login(rep))

    (event,) = events_of(web, address)
    assert str(event["summary"]) == "Deadline: Both (round 1)"
    assert event.decoded("dtstart") == T0 + timedelta(days=3)
    assert int(event["sequence"]) == 0
    uid = str(event["uid"])

    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        rounds.extend_round(session, sec, both.id, T0 + timedelta(days=5))
    (event,) = events_of(web, address)
    assert str(event["uid"]) == uid  # the same event, moved
    assert event.decoded("dtstart") == T0 + timedelta(days=5)
    assert int(event["sequence"]) == 1

    early_rep = make.representative(early)
    summaries = {str(e["summary"]) for e in events_of(web, calendar_address(login(early_rep)))}
    assert summaries == {"Deadline: Before (round 1)", "Deadline: Both (round 1)"}
    sec_address = calendar_address(login(sec))
    assert {str(e["uid"]) for e in events_of(web, sec_address)} == {
        f"round-{before.id}@localhost",
        uid,
    }


def test_calendar_address_can_be_renewed_and_revoked(make, login, web):  # type: ignore[no-untyped-def]
    rep = make.representative(make.partner())
    client = login(rep)
    assert client.page("/account").find(id="calendar-address") is None  # none until asked
    first = calendar_address(client)
    assert web.get(first).status_code == 200
    second = calendar_address(client)
    assert second != first
    assert web.get(first).status_code == 404
    assert web.get(second).status_code == 200
    response = client.submit("/account/calendar/revoke", {}, form_url="/account")
    assert response.status_code == 302
    assert web.get(second).status_code == 404
    assert web.get("/calendar/not-a-token.ics").status_code == 404
