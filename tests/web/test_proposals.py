"""Proposals and rounds in the browser, for each role, through the real forms."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from decisions import deadlines, rounds, settings, users
from decisions.consensus import Outcome
from decisions.models import Position, Proposal, ProposalStatus, Round
from tests.conftest import T0, soup_of


@pytest.fixture
def at_t0() -> Iterator[time_machine.Traveller]:
    """The clock stands at T0, when ``make.open_round`` opens its rounds. Tests move it
    forward only: a session cookie signed "in the future" would sign the user out."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manila(session):  # type: ignore[no-untyped-def]
    """The partnership works in Manila time (UTC+8, no daylight saving)."""
    return settings.update_settings(session, None, time_zone="Asia/Manila")


@pytest.fixture
def three(make, at_t0):  # type: ignore[no-untyped-def]
    """Three member partners with a representative each, a proposal and its open round."""
    partners = make.partners(3)
    reps = [make.representative(p) for p in partners]
    sec = make.secretariat()
    proposal = make.proposal(sec)
    round_ = make.open_round(proposal, sec)
    return partners, reps, sec, proposal, round_


def page_url(proposal: Proposal) -> str:
    return f"/proposals/{proposal.id}"


def row_of(soup, partner):  # type: ignore[no-untyped-def]
    return soup.find("tr", attrs={"data-partner": str(partner.id)})


def stance_shown(soup, partner) -> str:  # type: ignore[no-untyped-def]
    """The stance the page gives ``partner``: its row's, in the table of objections and
    reasons, or that of the list of names it is in."""
    row = row_of(soup, partner)
    if row is not None:
        return row.select_one(".badge").get_text()
    (named,) = (
        names.find_parent("details")
        for names in soup.select("details.names .partner-names")
        if partner.name in names.get_text().split(", ")
    )
    return named.select_one("summary .badge").get_text()


def positions_of(session, round_id: int) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(
        select(func.count()).select_from(Position).where(Position.round_id == round_id)
    )


def alert_text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(
        e.get_text(" ", strip=True) for e in soup_of(response).select(".errors, .error")
    )


def refused(client, response, proposal):  # type: ignore[no-untyped-def]
    """A refused form of the proposal's page: the browser is sent back to the page
    (post/redirect/get), which shows why, once. Returns that page."""
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"] == page_url(proposal) + "#error-summary"
    page = client.page(page_url(proposal))
    assert page.select_one("#error-summary[tabindex='-1'][autofocus]") is not None
    return page


def summary_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.select_one("#error-summary").get_text(" ", strip=True)


# --- the list and drafting -------------------------------------------------------------


def test_list_newest_first_with_status_filter(make, login):  # type: ignore[no-untyped-def]
    make.partner()
    sec = make.secretariat()
    older = make.proposal(sec, title="Older proposal")
    newer = make.proposal(sec, title="Newer proposal")
    make.open_round(newer, sec, now=datetime.now(UTC))
    client = login(sec)
    page = client.page("/proposals")
    titles = [a.get_text(strip=True) for a in page.select("main table tbody td a")]
    assert titles == ["Newer proposal", "Older proposal"]
    assert page.find("a", string="New proposal")["href"] == "/proposals/new"
    assert [b.get_text(strip=True) for b in page.select("tbody .badge")] == ["Open", "Draft"]
    drafts = client.page("/proposals?status=draft")
    assert [a.get_text(strip=True) for a in drafts.select("tbody td a")] == [older.title]
    assert drafts.find("option", selected=True)["value"] == "draft"


def test_secretariat_drafts_a_proposal(make, login, session):  # type: ignore[no-untyped-def]
    sec = make.secretariat()
    client = login(sec)
    form = client.page("/proposals/new")
    for name in ("title", "body", "kind", "partner_id", "countries"):
        field = form.find(attrs={"name": name})
        assert form.find("label", attrs={"for": field["id"]}), name
    response = client.submit(
        "/proposals/new",
        {"title": "Joint statement", "body": "We *call* for calm.", "kind": "general"},
    )
    assert response.status_code == 302
    proposal = session.scalar(select(Proposal))
    assert response.headers["Location"] == page_url(proposal)
    assert (proposal.title, proposal.status, proposal.created_by_id) == (
        "Joint statement",
        ProposalStatus.DRAFT,
        sec.id,
    )


