"""Deliberation in Chromium: an objection answered on the proposal's page, the amendment
screen that lists it, the discussion's comment box, reply and edit pages, and the
Settings where the rules per kind and the categories are kept. Every page state is
audited (axe at 1280 and 375 px, no sideways scrolling)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from decisions import rounds
from decisions.models import Partner
from tests.browser.conftest import SECRETARIAT, LiveServer, audit, representative, sign_in
from tests.browser.test_proposals import Made, _secretariat, make_proposal, path_of

REASON = "The budget line is not in this year's plan."


def blocked_proposal(server: LiveServer, what: str) -> Made:
    """A proposal of this test's own whose first round Kestrel Ridge blocked."""
    made = make_proposal(server, what)
    assert made.round_id is not None
    with server.session() as session:
        sec = _secretariat(session)
        kestrel = session.scalars(select(Partner).where(Partner.name.like("Kestrel%"))).one()
        rounds.register_position(
            session, sec, made.round_id, kestrel.id, "object", REASON, "By phone."
        )
        later = datetime.now(UTC) + timedelta(days=8)
        rounds.close_round(session, sec, made.round_id, now=later)
    return made


def test_an_objection_is_answered_and_listed_beside_the_amendment(page, server) -> None:  # type: ignore[no-untyped-def]
    made = blocked_proposal(server, "Fund a regional exchange")
    sign_in(page, SECRETARIAT)
    page.goto(made.path)
    objections = page.locator("section.objections-to-address")
    assert REASON in objections.inner_text()
    # Above the form that opens the next round: what to meet comes first.
    opening = page.get_by_role("button", name="Open the round")
    assert objections.bounding_box()["y"] < opening.bounding_box()["y"]
    audit(page)

    page.get_by_role("button", name="Save the answer").click()  # blank: refused on the field
    page.wait_for_load_state()
    assert path_of(page) == made.path
    assert page.locator("[aria-invalid=true]").count() >= 1
    audit(page)

    page.get_by_label("How the amended text meets this objection").fill(
        "The amended text pays for the exchange from next year's budget."
    )
    page.get_by_role("button", name="Save the answer").click()
    page.wait_for_load_state()
    assert "next year's budget" in objections.inner_text()
    audit(page)

    page.goto(made.path + "/edit")
    assert REASON in page.locator("main").inner_text()
    audit(page)


def test_the_discussion_takes_a_comment_a_reply_and_an_edit(page, server) -> None:  # type: ignore[no-untyped-def]
    made = make_proposal(server, "Translate the toolkit")
    sign_in(page, representative("kestrel"))
    page.goto(made.path)
    audit(page)
    page.get_by_label("Your comment").fill("Could the toolkit come in **Nepali** too?")
    page.get_by_role("button", name="Post the comment").click()
    page.wait_for_load_state()
    discussion = page.locator("section.discussion")
    assert "Nepali" in discussion.inner_text()
    assert discussion.locator("strong", has_text="Nepali").count() == 1  # Markdown, rendered
    audit(page)

    discussion.get_by_role("link", name="Edit").first.click()
    page.wait_for_load_state()
    audit(page)
    page.get_by_role("button").filter(has_text="Save").first.click()
    page.wait_for_load_state()
    assert "edited" in page.locator("section.discussion").inner_text()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    sign_in(page, SECRETARIAT)
    page.goto(made.path)
    page.locator("section.discussion").get_by_role("link", name="Reply").first.click()
    page.wait_for_load_state()
    audit(page)
    page.get_by_label("Your comment").fill("Yes: the Secretariat will ask a partner to help.")
    page.get_by_role("button").filter(has_text="Post").first.click()
    page.wait_for_load_state()
    replies = page.locator("section.discussion ol.replies")
    assert "ask a partner to help" in replies.inner_text()
    audit(page)


def test_the_settings_keep_the_rules_per_kind_and_the_categories(page, server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, SECRETARIAT)
    page.goto("/settings")
    assert "Admission" in page.locator("main").inner_text()
    audit(page)
    page.goto("/settings/categories")
    audit(page)
