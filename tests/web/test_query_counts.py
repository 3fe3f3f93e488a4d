"""A proposal's page costs the same number of SQL statements with 5 partners as with 200."""

from collections.abc import Iterator
from contextlib import contextmanager

import time_machine
from sqlalchemy import event

from decisions import applications, rounds
from decisions.db import db
from decisions.models import Partner, Proposal, User
from tests.conftest import T0


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def decided_twice(make, session, sec: User, partners: list[Partner]) -> Proposal:  # type: ignore[no-untyped-def]
    """A proposal blocked in a first round and open in a second, every elector having
    spoken in both (one position changed, all recorded on behalf)."""
    proposal = make.proposal(sec)
    first = make.open_round(proposal, sec)
    for i, partner in enumerate(partners):
        stance = ("consent", "stand_aside", "object")[i % 3]
        rounds.register_position(session, sec, first.id, partner.id, stance, "Why", note="E-mail")
    rounds.register_position(session, sec, first.id, partners[0].id, "object", "No", note="Call")
    rounds.close_round(session, sec, first.id)
    second = make.open_round(proposal, sec)
    for partner in partners:
        rounds.register_position(session, sec, second.id, partner.id, "consent", note="Letter")
    return proposal


def statements_for_page(client, proposal: Proposal, electors: int) -> int:  # type: ignore[no-untyped-def]
    url = f"/proposals/{proposal.id}"
    # Each request in production starts with an empty session; here the test's session
    # lives on, so forget what it holds, or a row cached by one request is free for the next.
    db.session.expire_all()
    with counting_statements() as statements:
        page = client.page(url)
    for article in page.select("article.round"):
        assert len(article.select("tbody tr")) == electors
        assert article.select_one(".tally").get_text(" ", strip=True)
    return len(statements)


def test_proposal_page_statements_do_not_grow_with_partners(make, login, session):  # type: ignore[no-untyped-def]
    with time_machine.travel(T0, tick=False):
        few = make.partners(5)
        sec = make.secretariat()
        small = decided_twice(make, session, sec, few)
        many = few + make.partners(195)
        large = decided_twice(make, session, sec, many)
        reader = make.representative(few[0])
        client = login(reader)
        small_count = statements_for_page(client, small, 5)
        large_count = statements_for_page(client, large, 200)
    assert small_count == large_count
    # today 7: user, proposal, rounds, electors, decisions, positions, partnership
    assert small_count <= 10, small_count


def statements_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    with counting_statements() as statements:
        client.page(url)
    # read once, however many places on the page need the settings
    assert sum("FROM partnership" in statement for statement in statements) == 1, url
    return len(statements)


def add_applications(session, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        applications.submit_application(
            session,
            applications.ApplicationInput(
                organisation_name=f"Applicant {i}",
                mandate="Works for peace.",
                headquarters_country="PH",
                operating_countries=["PH", "ID"],
                legally_registered=i % 2 == 0,
                government_controlled=i % 3 == 0,
                agrees_with_principles=True,
                category="observer",
                contact_name="Contact",
                contact_email=f"contact{i}@example.org",
            ),
            None,
            "",
        )


def test_the_queue_and_the_directory_do_not_grow_with_their_rows(make, login, session):  # type: ignore[no-untyped-def]
    client = login(make.secretariat())
    make.partners(3)
    add_applications(session, 3)
    few = statements_for(client, "/applications"), statements_for(client, "/directory")
    make.partners(37)
    add_applications(session, 17)
    many = statements_for(client, "/applications"), statements_for(client, "/directory")
    assert few == many