def test_suspension_names_its_partner_and_regional_focus_its_countries(make, login, session):  # type: ignore[no-untyped-def]
    target = make.partner("Harbour Watch")
    rep = make.representative(make.partner())
    client = login(rep)
    response = client.submit(
        "/proposals/new",
        {
            "title": "Suspend Harbour Watch",
            "body": "Dues unpaid.",
            "kind": "suspension",
            "partner_id": str(target.id),
        },
    )
    assert response.status_code == 302
    page = client.page(response.headers["Location"])
    assert "Partner concerned: Harbour Watch" in page.get_text(" ", strip=True)

    missing = client.submit(
        "/proposals/new", {"title": "Remove someone", "body": "Why not.", "kind": "removal"}
    )
    assert missing.status_code == 422
    assert "Name the partner concerned." in alert_text(missing)

    focus = client.submit(
        "/proposals/new",
        {
            "title": "New focus",
            "body": "Widen it.",
            "kind": "regional_focus",
            "countries": "ph, id TL",
        },
    )
    assert focus.status_code == 302
    proposal = session.scalar(select(Proposal).where(Proposal.title == "New focus"))
    assert proposal.subject == {"countries": ["ID", "PH", "TL"]}
    assert session.scalar(select(func.count()).select_from(Proposal)) == 2


def test_observer_cannot_draft(make, login, session):  # type: ignore[no-untyped-def]
    observer = make.user("observer")
    client = login(observer)
    assert client.get("/proposals/new").status_code == 403
    assert "New proposal" not in client.page("/proposals").get_text()
    response = client.submit(
        "/proposals/new", {"title": "Sneaky", "body": "x", "kind": "general"}, form_url="/proposals"
    )
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(Proposal)) == 0


# --- the proposal's page ---------------------------------------------------------------


def test_markdown_is_rendered_and_scripts_are_not(make, login):  # type: ignore[no-untyped-def]
    body = "Some **bold** words.\n\n<script>alert('x')</script>\n\n[site](javascript:alert(1))"
    proposal = make.proposal(body=body)
    page = login(make.user("observer")).page(page_url(proposal))
    text = page.select_one(".proposal-text")
    assert text.find("strong").get_text() == "bold"
    assert page.find("script") is None
    assert not any("javascript:" in (a.get("href") or "") for a in page.find_all("a"))


def test_page_shows_deadline_in_the_readers_zone(make, login, session, manila, at_t0):  # type: ignore[no-untyped-def]
    make.partner()
    sec = make.secretariat()
    proposal = make.proposal(sec)
    round_ = make.open_round(proposal, sec, days=10)  # deadline 12 March 2026, 09:00 UTC
    reader = make.user("observer")
    users.update_user(session, None, reader.id, time_zone="America/New_York")
    page = login(reader).page(page_url(proposal))
    deadline = page.select_one(f"#round-{round_.id} .deadline").get_text(" ", strip=True)
    # New York is on daylight saving time from 8 March: 09:00 UTC is 05:00 there.
    assert deadline == "12 Mar 2026, 05:00 (America/New_York, UTC-04:00)"
    # A reader without a zone of their own sees the partnership's.
    other = login(make.user("observer")).page(page_url(proposal))
    assert "12 Mar 2026, 17:00 (Asia/Manila, UTC+08:00)" in other.select_one(".deadline").get_text()


