"""The home page: the Secretariat's to-do list, a partner's rounds waiting for its
position first, an observer's open rounds, each deadline in words and in a named zone."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine

from decisions import rounds, settings
from decisions.db import db
from notifications.models import Delivery, Kind, MailBody, OutboxMessage
from tests.conftest import T0
from tests.web.test_query_counts import add_applications, counting_statements

SECTIONS = ("to-close", "objected", "closing-soon", "applications", "drafts", "failed-emails")


@pytest.fixture
def at_t0() -> Iterator[time_machine.Traveller]:
    """The clock stands at T0; tests move it forward only (see test_proposals)."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def group(page, section_id: str):  # type: ignore[no-untyped-def]
    """The section of the to-do list under the heading ``section_id``."""
    return page.find("h2", id=section_id).find_parent("section")


def items(page, section_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [li.get_text(" ", strip=True) for li in group(page, section_id).select("ul.todo > li")]


def heading(page, section_id: str) -> str:  # type: ignore[no-untyped-def]
    return page.find("h2", id=section_id).get_text(" ", strip=True)


def failed_email(session, subject: str) -> OutboxMessage:  # type: ignore[no-untyped-def]
    """A message the mail server refused for good, as delivery leaves it."""
    message = OutboxMessage(
        key=f"test:{subject}",
        kind=Kind.ROUND_OPENED,
        to_address="nobody@example.org",
        subject=subject,
        body=MailBody(text_body="Hello", html_body="<p>Hello</p>"),
        message_id=f"<{subject.replace(' ', '-')}@example.org>",
        status=Delivery.FAILED,
        attempts=1,
        last_error="550 no such user",
    )
    session.add(message)
    session.commit()
    return message


@pytest.fixture
def office(make, session, at_t0):  # type: ignore[no-untyped-def]
    """Four partners and a round in each state the to-do list knows, at T0 + 7 days."""
    partners = [make.partner(name) for name in ("Banyan", "Kestrel", "Monsoon", "Saltmarsh")]
    sec = make.secretariat()
    # opened at T0 with a 7-day deadline: past it at T0 + 7 days + 1 hour
    overdue = make.open_round(make.proposal(sec, title="Adopt the work plan"), sec, days=7)
    rounds.register_position(session, sec, overdue.id, partners[0].id, "object", "No", "Letter")
    # opened a day later, deadline 6 days on: objected, not yet due
    later = T0 + timedelta(days=1)
    objected = make.open_round(
        make.proposal(sec, title="Publish the annual report"), sec, days=20, now=later
    )
    rounds.register_position(
        session, sec, objected.id, partners[1].id, "object", "Too early", "Call", now=later
    )
    # closes within 24 hours of T0 + 7 days, two partners pending
    soon = make.open_round(
        make.proposal(sec, title="Hold the assembly in Suva"), sec, days=7, now=later
    )
    for partner in partners[:2]:
        rounds.register_position(
            session, sec, soon.id, partner.id, "consent", note="E-mail", now=later
        )
    # far off, nobody objecting: on no list but the overview
    calm = make.open_round(make.proposal(sec, title="Rename the newsletter"), sec, days=30)
    draft = make.proposal(sec, title="Create a working group on early warning")
    add_applications(session, 2)
    failed_email(session, "Round opened")
    at_t0.move_to(T0 + timedelta(days=7, hours=1))
    return sec, partners, overdue, objected, soon, calm, draft


def test_the_secretariats_home_is_a_to_do_list(login, office):  # type: ignore[no-untyped-def]
    sec, partners, overdue, objected, soon, calm, draft = office
    page = login(sec).page("/")

    assert heading(page, "to-close").endswith("(1)")
    [item] = items(page, "to-close")
    assert "Adopt the work plan" in item
    assert "deadline passed 1 hour ago" in item
    assert "If closed now: Blocked" in item and "Banyan" in item
    close = group(page, "to-close").find("a", class_="button")
    assert close["href"] == f"/rounds/{overdue.id}/close"  # its confirmation page

    [item] = items(page, "objected")
    assert "Publish the annual report" in item and "Objecting partner: Kestrel" in item
    assert "Adopt the work plan" not in item  # past its deadline: it waits to be closed

    [item] = items(page, "closing-soon")
    assert "Hold the assembly in Suva" in item and "closes in 23 hours" in item
    assert "Still pending: Monsoon, Saltmarsh" in item
    link = group(page, "closing-soon").find("a", class_="button")
    assert link["href"] == f"/proposals/{soon.proposal_id}#round-{soon.id}"

    assert heading(page, "applications").endswith("(2)")
    assert [i.split(" ")[:2] for i in items(page, "applications")] == [
        ["Applicant", "0"],
        ["Applicant", "1"],
    ]
    assert (
        group(page, "applications").find("a", class_="button")["href"].endswith("#recommendation")
    )

    [item] = items(page, "drafts")
    assert "Create a working group on early warning" in item
    assert group(page, "drafts").find("a", class_="button")["href"] == (
        f"/proposals/{draft.id}#open-round"
    )

    failed = group(page, "failed-emails")
    assert heading(page, "failed-emails").endswith("(1)")
    assert failed.find("a", href="/outbox#failed")

    assert "7 things wait for the Secretariat." in page.get_text(" ", strip=True)
    overview = page.select_one("ul.open-rounds").get_text(" ", strip=True)
    assert "Rename the newsletter" in overview and "closes in 3 weeks" in overview


def test_every_time_on_the_home_names_its_zone(login, office, session):  # type: ignore[no-untyped-def]
    settings.update_settings(session, None, time_zone="Asia/Manila")
    page = login(office[0]).page("/")
    times = page.select("main time")
    assert len(times) >= 8
    for time in times:
        assert "(Asia/Manila, UTC+08:00)" in time.get_text(), time


def test_work_done_leaves_the_list(login, office, session):  # type: ignore[no-untyped-def]
    sec, partners, overdue, objected, soon, calm, draft = office
    rounds.close_round(session, sec, overdue.id)
    rounds.register_position(
        session, sec, objected.id, partners[1].id, "consent", note="Changed its mind"
    )
    for partner in partners[2:]:
        rounds.register_position(session, sec, soon.id, partner.id, "consent", note="Letter")
    rounds.open_round(session, sec, draft.id, T0 + timedelta(days=30))
    page = login(sec).page("/")
    for section in ("to-close", "objected", "closing-soon", "drafts"):
        assert heading(page, section).endswith("(0)"), section
        assert items(page, section) == [], section
        assert "Nothing waits here." in group(page, section).get_text(), section


def test_nothing_needs_the_secretariat_on_an_empty_day(admin):  # type: ignore[no-untyped-def]
    page = admin.page("/")
    assert page.select_one(".todo-summary").get_text(strip=True) == "Nothing needs you now."
    for section in SECTIONS:
        assert heading(page, section).endswith("(0)"), section
        assert "Nothing waits here." in group(page, section).get_text(), section


def test_a_partner_sees_what_waits_for_it_first(login, office, make):  # type: ignore[no-untyped-def]
    sec, partners, overdue, objected, soon, calm, draft = office
    page = login(make.representative(partners[2])).page("/")
    sections = [h2["id"] for h2 in page.select("main h2")]
    assert sections == ["awaiting", "open"]
    awaiting = page.select_one("ul.awaiting").get_text(" ", strip=True)
    # soonest deadline first: the assembly (in 23 hours), then the report, then the newsletter
    assert awaiting.index("Hold the assembly in Suva") < awaiting.index("Publish the annual")
    assert awaiting.index("Publish the annual") < awaiting.index("Rename the newsletter")
    assert "closes in 23 hours" in awaiting and "closes in 3 weeks" in awaiting
    assert "(UTC, UTC+00:00)" in awaiting
    link = page.select_one("ul.awaiting a.button")
    assert link["href"] == f"/proposals/{soon.proposal_id}#own-position"
    others = page.select_one("ul.open-rounds").get_text(" ", strip=True)
    assert "Adopt the work plan" in others and "deadline passed 1 hour ago" in others
    assert "did not speak before the deadline" in others


def test_a_partner_that_spoke_sees_its_position_among_the_rest(login, office, make):  # type: ignore[no-untyped-def]
    sec, partners, overdue, objected, soon, calm, draft = office
    page = login(make.representative(partners[1])).page("/")
    awaiting = page.select_one("ul.awaiting").get_text(" ", strip=True)
    assert "Rename the newsletter" in awaiting
    assert "Publish the annual report" not in awaiting
    others = [li.get_text(" ", strip=True) for li in page.select("ul.open-rounds > li")]
    report = next(text for text in others if "Publish the annual report" in text)
    assert "Your organisation’s position: Object" in report


def test_an_observer_sees_the_open_rounds_with_their_deadlines_in_words(login, office, make):  # type: ignore[no-untyped-def]
    page = login(make.user("observer")).page("/")
    assert page.find("h2", id="awaiting") is None
    assert page.find("h2", id="to-close") is None
    rows = [li.get_text(" ", strip=True) for li in page.select("ul.open-rounds > li")]
    assert len(rows) == 4
    assert "deadline passed 1 hour ago" in rows[0]
    assert "closes in 23 hours" in rows[1]


def test_the_home_costs_the_same_statements_however_much_waits(login, make, session, at_t0):  # type: ignore[no-untyped-def]
    sec = make.secretariat()
    client = login(sec)

    def statements() -> int:
        db.session.expire_all()
        with counting_statements() as seen:
            client.page("/")
        return len(seen)

    def add_work(partners: int, proposals: int) -> None:
        electorate = make.partners(partners)
        for n in range(proposals):
            round_ = make.open_round(make.proposal(sec), sec, days=1 + n % 2 * 10)
            rounds.register_position(
                session, sec, round_.id, electorate[0].id, "object", "No", "Letter"
            )
            make.proposal(sec)
        add_applications(session, proposals)
        for n in range(proposals):
            failed_email(session, f"Refused {partners} {n}")

    add_work(2, 1)
    at_t0.shift(timedelta(hours=12))
    few = statements()
    add_work(30, 8)
    many = statements()
    assert few == many
    # user, partnership, unread notices, rounds, proposals, electors, positions,
    # applications, their categories, drafts, objections without an answer, failed e-mails
    assert few <= 13, few


def test_every_time_on_the_inbox_and_outbox_names_its_zone(login, make, session, at_t0):  # type: ignore[no-untyped-def]
    settings.update_settings(session, None, time_zone="Asia/Manila")
    sec = make.secretariat()
    rep = make.representative(make.partner())
    make.open_round(make.proposal(sec, title="Adopt the work plan"), sec)  # a notice each
    failed_email(session, "Refused")
    retrying = failed_email(session, "Server down")
    retrying.status = Delivery.PENDING
    retrying.next_attempt_at = T0 + timedelta(minutes=5)
    session.commit()
    pages = [(login(rep), "/inbox"), (login(sec), "/outbox")]
    for client, url in pages:
        times = client.page(url).select("main time")
        assert times, url
        for time in times:
            assert "(Asia/Manila, UTC+08:00)" in time.get_text(), (url, time)
