"""Proposals and rounds in Chromium, as each role meets them: registering and changing a
position, an objection refused for want of a reason, opening, extending and closing a
round through its confirmation, withdrawing through its confirmation, and the page of a
blocked proposal. Every page state is audited (axe at 1280 and 375 px, no sideways
scrolling).

Each test makes its own proposal (the demo's open round is shared by other tests)."""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from decisions import proposals, rounds
from decisions.models import Partner, User
from tests.browser.conftest import (
    OBSERVER,
    SECRETARIAT,
    LiveServer,
    audit,
    representative,
    sign_in,
)

#: the demo partnership's zone, which the demo's users read times in
ZONE = "Asia/Singapore"
KESTREL = "Kestrel Ridge Peace Studio"


@dataclass
class Made:
    proposal_id: int
    round_id: int | None
    title: str

    @property
    def path(self) -> str:
        return f"/proposals/{self.proposal_id}"


def _secretariat(session) -> User:  # type: ignore[no-untyped-def]
    return session.scalars(select(User).where(User.email == SECRETARIAT[0])).one()


def make_proposal(server: LiveServer, what: str, *, open_round: bool = True) -> Made:
    """A proposal of this test's own, drafted by the Secretariat, with a week-long round."""
    title = f"{what} {uuid.uuid4().hex[:6]}"
    with server.session() as session:
        sec = _secretariat(session)
        proposal = proposals.draft_proposal(session, sec, title, f"We propose to {what.lower()}.")
        round_id = None
        if open_round:
            deadline = datetime.now(UTC) + timedelta(days=7)
            round_id = rounds.open_round(session, sec, proposal.id, deadline, quorum=0).id
        return Made(proposal.id, round_id, title)


def path_of(page) -> str:  # type: ignore[no-untyped-def]
    """The address bar's path, without the fragment."""
    return "/" + page.url.split("://", 1)[1].partition("/")[2].split("#")[0]


def row(page, round_id: int, partner: str):  # type: ignore[no-untyped-def]
    """The partner's row in the table of objections and reasons."""
    return page.locator(f"#round-{round_id} table.positions tbody tr", has_text=partner)


def stance_of(page, round_id: int, partner: str) -> str:  # type: ignore[no-untyped-def]
    """The stance the page gives the partner: its row's, or its list of names'."""
    in_table = row(page, round_id, partner)
    if in_table.count():
        return in_table.locator(".badge").inner_text()
    listed = page.locator(f"#round-{round_id} details.names", has_text=partner)
    return listed.locator("summary .badge").inner_text()


# --- a representative's position ----------------------------------------------------------


def test_a_representative_registers_then_changes_a_position(page, server) -> None:  # type: ignore[no-untyped-def]
    made = make_proposal(server, "Share the early-warning map")
    sign_in(page, representative("kestrel"))
    page.goto(made.path)
    audit(page)
    form = page.locator(f"#round-{made.round_id} form", has=page.get_by_label("Consent"))
    table = page.locator(f"#round-{made.round_id} details.names").first
    # The form says what each stance does, and comes before the partners' positions: on a
    # phone too, the partner answers without scrolling past every other partner.
    assert "Blocks the proposal for everyone" in form.inner_text()
    assert "will not block" in form.inner_text()
    page.set_viewport_size({"width": 375, "height": 812})
    assert form.bounding_box()["y"] < table.bounding_box()["y"]
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Consent", exact=True).check()
    page.get_by_role("button", name="Register the position").click()
    page.wait_for_load_state()
    assert path_of(page) == made.path
    assert "The position is registered." in page.locator(".flash").inner_text()
    assert stance_of(page, made.round_id, KESTREL) == "Consent, without a reason"
    audit(page)

    # Changed: the form shows the current position, and the latest counts.
    assert page.get_by_label("Consent", exact=True).is_checked()
    page.get_by_label("Stand aside", exact=True).check()
    page.get_by_label("Reason").fill("Outside our country of work.")
    page.get_by_role("button", name="Register the position").click()
    page.wait_for_load_state()
    assert path_of(page) == made.path
    kestrel = row(page, made.round_id, KESTREL)
    assert kestrel.locator(".badge").inner_text() == "Stand aside"
    assert "Outside our country of work." in kestrel.inner_text()
    audit(page)

    # The history names the zone of its times.
    kestrel.get_by_role("link", name="history").click()
    page.wait_for_load_state()
    assert page.locator("thead th").first.inner_text() == f"Registered ({ZONE})"
    stances = page.locator("tbody td:nth-child(2) .badge").all_inner_texts()
    assert stances == ["Stand aside", "Consent"]
    audit(page)