def test_page_shows_tally_positions_and_pending(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    rounds.register_position(session, reps[0], round_.id, partners[0].id, "consent")
    rounds.register_position(
        session, sec, round_.id, partners[1].id, "object", "Not yet", note="Letter of 2 March"
    )
    page = login(make.user("observer")).page(page_url(proposal))
    article = page.select_one(f"#round-{round_.id}")
    tally = [li.get_text(" ", strip=True) for li in article.select(".tally li")]
    assert tally == ["Consent 1", "Stand aside 0", "Object 1", "Pending 1"]
    assert stance_shown(article, partners[0]) == "Consent, without a reason"
    objection = row_of(article, partners[1])
    assert "Not yet" in objection.get_text()
    assert "Recorded on behalf by the Secretariat: Letter of 2 March" in objection.get_text(
        " ", strip=True
    )
    assert stance_shown(article, partners[2]) == "Pending"
    assert partners[2].name in article.select_one("details.pending").get_text()
    # An observer reads, and is offered no action.
    assert page.select("main form[method=post]") == []


# --- a representative's position --------------------------------------------------------


def test_rep_registers_then_changes_position(make, login, session, three, at_t0):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(reps[0])
    url = f"/rounds/{round_.id}/position"
    form = client.page(page_url(proposal)).find("form", action=url)
    assert "an objection needs a reason" in form.get_text().lower()
    assert form.find("input", attrs={"name": "partner_id"})["value"] == str(partners[0].id)

    first = client.submit(
        url, {"partner_id": partners[0].id, "stance": "consent"}, page_url(proposal)
    )
    assert first.status_code == 302
    at_t0.shift(timedelta(hours=2))
    second = client.submit(
        url,
        {"partner_id": partners[0].id, "stance": "stand_aside", "reason": "Not our region"},
        page_url(proposal),
    )
    assert second.status_code == 302
    page = client.page(page_url(proposal))
    assert stance_shown(page, partners[0]) == "Stand aside"  # with its reason: in the table
    # The form shows the current position.
    assert page.find("input", attrs={"name": "stance", "value": "stand_aside"}).has_attr("checked")

    history = client.page(f"/rounds/{round_.id}/positions/{partners[0].id}/history")
    stances = [
        b.get_text() for b in history.select("tbody td .badge.consent, tbody td .badge.stand_aside")
    ]
    assert stances == ["Stand aside", "Consent"]
    assert history.select_one("thead th").get_text() == "Registered (UTC)"
    assert "Not our region" in history.get_text()


def test_objection_without_reason_is_refused(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(reps[0])
    response = client.submit(
        f"/rounds/{round_.id}/position",
        {"partner_id": partners[0].id, "stance": "object", "reason": "  "},
        page_url(proposal),
    )
    soup = refused(client, response, proposal)
    assert soup.select_one("#reason-error").get_text() == "An objection needs a reason."
    assert soup.find("input", attrs={"name": "stance", "value": "object"}).has_attr("checked")
    # The summary links to the field; the field says it is invalid, and why.
    link = soup.select_one("#error-summary a")
    assert (link["href"], link.get_text()) == ("#reason", "Reason: An objection needs a reason.")
    reason = soup.find("textarea", attrs={"name": "reason"})
    assert reason["aria-invalid"] == "true"
    assert reason["aria-describedby"].split() == ["reason-hint", "reason-error"]
    assert positions_of(session, round_.id) == 0
    # Shown once: the page read again is the plain page.
    again = client.page(page_url(proposal))
    assert again.select_one("#error-summary") is None and again.select_one("#reason-error") is None


def test_a_refused_form_keeps_what_was_typed(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(sec)
    url = f"/rounds/{round_.id}/position"
    reason = "Our board has not met yet; we cannot agree to the budget line."
    response = client.submit(
        url,
        {"partner_id": partners[1].id, "stance": "object", "reason": reason},
        page_url(proposal),
    )
    soup = refused(client, response, proposal)
    form = soup.find("form", action=url)
    assert form.find("textarea", attrs={"name": "reason"}).get_text().strip() == reason
    assert form.find("option", attrs={"value": str(partners[1].id)}).has_attr("selected")
    assert form.find("input", attrs={"name": "stance", "value": "object"}).has_attr("checked")
    assert form.select_one("#note-error").get_text() == "This field is required."
    # Too long for the session to carry: shown at once where it was sent, still whole.
    long_reason = "A reason that goes on. " * 300
    response = client.submit(
        url,
        {"partner_id": partners[1].id, "stance": "object", "reason": long_reason},
        page_url(proposal),
    )
    assert response.status_code == 422
    kept = soup_of(response).find("textarea", attrs={"name": "reason"}).get_text()
    assert kept.strip() == long_reason.strip()
    assert soup_of(response).select_one("#error-summary") is not None
    assert positions_of(session, round_.id) == 0
    # Asked for as a page (a reload), the form's address leads to the proposal.
    assert client.get(url).headers["Location"] == page_url(proposal) + f"#round-{round_.id}"


def test_the_position_form_says_what_each_stance_does_before_the_table(  # type: ignore[no-untyped-def]
    make, login, three
):
    partners, reps, sec, proposal, round_ = three
    page = login(reps[0]).page(page_url(proposal))
    form = page.find("form", action=f"/rounds/{round_.id}/position")
    hints = {
        radio["value"]: page.find(id=radio["aria-describedby"]).get_text()
        for radio in form.find_all("input", attrs={"name": "stance"})
    }
    assert "Agrees" in hints["consent"]
    assert "will not block" in hints["stand_aside"]
    assert "Blocks the proposal for everyone" in hints["object"]
    assert "reason is required" in hints["object"]
    # Before the partners' positions, so that a phone need not scroll past every partner.
    names = page.select_one(f"#round-{round_.id} details.pending")
    assert form in names.find_all_previous("form")
    assert page.select_one("a[href='#own-position']") is not None


def test_rep_cannot_speak_for_another_partner(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(reps[0])
    response = client.submit(
        f"/rounds/{round_.id}/position",
        {"partner_id": partners[1].id, "stance": "consent"},
        page_url(proposal),
    )
    assert "only for your own organisation" in summary_text(refused(client, response, proposal))
    assert positions_of(session, round_.id) == 0


def test_rep_of_partner_outside_the_electorate_gets_no_form(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    latecomer = make.partner("Late Partner")
    rep = make.representative(latecomer)
    client = login(rep)
    url = f"/rounds/{round_.id}/position"
    assert client.page(page_url(proposal)).find("form", action=url) is None
    response = client.submit(
        url, {"partner_id": latecomer.id, "stance": "consent"}, page_url(proposal)
    )
    assert "not in the electorate" in summary_text(refused(client, response, proposal))
    assert positions_of(session, round_.id) == 0


def test_position_after_deadline_is_refused_on_the_page(make, login, session, three, at_t0):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(reps[0])
    at_t0.shift(timedelta(days=7, minutes=1))
    page = client.page(page_url(proposal))
    assert page.find("form", action=f"/rounds/{round_.id}/position") is None
    assert "The deadline has passed" in page.get_text()
    response = client.submit(
        f"/rounds/{round_.id}/position",
        {"partner_id": partners[0].id, "stance": "consent"},
        page_url(proposal),
    )
    assert "The deadline has passed" in summary_text(refused(client, response, proposal))
    assert positions_of(session, round_.id) == 0


def test_observer_can_neither_register_nor_open(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    draft = make.proposal(sec)
    client = login(make.user("observer"))
    assert client.page(page_url(proposal)).find("h1").get_text() == proposal.title
    registered = client.submit(
        f"/rounds/{round_.id}/position",
        {"partner_id": partners[0].id, "stance": "consent"},
        page_url(proposal),
    )
    opened = client.submit(
        f"/proposals/{draft.id}/rounds",
        {"deadline": "2026-03-20T12:00", "quorum": "0"},
        page_url(draft),
    )
    assert (registered.status_code, opened.status_code) == (403, 403)
    assert positions_of(session, round_.id) == 0
    assert session.get(Proposal, draft.id).status == ProposalStatus.DRAFT


# --- the Secretariat's round --------------------------------------------------------------


def test_secretariat_opens_extends_and_closes_a_round(make, login, session, manila, at_t0):  # type: ignore[no-untyped-def]
    partners = make.partners(2)
    sec = make.secretariat()
    proposal = make.proposal(sec)
    client = login(sec)
    page = client.page(page_url(proposal))
    form = page.find("form", action=f"/proposals/{proposal.id}/rounds")
    assert "Asia/Manila" in form.get_text()
    assert form.find("input", attrs={"name": "deadline"})["type"] == "datetime-local"

    opened = client.submit(
        f"/proposals/{proposal.id}/rounds",
        {"deadline": "2026-03-10T17:00", "quorum": "1", "auto_close": "y"},
        page_url(proposal),
    )
    assert opened.status_code == 302
    round_ = session.scalar(select(Round).where(Round.proposal_id == proposal.id))
    # 17:00 in Manila is 09:00 UTC.
    assert round_.deadline == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert (round_.quorum, round_.auto_close, round_.electorate) == (
        1,
        True,
        [p.id for p in partners],
    )

    extend_url = f"/rounds/{round_.id}/extend"
    page = client.page(page_url(proposal))
    assert (
        page.find("form", action=extend_url).find("input", attrs={"name": "deadline"})["value"]
        == "2026-03-10T17:00"
    )
    extended = client.submit(extend_url, {"deadline": "2026-03-12T08:30"}, page_url(proposal))
    assert extended.status_code == 302
    session.refresh(round_)
    assert round_.deadline == datetime(2026, 3, 12, 0, 30, tzinfo=UTC)

    earlier = client.submit(extend_url, {"deadline": "2026-03-11T08:30"}, page_url(proposal))
    page = refused(client, earlier, proposal)
    assert "later than the current one" in summary_text(page)
    field = page.find("form", action=extend_url).find("input", attrs={"name": "deadline"})
    assert field["value"] == "2026-03-11T08:30"  # what was typed, not the current deadline

    close_url = f"/rounds/{round_.id}/close"
    assert client.page(page_url(proposal)).find("a", href=close_url) is None  # partners pending
    not_yet = client.get(close_url)  # the confirmation is not offered either
    assert not_yet.headers["Location"] == page_url(proposal) + f"#round-{round_.id}"
    forced = client.submit(close_url, {}, page_url(proposal))
    assert "no partner is pending" in summary_text(refused(client, forced, proposal))
    session.refresh(round_)
    assert round_.is_open and round_.decision is None

    for partner in partners:
        client.submit(
            f"/rounds/{round_.id}/position",
            {"partner_id": partner.id, "stance": "consent", "note": "E-mail of 2 March"},
            page_url(proposal),
        )
    # Closing asks once more, saying what the decision will be.
    assert client.page(page_url(proposal)).find("a", href=close_url) is not None
    confirm = client.page(close_url)
    assert "Close round 1 of" in confirm.find("h1").get_text()
    assert "cannot be undone" in confirm.get_text()
    assert confirm.select_one("#outcome .badge").get_text() == "Adopted"
    assert confirm.find("a", href=page_url(proposal) + f"#round-{round_.id}") is not None
    session.refresh(round_)
    assert round_.is_open  # looking at the confirmation changed nothing
    closed = client.submit(close_url, {}, close_url)
    assert closed.status_code == 302
    session.refresh(round_)
    assert round_.outcome == Outcome.ADOPTED
    page = client.page(page_url(proposal))
    assert "decision 2026/001 is in the log" in page.select_one(".flash").get_text()
    article = page.select_one(f"#round-{round_.id}")
    assert article.select_one(".round-status .badge").get_text() == "Adopted"
    assert article.select_one("a.decision")["href"] == f"/decisions/{round_.decision.id}"


def test_date_fields_are_entered_and_prefilled_in_the_readers_zone(  # type: ignore[no-untyped-def]
    make, login, session, manila, at_t0
):
    """The partnership works in Manila time, this Secretariat user in Nairobi (UTC+3): the
    page shows the deadline on the reader's clock, so its date fields are on that clock
    too, and say so."""
    make.partners(2)
    sec = make.secretariat()
    users.update_user(session, None, sec.id, time_zone="Africa/Nairobi")
    proposal = make.proposal(sec)
    client = login(sec)
    page = client.page(page_url(proposal))
    open_form = page.find("form", action=f"/proposals/{proposal.id}/rounds")
    assert "Africa/Nairobi" in open_form.get_text()
    assert "Asia/Manila" not in open_form.get_text()
    opened = client.submit(
        f"/proposals/{proposal.id}/rounds",
        {"deadline": "2026-03-10T17:00", "quorum": "0"},
        page_url(proposal),
    )
    assert opened.status_code == 302
    round_ = session.scalar(select(Round).where(Round.proposal_id == proposal.id))
    # 17:00 in Nairobi is 14:00 UTC.
    assert round_.deadline == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)

    page = client.page(page_url(proposal))
    extend_form = page.find("form", action=f"/rounds/{round_.id}/extend")
    assert extend_form.find("input", attrs={"name": "deadline"})["value"] == "2026-03-10T17:00"
    assert "Africa/Nairobi" in extend_form.get_text()
    assert "Africa/Nairobi" in page.select_one(f"#round-{round_.id} .deadline").get_text()
    extended = client.submit(
        f"/rounds/{round_.id}/extend", {"deadline": "2026-03-11T09:00"}, page_url(proposal)
    )
    assert extended.status_code == 302
    session.refresh(round_)
    assert round_.deadline == datetime(2026, 3, 11, 6, 0, tzinfo=UTC)


def test_open_round_suggests_a_deadline_a_week_ahead_and_says_what_quorum_0_means(  # type: ignore[no-untyped-def]
    make, login, session, manila, at_t0
):
    make.partners(2)
    sec = make.secretariat()
    proposal = make.proposal(sec)
    # 09:40 UTC is 17:40 in Manila: a week later, to the nearest hour.
    at_t0.shift(timedelta(minutes=40))
    form = (
        login(sec).page(page_url(proposal)).find("form", action=f"/proposals/{proposal.id}/rounds")
    )
    assert form.find("input", attrs={"name": "deadline"})["value"] == "2026-03-09T18:00"
    quorum = form.find("input", attrs={"name": "quorum"})
    hint = form.find(id=quorum["aria-describedby"]).get_text()
    assert "0: silence counts as consent" in hint
    assert "at least N partners must consent or stand aside" in hint


def test_suggested_deadline_exists_on_the_readers_clock() -> None:
    # 01:30 in New York a week before the clocks go forward: 02:00 does not exist then.
    moment = datetime(2026, 3, 1, 6, 40, tzinfo=UTC)
    suggested = deadlines.suggested_deadline(moment, "America/New_York")
    local = suggested.astimezone(ZoneInfo("America/New_York"))
    assert (local.day, local.hour, local.minute) == (8, 3, 0)
    assert deadlines.suggested_deadline(T0, "UTC") == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def test_a_blocked_proposal_says_first_who_blocked_it_and_why(  # type: ignore[no-untyped-def]
    make, login, session, three, at_t0
):
    partners, reps, sec, proposal, round_ = three
    rounds.register_position(session, reps[0], round_.id, partners[0].id, "consent")
    rounds.register_position(
        session, reps[1], round_.id, partners[1].id, "object", "It endangers our staff."
    )
    rounds.register_position(session, reps[2], round_.id, partners[2].id, "stand_aside")
    client = login(sec)
    confirm = client.page(f"/rounds/{round_.id}/close")
    assert confirm.select_one("#outcome .badge").get_text() == "Blocked"
    assert "It endangers our staff." in confirm.select_one(".objections").get_text()
    client.submit(f"/rounds/{round_.id}/close", {}, f"/rounds/{round_.id}/close")
    page = client.page(page_url(proposal))
    notice = page.select_one(".outcome-notice.blocked")
    text = notice.get_text(" ", strip=True)
    assert "Blocked in round 1" in text
    assert f"{partners[1].name} objected: It endangers our staff." in text
    assert partners[0].name not in text and partners[2].name not in text
    # It comes before the proposal's text, and every stance has its own word and class.
    assert notice in page.select_one("#text").find_all_previous("section")
    badges = {b.get_text() for b in page.select(f"#round-{round_.id} .badge.sign")}
    assert {"Object", "Consent, without a reason", "Stand aside, without a reason"} <= badges
    assert row_of(page, partners[1]) is not None  # the objection, whole, in the table
    # A time in the table names its zone in the column's header.
    headers = [th.get_text() for th in page.select("table.positions thead th")]
    assert headers[-1] == "Registered (UTC)"


def test_open_round_defaults_to_the_partnerships_quorum(make, login, session, at_t0):  # type: ignore[no-untyped-def]
    settings.update_settings(session, None, default_quorum=2)
    make.partners(3)
    sec = make.secretariat()
    proposal = make.proposal(sec)
    client = login(sec)
    page = client.page(page_url(proposal))
    assert page.find("input", attrs={"name": "quorum"})["value"] == "2"
    past = client.submit(
        f"/proposals/{proposal.id}/rounds",
        {"deadline": "2026-03-01T12:00", "quorum": "2"},
        page_url(proposal),
    )
    page = refused(client, past, proposal)
    assert "must be in the future" in summary_text(page)
    assert page.find("input", attrs={"name": "deadline"})["value"] == "2026-03-01T12:00"
    assert session.scalar(select(func.count()).select_from(Round)) == 0


def test_secretariat_records_on_behalf_only_with_a_note(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(sec)
    url = f"/rounds/{round_.id}/position"
    form = client.page(page_url(proposal)).find("form", action=url)
    options = [o.get_text() for o in form.select("select[name=partner_id] option")][1:]
    assert options == sorted(p.name for p in partners)
    no_note = client.submit(
        url, {"partner_id": partners[1].id, "stance": "consent"}, page_url(proposal)
    )
    assert "How was the position received?" in summary_text(refused(client, no_note, proposal))
    assert positions_of(session, round_.id) == 0
    done = client.submit(
        url,
        {"partner_id": partners[1].id, "stance": "consent", "note": "Phone call"},
        page_url(proposal),
    )
    assert done.status_code == 302
    position = session.scalar(select(Position))
    assert (position.partner_id, position.on_behalf, position.note) == (
        partners[1].id,
        True,
        "Phone call",
    )


# --- amending and withdrawing -----------------------------------------------------------


def test_amendment_refused_while_a_round_is_open(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(sec)
    assert client.page(page_url(proposal)).find("a", string="Amend") is None
    straight_to_form = client.get(f"/proposals/{proposal.id}/edit")
    assert straight_to_form.headers["Location"] == page_url(proposal)
    response = client.submit(
        f"/proposals/{proposal.id}/edit",
        {"title": "Changed", "body": "Changed"},
        page_url(proposal),
    )
    assert response.status_code == 409
    assert "only between rounds" in alert_text(response)
    session.refresh(proposal)
    assert proposal.title != "Changed"


def test_proposer_amends_a_draft(make, login, session):  # type: ignore[no-untyped-def]
    rep = make.representative(make.partner())
    proposal = make.proposal(rep, title="First title")
    client = login(rep)
    edit_url = client.page(page_url(proposal)).find("a", string="Amend")["href"]
    form = client.page(edit_url)
    assert form.find("input", attrs={"name": "title"})["value"] == "First title"
    response = client.submit(edit_url, {"title": "Better title", "body": "Better text"})
    assert response.status_code == 302
    session.refresh(proposal)
    assert (proposal.title, proposal.body) == ("Better title", "Better text")
    # Another representative may read but not amend it.
    other = login(make.representative(make.partner()))
    assert other.page(page_url(proposal)).find("a", string="Amend") is None
    refused = other.submit(edit_url, {"title": "Hijack", "body": "x"}, page_url(proposal))
    assert refused.status_code == 403
    session.refresh(proposal)
    assert proposal.title == "Better title"


def test_withdrawal_closes_the_open_round_as_withdrawn(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(sec)
    confirm_url = client.page(page_url(proposal)).find("a", string="Withdraw")["href"]
    confirm = client.page(confirm_url)
    assert "closes as withdrawn" in confirm.get_text()
    assert "This cannot be undone." in confirm.get_text()
    assert confirm.find("a", href=page_url(proposal)).get_text() == "Cancel: keep the proposal"
    assert client.page(page_url(proposal)).select_one(".badge.withdrawn") is None  # not yet
    response = client.submit(confirm_url, {})
    assert response.status_code == 302
    session.refresh(round_)
    session.refresh(proposal)
    assert (proposal.status, round_.outcome) == (ProposalStatus.WITHDRAWN, Outcome.WITHDRAWN)
    page = client.page(page_url(proposal))
    assert page.select_one(".round-status .badge").get_text() == "Withdrawn"
    assert page.find("a", string="Withdraw") is None


def test_observer_cannot_withdraw(make, login, session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    client = login(make.user("observer"))
    response = client.submit(f"/proposals/{proposal.id}/withdraw", {}, page_url(proposal))
    assert response.status_code == 403
    session.refresh(proposal)
    assert proposal.status == ProposalStatus.OPEN


def test_unknown_pages_are_not_found(make, login):  # type: ignore[no-untyped-def]
    client = login(make.user("observer"))
    assert client.get("/proposals/999").status_code == 404
    assert client.get("/rounds/999/positions/1/history").status_code == 404
    assert client.get("/proposals?status=nonsense").status_code == 422


def test_zone_helpers_round_trip() -> None:
    from app.proposals.forms import in_zone_to_utc, utc_to_zone

    local = datetime(2026, 7, 1, 18, 0)
    moment = in_zone_to_utc(local, "Europe/Paris")
    assert moment == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    assert utc_to_zone(moment, "Europe/Paris") == local
    assert moment.astimezone(ZoneInfo("Europe/Paris")).hour == 18


def test_pages_label_every_input_and_have_one_h1(make, login, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    draft = make.proposal(sec)
    pages = [
        (sec, page_url(proposal)),  # on behalf, extend
        (sec, page_url(draft)),  # open a round
        (sec, "/proposals/new"),
        (sec, f"/proposals/{draft.id}/edit"),
        (reps[0], page_url(proposal)),  # own position
        (reps[0], "/proposals"),
    ]
    for user, url in pages:
        page = login(user).page(url)
        assert len(page.find_all("h1")) == 1, url
        for field in page.select("main input:not([type=hidden]), main select, main textarea"):
            assert page.find("label", attrs={"for": field["id"]}), (url, field)
        for table in page.select("main table"):
            assert table.find("th") and table.parent.get("class") == ["table-wrap"], url


def test_every_refused_form_of_the_area_has_an_error_summary(make, login, session):  # type: ignore[no-untyped-def]
    sec = make.secretariat()
    client = login(sec)
    response = client.submit("/proposals/new", {"title": "", "body": "Text"})
    assert response.status_code == 422
    summary = soup_of(response).select_one("#error-summary[tabindex='-1'][autofocus]")
    assert summary.find("a")["href"] == "#title"
    title = soup_of(response).find("input", attrs={"name": "title"})
    assert (title["aria-invalid"], title["aria-describedby"]) == ("true", "title-error")
    assert soup_of(response).find("textarea", attrs={"name": "body"}).get_text().strip() == "Text"
    assert session.scalar(select(func.count()).select_from(Proposal)) == 0
