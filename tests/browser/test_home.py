"""The home page in Chromium: the Secretariat's to-do list changing as work is done, and a
partner's rounds waiting for its position first, each deadline in words."""

import re
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from decisions import proposals, rounds
from decisions.clock import now
from decisions.models import Partnership, User
from tests.browser.conftest import SECRETARIAT, audit, representative, sign_in

KESTREL = "Kestrel Ridge Peace Studio"


def group(page, section_id: str):  # type: ignore[no-untyped-def]
    """A group of the to-do list, by its heading's id."""
    return page.locator("main section").filter(has=page.locator(f"h2#{section_id}"))


def item(page, section_id: str, title: str):  # type: ignore[no-untyped-def]
    return group(page, section_id).locator("ul.todo > li").filter(has_text=title)


def home(page):  # type: ignore[no-untyped-def]
    page.goto("/")
    audit(page)


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def local_input(moment, zone: str) -> str:  # type: ignore[no-untyped-def]
    """A time as a datetime-local field takes it, on the clock of ``zone``."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def test_the_secretariats_to_do_list_changes_as_work_is_done(page, server) -> None:  # type: ignore[no-untyped-def]
    title = f"Share the early-warning dashboard {uuid.uuid4().hex[:6]}"
    sign_in(page, SECRETARIAT)
    audit(page)

    # a new draft waits under the drafts
    page.goto("/proposals/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Text").fill("The partners share one early-warning dashboard.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    proposal_url = page.url.split("#")[0]
    home(page)
    draft = item(page, "drafts", title)
    assert draft.count() == 1

    # its action opens the proposal where the round is opened; a deadline 12 hours off
    draft.get_by_role("link", name=re.compile("^Open a round")).click()
    page.wait_for_load_state()
    assert page.url.startswith(proposal_url) and page.url.endswith("#open-round")
    audit(page)
    with server.session() as session:
        zone = session.scalar(select(Partnership.time_zone))
    form = page.locator("form[action$='/rounds']")
    form.locator("[name=deadline]").fill(local_input(now() + timedelta(hours=12), zone))
    form.get_by_role("button", name="Open the round").click()
    page.wait_for_load_state()
    audit(page)

    # no longer a draft; closing within 24 hours, every partner pending and named
    home(page)
    assert item(page, "drafts", title).count() == 0
    soon = item(page, "closing-soon", title)
    assert soon.count() == 1
    assert KESTREL in soon.inner_text()
    assert re.search(r"closes in 1[12] hours", soon.inner_text())
    assert item(page, "objected", title).count() == 0

    # Kestrel objects, from its own home, where the round waits for its position first
    sign_out(page)
    sign_in(page, representative("kestrel"))
    audit(page)
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0].startswith(f"Waiting for the position of {KESTREL}")
    waiting = page.locator("ul.awaiting > li").filter(has_text=title)
    assert re.search(r"closes in 1[12] hours", waiting.inner_text())
    waiting.get_by_role("link", name=re.compile("^Give your position")).click()
    page.wait_for_load_state()
    audit(page)
    own = page.locator("section").filter(has=page.locator("h4#own-position"))
    own.locator("input[name=stance][value=object]").check()
    own.locator("[name=reason]").fill("The dashboard would expose our local monitors.")
    own.get_by_role("button", name="Register the position").click()
    page.wait_for_load_state()
    audit(page)
    home(page)
    assert page.locator("ul.awaiting > li").filter(has_text=title).count() == 0
    spoken = page.locator("ul.open-rounds > li").filter(has_text=title)
    assert "Your organisation’s position: Object" in spoken.inner_text()

    sign_out(page)
    sign_in(page, SECRETARIAT)
    audit(page)
    objected = item(page, "objected", title)
    assert objected.count() == 1
    assert f"Objecting partner: {KESTREL}" in objected.inner_text()
    assert KESTREL not in item(page, "closing-soon", title).inner_text()

    # a round whose deadline passed yesterday waits to be closed
    overdue_title = f"Renew the translation fund {uuid.uuid4().hex[:6]}"
    with server.session() as session:
        secretariat = session.scalar(select(User).where(User.email == SECRETARIAT[0]))
        opened = now() - timedelta(days=8)
        proposal = proposals.draft_proposal(
            session, secretariat, overdue_title, "Renew it for a year.", now=opened
        )
        overdue = rounds.open_round(
            session, secretariat, proposal.id, now() - timedelta(days=1), now=opened
        )
        round_id, proposal_id = overdue.id, proposal.id
    home(page)
    waiting = item(page, "to-close", overdue_title)
    assert "deadline passed 1 day ago" in waiting.inner_text()
    assert "If closed now:" in waiting.inner_text()

    # its action is the closing's own confirmation page, which says the outcome
    waiting.get_by_role("link", name=re.compile("^Close the round")).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/rounds/{round_id}/close")
    audit(page)
    page.get_by_role("button", name=re.compile("record the decision")).click()
    page.wait_for_load_state()
    assert f"/proposals/{proposal_id}" in page.url
    audit(page)
    home(page)
    assert item(page, "to-close", overdue_title).count() == 0
    assert page.locator("ul.open-rounds > li").filter(has_text=overdue_title).count() == 0


def test_every_time_on_the_home_inbox_and_outbox_names_its_zone(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, SECRETARIAT)
    for path in ("/", "/inbox", "/outbox"):
        page.goto(path)
        audit(page)
        for text in page.locator("main time").all_inner_texts():
            assert "(Asia/Singapore, UTC+08:00)" in text, (path, text)
