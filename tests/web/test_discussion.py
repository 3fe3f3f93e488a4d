"""A proposal's discussion in the browser, for each role, through the real forms: the
comment box, replies on a page of their own, the author's edit within 15 minutes, the
closed discussion of an adopted or withdrawn proposal, and what the Markdown may hold."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from decisions import comments, partners, proposals, rounds
from decisions.deliberation_models import Comment
from decisions.models import Proposal
from tests.conftest import T0, soup_of
from tests.web.test_query_counts import counting_statements


@pytest.fixture
def cast(make, clock):  # type: ignore[no-untyped-def]
    """Two member partners with a representative each, the Secretariat, an observer and
    a draft by the first representative."""
    alpha, beta = make.partner("Alpha Reef Trust"), make.partner("Beta Coastal Alliance")
    people = {
        "alpha": make.representative(alpha),
        "beta": make.representative(beta),
        "sec": make.secretariat(),
        "observer": make.user("observer"),
    }
    proposal = make.proposal(people["alpha"], title="Shared tide gauges")
    return people, (alpha, beta), proposal


def page_url(proposal: Proposal) -> str:
    return f"/proposals/{proposal.id}"


def comments_url(proposal: Proposal) -> str:
    return f"/proposals/{proposal.id}/comments"


def count_comments(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Comment)) or 0


def section(page):  # type: ignore[no-untyped-def]
    return page.select_one("section[aria-labelledby='discussion']")


def test_a_representative_comments_and_is_sent_back_to_the_comment(  # type: ignore[no-untyped-def]
    cast, login, session
):
    people, (alpha, _beta), proposal = cast
    client = login(people["beta"])
    page = client.page(page_url(proposal))
    box = section(page).select_one("form.comment-box")
    assert box.select_one("label[for='comment-body']").get_text(strip=True) == "Your comment"
    hint = box.select_one("#comment-body-hint").get_text(strip=True)
    assert hint == "Markdown: **bold**, *italic*, lists and links."
    assert section(page).find("h2", id="discussion").get_text(strip=True) == "Discussion"

    response = client.submit(
        comments_url(proposal), {"body": "We *support* it."}, page_url(proposal)
    )
    (posted,) = session.scalars(select(Comment)).all()
    assert response.status_code == 302
    assert response.headers["Location"] == f"{page_url(proposal)}#comment-{posted.id}"
    page = client.page(page_url(proposal))
    article = page.select_one(f"article#comment-{posted.id}")
    meta = article.select_one(".comment-meta").get_text(" ", strip=True)
    assert people["beta"].name in meta and "Beta Coastal Alliance" in meta
    assert article.select_one("time[datetime]")["datetime"].startswith("2026-03-02T09:00")
    assert article.select_one(".comment-text em").get_text() == "support"
    assert "Your comment is posted." in page.select_one(".flash").get_text()


def test_the_secretariat_comments_as_the_secretariat(cast, login, session):  # type: ignore[no-untyped-def]
    people, _partners, proposal = cast
    client = login(people["sec"])
    client.submit(comments_url(proposal), {"body": "Noted."}, page_url(proposal))
    page = client.page(page_url(proposal))
    assert "(Secretariat)" in section(page).select_one(".comment-meta").get_text(" ", strip=True)


def test_an_observer_reads_and_may_not_comment(cast, login, session):  # type: ignore[no-untyped-def]
    people, _partners, proposal = cast
    comments.post_comment(session, people["alpha"], proposal.id, "Context first.")
    client = login(people["observer"])
    page = client.page(page_url(proposal))
    assert "Context first." in section(page).get_text()
    assert section(page).select_one("form") is None
    assert section(page).select_one("a.reply") is None
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    refused = client.client.post(comments_url(proposal), data={"csrf_token": token, "body": "Hi"})
    assert refused.status_code == 403
    assert count_comments(session) == 1


def test_a_suspended_partners_representative_may_not_comment(cast, login, session):  # type: ignore[no-untyped-def]
    people, (_alpha, beta), proposal = cast
    client = login(people["beta"])
    form_page = page_url(proposal)
    token = client.page(form_page).find("input", attrs={"name": "csrf_token"})["value"]
    partners.update_partner(session, None, beta.id, status="suspended")
    page = client.page(form_page)
    assert section(page).select_one("form") is None  # no box any more
    response = client.client.post(comments_url(proposal), data={"csrf_token": token, "body": "Hi"})
    assert response.status_code == 303
    summary = client.page(form_page).select_one("#error-summary").get_text(" ", strip=True)
    assert "suspended or removed" in summary
    assert count_comments(session) == 0


def test_a_blank_comment_is_refused_on_the_page_and_a_long_one_keeps_its_text(  # type: ignore[no-untyped-def]
    cast, login, session
):
    people, _partners, proposal = cast
    client = login(people["beta"])
    response = client.submit(comments_url(proposal), {"body": "   "}, page_url(proposal))
    assert response.status_code == 303
    assert response.headers["Location"] == page_url(proposal) + "#error-summary"
    page = client.page(page_url(proposal))
    link = page.select_one("#error-summary a")
    assert link["href"] == "#comment-body"
    assert page.select_one("#comment-body-error") is not None
    # A text too long for the session cookie comes back at once, with what was typed.
    typed = "Long thoughts. " * 700
    long = client.submit(comments_url(proposal), {"body": typed}, page_url(proposal))
    assert long.status_code == 422
    page = soup_of(long)
    assert page.select_one("#comment-body").get_text().strip() == typed.strip()
    assert "10000" in page.select_one("#comment-body-error").get_text()
    assert count_comments(session) == 0


def test_a_refused_comment_keeps_what_was_typed(cast, login, session):  # type: ignore[no-untyped-def]
    people, (_alpha, beta), proposal = cast
    client = login(people["beta"])
    token = client.page(page_url(proposal)).find("input", attrs={"name": "csrf_token"})["value"]
    proposals.withdraw_proposal(session, people["alpha"], proposal.id)
    response = client.client.post(
        comments_url(proposal), data={"csrf_token": token, "body": "Wait, one more thing."}
    )
    assert response.status_code == 303
    page = client.page(page_url(proposal))
    summary = page.select_one("#error-summary").get_text(" ", strip=True)
    assert "The discussion is closed: the proposal was withdrawn." in summary


def test_a_reply_is_posted_from_its_own_page_and_shown_under_its_comment(  # type: ignore[no-untyped-def]
    cast, login, session
):
    people, _partners, proposal = cast
    first = comments.post_comment(session, people["alpha"], proposal.id, "Which months?")
    other = comments.post_comment(session, people["sec"], proposal.id, "A second thread.")
    first_id, other_id = first.id, other.id
    client = login(people["beta"])
    page = client.page(page_url(proposal))
    link = page.select_one(f"#comment-{first_id} a.reply")
    reply_url = f"/proposals/{proposal.id}/comments/new?reply_to={first_id}"
    assert link["href"] == reply_url
    reply_page = client.page(reply_url)
    assert "Which months?" in reply_page.select_one(f"#comment-{first_id}").get_text()
    response = client.submit(reply_url, {"body": "June to August."})
    assert response.status_code == 302
    reply = session.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert reply.reply_to_id == first_id
    assert response.headers["Location"] == f"{page_url(proposal)}#comment-{reply.id}"

    # A reply to the reply joins the first comment's thread (one level of replies).
    deeper_url = f"/proposals/{proposal.id}/comments/new?reply_to={reply.id}"
    client.submit(deeper_url, {"body": "And September?"})
    page = client.page(page_url(proposal))
    threads = section(page).select("ol.comments > li")
    assert [t.select_one("article")["id"] for t in threads] == [
        f"comment-{first_id}",
        f"comment-{other_id}",
    ]
    replies = threads[0].select("ol.replies > li article")
    assert [r.select_one(".comment-text").get_text(strip=True) for r in replies] == [
        "June to August.",
        "And September?",
    ]
    assert threads[0].select_one("ol.replies a.reply") is None  # replies take no reply link


def test_a_reply_to_another_proposals_comment_is_refused_on_the_form(  # type: ignore[no-untyped-def]
    cast, login, session, make
):
    people, _partners, proposal = cast
    elsewhere = make.proposal(people["sec"])
    foreign = comments.post_comment(session, people["sec"], elsewhere.id, "Elsewhere.")
    mine = comments.post_comment(session, people["sec"], proposal.id, "Here.")
    client = login(people["beta"])
    assert (
        client.get(f"/proposals/{proposal.id}/comments/new?reply_to={foreign.id}").status_code
        == 404
    )
    assert client.get(f"/proposals/{proposal.id}/comments/new?reply_to=999999").status_code == 404
    # A forged hidden field: the service refuses it, and the page keeps what was typed.
    url = f"/proposals/{proposal.id}/comments/new?reply_to={mine.id}"
    response = client.submit(url, {"body": "Kept text.", "reply_to": str(foreign.id)})
    assert response.status_code == 422
    page = soup_of(response)
    assert "Not a comment of this proposal." in page.select_one("#error-summary").get_text()
    assert page.select_one("#comment-body").get_text().strip() == "Kept text."
    assert count_comments(session) == 2


def test_the_author_edits_within_15_minutes_and_the_comment_is_marked(  # type: ignore[no-untyped-def]
    cast, login, session, clock
):
    people, _partners, proposal = cast
    posted = comments.post_comment(session, people["beta"], proposal.id, "Teh gauges.")
    comment_id = posted.id
    client = login(people["beta"])
    edit_url = f"/comments/{comment_id}/edit"
    page = client.page(page_url(proposal))
    assert page.select_one(f"#comment-{comment_id} a.edit")["href"] == edit_url
    # Nobody else is offered the edit.
    other = login(people["alpha"])
    assert other.page(page_url(proposal)).select_one(f"#comment-{comment_id} a.edit") is None

    clock.shift(timedelta(minutes=10))
    assert client.page(edit_url).select_one("#comment-body").get_text().strip() == "Teh gauges."
    response = client.submit(edit_url, {"body": "The gauges."})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{page_url(proposal)}#comment-{comment_id}"
    article = client.page(page_url(proposal)).select_one(f"#comment-{comment_id}")
    assert article.select_one(".comment-text").get_text(strip=True) == "The gauges."
    edited = article.select_one(".edited")
    assert "edited" in edited.get_text()
    assert edited.select_one("time")["datetime"].startswith("2026-03-02T09:10")

    # Someone else's edit is refused.
    token = other.page(page_url(proposal)).find("input", attrs={"name": "csrf_token"})["value"]
    forged = other.client.post(edit_url, data={"csrf_token": token, "body": "Mine now."})
    assert forged.status_code == 403

    # After 15 minutes: no link, the page leads back, a late post is refused.
    form_token = client.page(edit_url).find("input", attrs={"name": "csrf_token"})["value"]
    clock.shift(timedelta(minutes=6))
    assert client.page(page_url(proposal)).select_one(f"#comment-{comment_id} a.edit") is None
    assert client.get(edit_url).status_code == 302
    late = client.client.post(edit_url, data={"csrf_token": form_token, "body": "Too late."})
    assert late.status_code == 409
    assert "first 15 minutes" in soup_of(late).select_one("#error-summary").get_text()
    session.expire_all()
    assert session.get(Comment, comment_id).body == "The gauges."


def test_after_adoption_the_discussion_is_closed_and_still_read(  # type: ignore[no-untyped-def]
    cast, login, session
):
    people, (alpha, beta), proposal = cast
    comments.post_comment(session, people["beta"], proposal.id, "We agree.")
    round_ = rounds.open_round(session, people["sec"], proposal.id, T0 + timedelta(days=7))
    for rep, partner in ((people["alpha"], alpha), (people["beta"], beta)):
        rounds.register_position(session, rep, round_.id, partner.id, "consent")
    rounds.close_round(session, people["sec"], round_.id)
    client = login(people["beta"])
    page = client.page(page_url(proposal))
    discussion = section(page)
    assert "The discussion is closed: the proposal was adopted." in discussion.get_text()
    assert "We agree." in discussion.get_text()
    assert discussion.select_one("form") is None and discussion.select_one("a.reply") is None


def test_comments_are_sanitised_markdown(cast, login, session):  # type: ignore[no-untyped-def]
    people, _partners, proposal = cast
    body = (
        "<script>alert('x')</script>\n\n"
        "**Bold** and a [link](https://example.org).\n\n"
        "![a chart](https://tracker.example/chart.png)"
    )
    posted = comments.post_comment(session, people["beta"], proposal.id, body)
    client = login(people["alpha"])
    response = client.get(page_url(proposal))
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    text = soup_of(response).select_one(f"#comment-{posted.id} .comment-text")
    assert text.select_one("strong").get_text() == "Bold"
    assert text.select_one("img") is None
    image_link = text.find("a", href="https://tracker.example/chart.png")
    assert image_link is not None and image_link.get_text() == "a chart"


def test_the_page_costs_as_many_statements_with_200_comments_as_with_2(  # type: ignore[no-untyped-def]
    make, login, session, clock
):
    sec = make.secretariat()
    speakers = [sec, *(make.representative(p) for p in make.partners(9))]
    few, many = make.proposal(sec), make.proposal(sec)

    def discuss(proposal: Proposal, n: int) -> None:
        first = None
        for i in range(n):
            reply_to = first if i % 3 == 2 else None
            posted = comments.post_comment(
                session, speakers[i % len(speakers)], proposal.id, f"Point {i}.", reply_to
            )
            first = first or posted.id

    discuss(few, 2)
    discuss(many, 200)
    comments.edit_comment(session, speakers[0], first_of(session, many), "Point 0, edited.")
    client = login(speakers[1])

    def statements(proposal: Proposal, shown: int) -> int:
        session.expire_all()
        with counting_statements() as seen:
            page = client.page(page_url(proposal))
        assert len(section(page).select("article.comment")) == shown
        return len(seen)

    assert statements(few, 2) == statements(many, 200)


def first_of(session, proposal: Proposal) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.min(Comment.id)).where(Comment.proposal_id == proposal.id))