def test_an_objection_without_a_reason_is_refused_on_the_proposals_page(page, server) -> None:  # type: ignore[no-untyped-def]
    made = make_proposal(server, "Move the secretariat office")
    sign_in(page, representative("kestrel"))
    page.goto(made.path)
    page.get_by_label("Object", exact=True).check()
    page.get_by_role("button", name="Register the position").click()
    page.wait_for_load_state()

    # The address is the proposal's page; the summary is at the top, and has the focus.
    assert path_of(page) == made.path
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    assert "An objection needs a reason." in summary.inner_text()
    first_in_main = page.evaluate(
        "() => [...document.querySelectorAll('main section, main form, main #error-summary')]"
        ".indexOf(document.getElementById('error-summary'))"
    )
    assert first_in_main == 0  # before the text, the rounds and every form
    reason = page.get_by_label("Reason")
    assert reason.get_attribute("aria-invalid") == "true"
    described = reason.get_attribute("aria-describedby").split()
    assert described == ["reason-hint", "reason-error"]
    assert page.locator("#reason-error").inner_text() == "An objection needs a reason."
    assert "needs a reason" in page.locator("#reason-hint").inner_text()
    assert page.get_by_label("Object", exact=True).is_checked()
    audit(page)

    # The summary's link leads to the field.
    summary.get_by_role("link").click()
    assert page.evaluate("() => document.activeElement.id") == "reason"

    # Reloading is harmless: the page again, not 405, and nothing was registered.
    response = page.reload()
    assert response is not None and response.status == 200
    assert path_of(page) == made.path
    assert stance_of(page, made.round_id, KESTREL) == "Pending"
    audit(page)

    # With a reason, the objection is taken.
    page.get_by_label("Object", exact=True).check()
    page.get_by_label("Reason").fill("The new office is unsafe for our staff.")
    page.get_by_role("button", name="Register the position").click()
    page.wait_for_load_state()
    assert path_of(page) == made.path
    assert stance_of(page, made.round_id, KESTREL) == "Object"
    audit(page)


# --- the Secretariat's round --------------------------------------------------------------


