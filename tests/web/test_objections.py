"""Objections in the browser: the proposal's page shows those to address above the next
round's form, with their answers and, for the Secretariat and the proposer, a form to
answer each; the amendment screen lists them beside the text; a log entry names those
its round resolved; the Secretariat's to-do lists those without an answer."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from decisions import objections, rounds
from decisions.db import db
from decisions.deliberation_models import ANSWER_MAX, Objection, ObjectionStatus
from decisions.models import Partner, Proposal, Round, User
from tests.conftest import T0
from tests.web.test_proposals import refused, summary_text
from tests.web.test_query_counts import counting_statements

CLOSED = T0 + timedelta(days=8)
LATER = T0 + timedelta(days=9)


@dataclass
class Blocked:
    """A, B and C are members; C's representative drafted the proposal; round 1 closed
    blocked by A ("Too vague") and B ("It costs too much")."""

    a: Partner
    b: Partner
    c: Partner
    rep_a: User
    rep_b: User
    rep_c: User
    sec: User
    proposal: Proposal
    first: Round
    by_a: int
    by_b: int

    @property
    def url(self) -> str:
        return f"/proposals/{self.proposal.id}"


def vote(session: Any, sec: User, round_: Round, stances: dict[Partner, tuple[str, str]]) -> None:
    for partner, (stance, reason) in stances.items():
        rounds.register_position(
            session, sec, round_.id, partner.id, stance, reason, note="Letter", now=round_.opened_at
        )


@pytest.fixture
def blocked(make, session, clock) -> Blocked:  # type: ignore[no-untyped-def]
    a, b, c = (make.partner(name) for name in ("Banyan Trust", "Kestrel Network", "Monsoon"))
    rep_a, rep_b, rep_c = (make.representative(p) for p in (a, b, c))
    sec = make.secretariat()
    proposal = make.proposal(rep_c, title="A shared early-warning desk")
    first = make.open_round(proposal, sec)
    vote(
        session,
        sec,
        first,
        {a: ("object", "Too vague"), b: ("object", "It costs too much"), c: ("consent", "")},
    )
    rounds.close_round(session, sec, first.id, now=CLOSED)
    by_a, by_b = (o.id for o in objections.objections_of(session, proposal.id))
    clock.move_to(LATER)
    return Blocked(a, b, c, rep_a, rep_b, rep_c, sec, proposal, first, by_a, by_b)


def second_round(session: Any, world: Blocked, stances: dict[Partner, tuple[str, str]]) -> Round:
    """Round 2, opened at LATER, everyone in ``stances`` speaking, closed at once."""
    round_ = rounds.open_round(
        session, world.sec, world.proposal.id, LATER + timedelta(days=7), now=LATER
    )
    vote(session, world.sec, round_, stances)
    rounds.close_round(session, world.sec, round_.id, now=LATER + timedelta(days=8))
    return round_


def answer_url(objection_id: int) -> str:
    return f"/objections/{objection_id}/answer"


def objection_of(session: Any, objection_id: int) -> Objection:
    session.expire_all()
    return session.get_one(Objection, objection_id)


def test_the_objections_to_address_come_above_the_next_rounds_form(login, blocked):  # type: ignore[no-untyped-def]
    page = login(blocked.sec).page(blocked.url)
    headings = [h2.get("id") for h2 in page.select("main h2")]
    assert headings.index("objections") < headings.index("open-round")
    assert page.find("h2", id="objections").get_text(" ", strip=True) == (
        "Objections to address (2)"
    )
    article = page.find("article", id=f"objection-{blocked.by_a}")
    text = article.get_text(" ", strip=True)
    assert "Banyan Trust" in text and "round 1" in text and "Too vague" in text
    assert article.select_one(".badge.objection-open").get_text(strip=True) == "Open"
    assert "Not answered yet." in text
    form = article.find("form")
    assert form["action"] == answer_url(blocked.by_a)
    label = form.find("label")
    assert label.get_text(strip=True) == "How the amended text meets this objection"
    assert form.find("textarea", id=label["for"])["name"] == "answer"
    # each form's field has an id of its own
    assert page.find("textarea", id=f"answer-{blocked.by_b}") is not None


def test_the_secretariat_answers_and_lands_on_the_objection(login, blocked, session):  # type: ignore[no-untyped-def]
    client = login(blocked.sec)
    response = client.submit(
        answer_url(blocked.by_a),
        {"answer": "Section 2 now lists\nthe desk's tasks.", "objection_id": blocked.by_a},
        form_url=blocked.url,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{blocked.url}#objection-{blocked.by_a}"
    answered = objection_of(session, blocked.by_a)
    assert answered.status == ObjectionStatus.ANSWERED
    assert answered.answer == "Section 2 now lists\nthe desk's tasks."
    page = client.page(blocked.url)
    article = page.find("article", id=f"objection-{blocked.by_a}")
    assert article.select_one(".badge.objection-answered").get_text(strip=True) == "Answered"
    answer = article.select_one(".answer")
    assert blocked.sec.name in answer.get_text(" ", strip=True)
    assert "(UTC, UTC+00:00)" in answer.find("time").get_text()  # the reader's zone, named
    assert answer.select_one(".answer-text").get_text() == "Section 2 now lists\nthe desk's tasks."
    # the form holds the answer, to revise it
    assert "the desk's tasks." in article.find("textarea").get_text()
    assert article.find("button").get_text(strip=True) == "Revise the answer"


def test_the_proposer_answers_another_partner_may_not(login, blocked, session):  # type: ignore[no-untyped-def]
    proposer = login(blocked.rep_c)
    assert proposer.page(blocked.url).find("form", action=answer_url(blocked.by_b)) is not None
    response = proposer.submit(
        answer_url(blocked.by_b), {"answer": "Costs are shared.", "objection_id": blocked.by_b},
        form_url=blocked.url,
    )  # fmt: skip
    assert response.status_code == 302
    assert objection_of(session, blocked.by_b).answered_by_id == blocked.rep_c.id

    other = login(blocked.rep_a)
    page = other.page(blocked.url)
    assert page.find("form", action=answer_url(blocked.by_a)) is None
    assert "Costs are shared." in page.find("article", id=f"objection-{blocked.by_b}").get_text()
    tried = other.submit(answer_url(blocked.by_a), {"answer": "Ours"}, form_url=blocked.url)
    page = refused(other, tried, blocked.proposal)
    assert "You are not allowed to do this." in summary_text(page)
    assert objection_of(session, blocked.by_a).status == ObjectionStatus.OPEN


def test_an_observer_may_not_answer(login, blocked, make, session):  # type: ignore[no-untyped-def]
    observer = login(make.user("observer"))
    page = observer.page(blocked.url)
    assert page.find("h2", id="objections") is not None and page.find("textarea") is None
    response = observer.submit(answer_url(blocked.by_a), {"answer": "Mine"}, form_url="/")
    assert response.status_code == 403
    assert objection_of(session, blocked.by_a).answer == ""


def test_a_blank_answer_is_refused_on_its_field(login, blocked, session):  # type: ignore[no-untyped-def]
    client = login(blocked.sec)
    response = client.submit(
        answer_url(blocked.by_b), {"answer": "  ", "objection_id": blocked.by_b},
        form_url=blocked.url,
    )  # fmt: skip
    page = refused(client, response, blocked.proposal)
    link = page.select_one("#error-summary a")
    assert link["href"] == f"#answer-{blocked.by_b}"
    field = page.find("textarea", id=f"answer-{blocked.by_b}")
    assert field["aria-invalid"] == "true"
    assert page.find(id=f"answer-{blocked.by_b}-error").get_text(strip=True)
    assert page.find("textarea", id=f"answer-{blocked.by_a}").get("aria-invalid") is None
    assert objection_of(session, blocked.by_b).status == ObjectionStatus.OPEN


def test_a_refused_answer_keeps_what_was_typed(login, blocked, session):  # type: ignore[no-untyped-def]
    client = login(blocked.sec)
    typed = "The desk\x07 is shared."  # a control character: the service refuses it
    response = client.submit(
        answer_url(blocked.by_a), {"answer": typed, "objection_id": blocked.by_a},
        form_url=blocked.url,
    )  # fmt: skip
    page = refused(client, response, blocked.proposal)
    field = page.find("textarea", id=f"answer-{blocked.by_a}")
    assert field["aria-invalid"] == "true" and "is shared." in field.get_text()
    # too long for the session: shown at once, at the answer's address, with the text
    long = "x" * (ANSWER_MAX + 1)
    response = client.submit(
        answer_url(blocked.by_a), {"answer": long, "objection_id": blocked.by_a},
        form_url=blocked.url,
    )  # fmt: skip
    assert response.status_code == 422
    assert long in response.get_data(as_text=True)
    assert objection_of(session, blocked.by_a).status == ObjectionStatus.OPEN


def test_an_unknown_objection_is_404(login, blocked):  # type: ignore[no-untyped-def]
    client = login(blocked.sec)
    response = client.submit(answer_url(999_999), {"answer": "Yes"}, form_url=blocked.url)
    assert response.status_code == 404


def test_settled_objections_are_listed_compactly(login, blocked, session):  # type: ignore[no-untyped-def]
    second = second_round(
        session,
        blocked,
        {
            blocked.a: ("consent", ""),
            blocked.b: ("object", "Still too dear"),
            blocked.c: ("consent", ""),
        },
    )
    page = login(blocked.rep_a).page(blocked.url)
    [again] = [
        o for o in objections.objections_of(session, blocked.proposal.id) if o.round_id == second.id
    ]
    assert [a["id"] for a in page.select("article.objection")] == [f"objection-{again.id}"]
    settled = page.select_one("ul.objections-settled")
    resolved = settled.find("li", id=f"objection-{blocked.by_a}").get_text(" ", strip=True)
    assert "Resolved in round 2" in resolved and "Too vague" in resolved
    maintained = settled.find("li", id=f"objection-{blocked.by_b}")
    assert "Maintained in round 2" in maintained.get_text(" ", strip=True)
    assert maintained.find("a")["href"] == f"#objection-{again.id}"
    assert maintained.find("a").get_text(strip=True) == f"objection #{again.id}"


def test_an_answer_to_an_objection_settled_meanwhile_keeps_what_was_typed(login, blocked, session):  # type: ignore[no-untyped-def]
    client = login(blocked.sec)
    client.page(blocked.url)  # the form is open in the Secretariat's browser while …
    second_round(
        session,
        blocked,
        {blocked.a: ("consent", ""), blocked.b: ("consent", ""), blocked.c: ("consent", "")},
    )  # … a second round resolves the objection
    typed = "The desk is shared between the two sub-regions."
    response = client.submit(
        answer_url(blocked.by_a), {"answer": typed, "objection_id": blocked.by_a},
        form_url=blocked.url,
    )  # fmt: skip
    page = refused(client, response, blocked.proposal)
    kept = page.select_one(f"#objection-{blocked.by_a} .refused-answer")
    assert kept.select_one("[role=alert]").get_text(strip=True)
    assert kept.find("textarea").get_text() == typed
    assert objection_of(session, blocked.by_a).answer == ""


def test_the_amendment_screen_lists_the_open_objections(login, blocked, session):  # type: ignore[no-untyped-def]
    objections.answer_objection(session, blocked.sec, blocked.by_a, "Section 2 is precise now.")
    page = login(blocked.rep_c).page(f"{blocked.url}/edit")
    layout = page.select_one(".amend-layout")
    side = layout.select_one(".amend-objections")
    assert side is not None and layout.select_one(".amend-form form") is not None
    items = [li.get_text(" ", strip=True) for li in side.select("li")]
    assert len(items) == 2
    assert "Banyan Trust" in items[0] and "Too vague" in items[0]
    assert "Section 2 is precise now." in items[0]
    assert "Kestrel Network" in items[1] and "It costs too much" in items[1]
    link = side.find("a", href=f"{blocked.url}#objection-{blocked.by_b}")
    assert link is not None


def test_the_log_entry_names_the_objections_its_round_resolved(login, blocked, session):  # type: ignore[no-untyped-def]
    objections.answer_objection(session, blocked.sec, blocked.by_a, "Section 2 is precise now.")
    second = second_round(
        session,
        blocked,
        {blocked.a: ("stand_aside", ""), blocked.b: ("object", "No"), blocked.c: ("consent", "")},
    )
    client = login(blocked.rep_b)
    page = client.page(f"/decisions/{second.decision.id}")
    section = page.find("h2", id="entry-resolved").find_parent("section")
    assert section.find("h2").get_text(strip=True) == "Objections resolved by this decision"
    [item] = [li.get_text(" ", strip=True) for li in section.select("li")]
    assert "Banyan Trust" in item and "Too vague" in item and "Section 2 is precise now." in item
    first = client.page(f"/decisions/{blocked.first.decision.id}")
    assert first.find("h2", id="entry-resolved") is None


def test_the_secretariats_to_do_lists_objections_without_an_answer(login, blocked, session):  # type: ignore[no-untyped-def]
    client = login(blocked.sec)
    page = client.page("/")
    group = page.find("h2", id="unanswered-objections")
    assert group.get_text(" ", strip=True) == "Objections without an answer (2)"
    items = group.find_parent("section").select("ul.todo > li")
    assert [li["id"] for li in items] == [
        f"todo-objection-{blocked.by_a}",
        f"todo-objection-{blocked.by_b}",
    ]
    assert "Banyan Trust" in items[0].get_text() and "Too vague" in items[0].get_text()
    assert items[0].find("a", class_="button")["href"] == f"{blocked.url}#objection-{blocked.by_a}"
    objections.answer_objection(session, blocked.sec, blocked.by_a, "Precise now.")
    page = client.page("/")
    group = page.find("h2", id="unanswered-objections").find_parent("section")
    assert [li["id"] for li in group.select("ul.todo > li")] == [f"todo-objection-{blocked.by_b}"]


def statements_for(client: Any, url: str) -> int:
    db.session.expire_all()
    with counting_statements() as statements:
        client.page(url)
    return len(statements)


def test_pages_cost_the_same_statements_however_many_objections(make, login, session, clock):  # type: ignore[no-untyped-def]
    sec = make.secretariat()
    client = login(sec)

    def objected(partners: int) -> Proposal:
        electorate = make.partners(partners)
        proposal = make.proposal(sec)
        for n in (1, 2):  # each objects twice: one maintained, one open
            opened = T0 + timedelta(days=10 * (n - 1))
            round_ = make.open_round(proposal, sec, now=opened)
            vote(session, sec, round_, {p: ("object", f"Reason {n}") for p in electorate})
            rounds.close_round(session, sec, round_.id, now=opened + timedelta(days=8))
        for objection in objections.open_objections(session, proposal.id)[::2]:
            objections.answer_objection(session, sec, objection.id, "An answer")
        return proposal

    clock.move_to(T0 + timedelta(days=20))
    few = objected(3)
    counts = [statements_for(client, f"/proposals/{few.id}"), statements_for(client, "/")]
    many = objected(30)
    again = [statements_for(client, f"/proposals/{many.id}"), statements_for(client, "/")]
    assert counts == again
    page = client.page(f"/proposals/{many.id}")
    assert len(page.select("article.objection")) == 30
    assert len(page.select("ul.objections-settled > li")) == 30