def test_the_secretariat_opens_extends_and_closes_a_round(page, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, SECRETARIAT)
    page.goto("/proposals/new")
    audit(page)
    title = f"Adopt the field safety protocol {uuid.uuid4().hex[:6]}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Text").fill("Every field visit follows the **safety protocol**.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title
    proposal_path = path_of(page)
    audit(page)

    # The deadline is suggested: a week ahead, on the hour, on the reader's clock; and
    # the quorum says in words what 0 means.
    suggested = datetime.fromisoformat(page.get_by_label("Deadline", exact=True).input_value())
    week_ahead = datetime.now(ZoneInfo(ZONE)).replace(tzinfo=None) + timedelta(days=7)
    assert suggested.minute == 0 and abs(suggested - week_ahead) <= timedelta(minutes=31)
    assert "0: silence counts as consent" in page.locator("#quorum-hint").inner_text()
    assert page.locator("#quorum-hint").is_visible()
    page.get_by_label("Quorum").fill("0")
    page.get_by_role("button", name="Open the round").click()
    page.wait_for_load_state()
    assert path_of(page) == proposal_path
    assert "Round 1 is open." in page.locator(".flash").inner_text()
    audit(page)

    # Extended by a day.
    later = (suggested + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("New deadline").fill(later)
    page.get_by_role("button", name="Extend").click()
    page.wait_for_load_state()
    assert path_of(page) == proposal_path
    assert "The deadline is extended." in page.locator(".flash").inner_text()
    deadline = page.locator(".round .deadline time").get_attribute("datetime")
    shown = datetime.fromisoformat(deadline).astimezone(ZoneInfo(ZONE)).replace(tzinfo=None)
    assert shown == suggested + timedelta(days=1)
    audit(page)

    # Every partner speaks (by letter, recorded by the Secretariat) so it may close now.
    round_id = int(page.locator("article.round").get_attribute("id").removeprefix("round-"))
    with server.session() as session:
        sec = _secretariat(session)
        for partner_id in rounds.get_round(session, round_id).electorate:
            rounds.register_position(
                session, sec, round_id, partner_id, "consent", "", "Letter of the board"
            )
    page.reload()
    audit(page)

    # Closing asks once more and says what the decision will be; cancel keeps it open.
    page.get_by_role("link", name="Close the round…").click()
    page.wait_for_load_state()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"Close round 1 of “{title}”?"
    assert "This cannot be undone." in page.locator("main").inner_text()
    assert page.locator("#outcome .badge").inner_text() == "Adopted"
    audit(page)
    page.get_by_role("link", name="Cancel: keep the round open").click()
    page.wait_for_load_state()
    assert path_of(page) == proposal_path
    assert page.locator(".round-status .badge").inner_text() == "open"

    page.get_by_role("link", name="Close the round…").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Close round 1 and record the decision").click()
    page.wait_for_load_state()
    assert path_of(page) == proposal_path
    assert re.search(r"decision \d{4}/\d{3} is in the log", page.locator(".flash").inner_text())
    assert page.locator(".round-status .badge").inner_text() == "Adopted"
    audit(page)

    # The decision log names the zone of its times.
    page.goto("/decisions")
    assert page.locator("table.log thead th").nth(4).inner_text() == f"Closed ({ZONE})"
    audit(page)


def test_withdrawing_asks_once_more(page, server) -> None:  # type: ignore[no-untyped-def]
    made = make_proposal(server, "Publish the quarterly bulletin")
    sign_in(page, SECRETARIAT)
    page.goto(made.path)
    page.get_by_role("link", name="Withdraw").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"Withdraw “{made.title}”?"
    assert "This cannot be undone." in page.locator("main").inner_text()
    assert "closes as withdrawn" in page.locator("main").inner_text()
    audit(page)
    page.get_by_role("link", name="Cancel: keep the proposal").click()
    page.wait_for_load_state()
    assert path_of(page) == made.path
    assert page.locator(".meta .badge").inner_text() == "Open"

    page.get_by_role("link", name="Withdraw").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Withdraw the proposal").click()
    page.wait_for_load_state()
    assert path_of(page) == made.path
    assert page.locator(".meta .badge").inner_text() == "Withdrawn"
    assert page.locator(".round-status .badge").inner_text() == "Withdrawn"
    assert page.get_by_role("link", name="Withdraw").count() == 0
    audit(page)


# --- outcomes at a glance -----------------------------------------------------------------


def test_a_blocked_proposal_says_who_blocked_it_and_why(page, server) -> None:  # type: ignore[no-untyped-def]
    """A round that ran last week: one partner objected, one stood aside, one said
    nothing, the rest consented; the deadline passed and the Secretariat closed it."""
    made = make_proposal(server, "Hold the assembly online", open_round=False)
    reason = "An online assembly shuts out partners without a steady connection."
    started = datetime.now(UTC) - timedelta(days=8)
    with server.session() as session:
        sec = _secretariat(session)
        round_ = rounds.open_round(
            session, sec, made.proposal_id, started + timedelta(days=7), quorum=0, now=started
        )
        names = {p.id: p.name for p in session.scalars(select(Partner))}
        electorate = sorted(round_.electorate, key=lambda pid: names[pid])
        objector, aside, silent = electorate[0], electorate[1], electorate[2]
        for partner_id in electorate:
            if partner_id == silent:
                continue
            stance = {objector: "object", aside: "stand_aside"}.get(partner_id, "consent")
            rounds.register_position(
                session,
                sec,
                round_.id,
                partner_id,
                stance,
                reason if partner_id == objector else "",
                "Letter of the board",
                now=started + timedelta(days=1),
            )
        rounds.close_round(session, sec, round_.id)
        round_id = round_.id

    sign_in(page, OBSERVER)
    page.goto(made.path)
    notice = page.locator("main .outcome-notice.blocked")
    assert notice.get_by_role("heading").inner_text() == "Blocked in round 1"
    assert f"{names[objector]} objected: {reason}" in notice.inner_text()
    # It is at the top: before the proposal's text.
    assert notice.bounding_box()["y"] < page.locator("#text").bounding_box()["y"]
    audit(page)

    # Each stance has its own word, sign and colour.
    badges = page.locator(
        f"#round-{round_id} table.positions tbody .badge, #round-{round_id} details summary .badge"
    )
    looks = {}
    for index in range(badges.count()):
        badge = badges.nth(index)
        looks[badge.inner_text()] = badge.evaluate(
            "(b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).borderStyle,"
            " getComputedStyle(b, '::before').content]"
        )
    assert set(looks) == {"Consent", "Stand aside", "Object", "Pending"}
    assert len({tuple(look[:2]) for look in looks.values()}) == 4
    assert len({look[2] for look in looks.values()}) == 4
    header = page.locator(f"#round-{round_id} table.positions thead th").nth(3)
    assert header.inner_text() == f"Registered ({ZONE})"

    # The decision log's entry says it too.
    page.locator(f"#round-{round_id} a.decision").click()
    page.wait_for_load_state()
    assert f"{names[objector]} objected: {reason}" in page.locator(".outcome-notice").inner_text()
    audit(page)
