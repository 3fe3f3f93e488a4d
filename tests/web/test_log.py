"""The decision log in the browser: the list, its filters and pages, one entry, the check."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event, update

from decisions import log_search, proposals, rounds, settings
from decisions.consensus import Outcome
from decisions.db import db
from decisions.errors import InvalidInput
from decisions.models import DecisionEntry, Partner, Role, User
from tests.conftest import soup_of


def decide(
    session: Any,
    make: Any,
    sec: User,
    *,
    title: str,
    closed_at: datetime,
    outcome: str = "adopted",
    kind: str = "general",
    body: str = "We propose that **something** be done.",
    subject: dict[str, Any] | None = None,
    objector: Partner | None = None,
) -> DecisionEntry:
    """A proposal decided in one round that closes at ``closed_at`` with ``outcome``."""
    opened = closed_at - timedelta(days=8)
    proposal = make.proposal(sec, kind=kind, title=title, body=body, subject=subject, now=opened)
    round_ = make.open_round(
        proposal, sec, days=7, now=opened, quorum=1 if outcome == "lapsed" else 0
    )
    if outcome == "blocked":
        assert objector is not None
        rounds.register_position(
            session,
            sec,
            round_.id,
            objector.id,
            "object",
            "It endangers our staff.",
            note="Letter of 3 March",
            now=opened + timedelta(hours=1),
        )
    if outcome == "withdrawn":
        proposals.withdraw_proposal(session, sec, proposal.id, now=closed_at)
        entry = round_.decision
        assert entry is not None
        return entry
    entry = rounds.close_round(session, sec, round_.id, now=closed_at)
    assert str(entry.outcome) == outcome
    return entry


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 6, 30, tzinfo=UTC)


@dataclass
class Log:
    sec: User
    observer: User
    partners: list[Partner]
    #: title -> entry
    entries: dict[str, DecisionEntry]


@pytest.fixture
def log(session, make) -> Log:  # type: ignore[no-untyped-def]
    partners = [make.partner("Saltmarsh Circle", "ID"), make.partner("Banyan Network", "MY")]
    sec = make.secretariat()
    observer = make.user(Role.OBSERVER)
    entries = {}
    # Created out of chronological order: the list must sort by closing time, not by id.
    for spec in (
        {
            "title": "Annual work plan",
            "closed_at": at(2026, 1, 10),
            "body": "Include **mangrove restoration** monitoring.",
        },
        {"title": "Risk study", "closed_at": at(2025, 11, 20), "outcome": "lapsed"},
        {
            "title": "Statement on river dams",
            "closed_at": at(2026, 2, 5),
            "outcome": "blocked",
            "objector": partners[0],
        },
        {
            "title": "Assembly venue",
            "closed_at": at(2025, 12, 1),
            "outcome": "withdrawn",
            "body": "Meet 100% online_only this year.",
        },
        {
            "title": "New regional focus",
            "closed_at": at(2026, 2, 20),
            "kind": "regional_focus",
            "subject": {"countries": ["ID", "MY", "TL"]},
        },
    ):
        entries[spec["title"]] = decide(session, make, sec, **spec)  # type: ignore[arg-type]
    return Log(sec, observer, partners, entries)


def rows(soup: BeautifulSoup) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in soup.select("table.log tbody tr")
    ]


def titles(soup: BeautifulSoup) -> list[str]:
    return [row[1] for row in rows(soup)]


def test_log_lists_entries_newest_first(login, log):  # type: ignore[no-untyped-def]
    soup = login(log.sec).page("/decisions")
    assert len(soup.find_all("h1")) == 1
    assert rows(soup)[0][:4] == ["2026/003", "New regional focus", "Regional focus", "Adopted"]
    assert titles(soup) == [
        "New regional focus",
        "Statement on river dams",
        "Annual work plan",
        "Assembly venue",
        "Risk study",
    ]
    assert [row[0] for row in rows(soup)] == [
        "2026/003",
        "2026/002",
        "2026/001",
        "2025/002",
        "2025/001",
    ]
    assert [row[3] for row in rows(soup)] == [
        "Adopted",
        "Blocked",
        "Adopted",
        "Withdrawn",
        "Lapsed",
    ]
    # The closing time is shown in the reader's zone, named once in the column's header
    # (and in each cell's label, which a phone shows).
    first_time = soup.select_one("table.log tbody tr time")
    assert first_time["datetime"].startswith("2026-02-20T06:30")
    assert soup.select("table.log thead th")[4].get_text() == "Closed (UTC)"
    assert first_time.parent["data-label"] == "Closed (UTC)"
    link = soup.select_one("table.log tbody tr a")
    assert link["href"] == f"/decisions/{log.entries['New regional focus'].id}"
    assert soup.select_one(".table-wrap table.log") is not None


def test_filter_form_is_labelled_and_offers_the_years(login, log):  # type: ignore[no-untyped-def]
    soup = login(log.sec).page("/decisions")
    form = soup.find("form", attrs={"role": "search"})
    assert form["method"] == "get"
    for name in ("outcome", "kind", "year", "q"):
        control = form.find(attrs={"name": name})
        assert form.find("label", attrs={"for": control["id"]}).get_text(strip=True)
    years = [o["value"] for o in form.find("select", attrs={"name": "year"}).find_all("option")]
    assert years == ["", "2026", "2025"]
    assert not form.find("input", attrs={"name": "csrf_token"})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("outcome=blocked", ["Statement on river dams"]),
        ("outcome=lapsed", ["Risk study"]),
        ("kind=regional_focus", ["New regional focus"]),
        ("year=2025", ["Assembly venue", "Risk study"]),
        ("outcome=adopted&year=2026", ["New regional focus", "Annual work plan"]),
        ("outcome=adopted&kind=general&year=2025", []),
    ],
)
def test_filters(login, log, query, expected):  # type: ignore[no-untyped-def]
    soup = login(log.sec).page(f"/decisions?{query}")
    assert titles(soup) == expected
    if expected:
        assert f"{len(expected)} decision" in soup.get_text()
    else:
        assert "No decision matches the filters." in soup.get_text()
    # The form shows the filters in force.
    for pair in query.split("&"):
        name, value = pair.split("=")
        selected = soup.find("select", attrs={"name": name}).find("option", selected=True)
        assert selected["value"] == value


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dams", ["Statement on river dams"]),  # in a title
        ("MANGROVE restoration", ["Annual work plan"]),  # in a text, whatever the case
        ("restoration mangrove", ["Annual work plan"]),  # words, in any order
        ("restor", ["Annual work plan"]),  # a word's beginning is enough
        ("angrove", []),  # its middle is not
        ("%", []),  # no word: nothing to look for, not "anything"
        ("river_dams", ["Statement on river dams"]),  # _ separates words, as a space does
        ("online_only", ["Assembly venue"]),
        ("100", ["Assembly venue"]),
        ("mangrove dams", []),  # every word, in the same entry
        ("nothing like this", []),
    ],
)
def test_search_in_titles_and_texts(login, log, q, expected):  # type: ignore[no-untyped-def]
    client = login(log.sec)
    response = client.get("/decisions", query_string={"q": q})
    assert response.status_code == 200
    soup = soup_of(response)
    assert titles(soup) == expected
    assert soup.find("input", attrs={"name": "q"})["value"] == q


def test_pagination_keeps_the_filters(ctx, session, make, login):  # type: ignore[no-untyped-def]
    make.partner()
    sec = make.secretariat()
    page_size = int(ctx.config["ACCORD_PAGE_SIZE"])
    for n in range(page_size + 3):
        decide(
            session,
            make,
            sec,
            title=f"Routine decision {n:02d}",
            closed_at=at(2026, 1, 1) + timedelta(days=n),
        )
    decide(session, make, sec, title="Something else", closed_at=at(2026, 3, 1))
    client = login(sec)

    first = client.page("/decisions?q=routine&kind=general")
    assert len(rows(first)) == page_size
    assert titles(first)[0] == f"Routine decision {page_size + 2:02d}"
    nav = first.find("nav", class_="pagination")
    assert "Page 1 of 2" in nav.get_text()
    assert nav.find("a", rel="prev") is None
    next_url = nav.find("a", rel="next")["href"]
    assert "q=routine" in next_url and "kind=general" in next_url and "page=2" in next_url

    second = client.page(next_url)
    assert titles(second) == [f"Routine decision {n:02d}" for n in (2, 1, 0)]
    nav = second.find("nav", class_="pagination")
    assert "Page 2 of 2" in nav.get_text()
    assert nav.find("a", rel="next") is None
    previous_url = nav.find("a", rel="prev")["href"]
    assert "q=routine" in previous_url and "page=1" in previous_url
    assert titles(client.page(previous_url)) == titles(first)

    beyond = client.page("/decisions?q=routine&page=9")
    assert rows(beyond) == []
    assert "no decision on this page" in beyond.get_text()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"kind": "treaty"}, "kind"),
        ({"year": "last"}, "year"),
        ({"page": "0"}, None),
        ({"page": "-1"}, None),
        ({"before": "0"}, None),
        ({"after": "the last one"}, None),
        ({"before": str(2**31)}, None),
        ({"since": "2026-13-45"}, None),
        ({"until": "2026-03-01T09:00"}, None),  # a time without its offset
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_filter_shows_a_message_not_an_error_page(login, log, query, field):  # type: ignore[no-untyped-def]
    response = login(log.observer).get("/decisions", query_string=query)
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.find("h1").get_text(strip=True) == "Decision log"
    assert soup.find(attrs={"role": "alert"}) is not None
    assert rows(soup) == []
    if field:
        control = soup.find(attrs={"name": field})
        error = soup.find(id=f"{control['id']}-error")
        assert error is not None and error.get_text(strip=True)
    else:
        assert soup.select_one("form .errors p").get_text(strip=True)


def test_since_and_until_in_the_url(login, log):  # type: ignore[no-untyped-def]
    soup = login(log.sec).page("/decisions?since=2025-12-01&until=2026-01-10")
    assert titles(soup) == ["Annual work plan", "Assembly venue"]


def test_entry_page_shows_the_whole_record(login, log):  # type: ignore[no-untyped-def]
    entry = log.entries["Statement on river dams"]
    before = log.entries["Risk study"]  # the entry created just before it
    soup = login(log.sec).page(f"/decisions/{entry.id}")
    h1 = soup.find_all("h1")
    assert len(h1) == 1 and "2026/002" in h1[0].get_text() and "river dams" in h1[0].get_text()
    assert soup.select_one(".badge.blocked").get_text(strip=True) == "Blocked"
    # Who blocked it and why, before anything else.
    notice = soup.select_one("h1 + .outcome-notice.blocked")
    assert "Saltmarsh Circle objected: It endangers our staff." in notice.get_text(" ", strip=True)
    assert "Banyan Network" not in notice.get_text()
    assert soup.select("table.positions thead th")[3].get_text() == "Registered (UTC)"
    assert soup.find("time")["datetime"].startswith("2026-02-05T06:30")
    assert soup.select_one(".proposal-text strong").get_text() == "something"
    tally = {b["data-stance"]: int(b.get_text()) for b in soup.select(".tally [data-stance]")}
    assert tally == {"consent": 0, "stand_aside": 0, "object": 1, "pending": 1}
    positions = {
        row.find("th").get_text(strip=True): row for row in soup.select("table.positions tbody tr")
    }
    assert set(positions) == {"Saltmarsh Circle"}  # the objection, whole
    objection = positions["Saltmarsh Circle"].get_text(" ", strip=True)
    assert "Object" in objection and "It endangers our staff." in objection
    assert "on the partner's behalf: Letter of 3 March" in objection
    # the silent partner, named in the list of the pending
    assert "Banyan Network" in soup.select_one("details.names.pending").get_text()
    hashes = [code.get_text(strip=True) for code in soup.select("code.hash")]
    assert hashes == [entry.hash, entry.prev_hash]
    assert entry.prev_hash == before.hash
    proposal_link = soup.find("a", href=f"/proposals/{entry.proposal_id}")
    assert proposal_link is not None
    assert "None: the decision is the record." in soup.get_text()


def test_entry_page_shows_effects(login, log):  # type: ignore[no-untyped-def]
    entry = log.entries["New regional focus"]
    soup = login(log.sec).page(f"/decisions/{entry.id}")
    effects = soup.select_one("ul.effects").get_text(" ", strip=True)
    assert "Regional focus changed" in effects and "ID, MY, TL" in effects


def test_suspension_effect_names_the_partner(session, make, login, log):  # type: ignore[no-untyped-def]
    target = log.partners[1]
    # This test is about the effect's wording: the partnership lets silence suspend.
    settings.update_settings(session, None, kind_rules={"suspension": {"allow_silence": True}})
    entry = decide(
        session,
        make,
        log.sec,
        title="Suspend Banyan Network",
        kind="suspension",
        subject={"partner_id": target.id},
        closed_at=at(2026, 3, 1),
    )
    soup = login(log.observer).page(f"/decisions/{entry.id}")
    effects = soup.select_one("ul.effects").get_text(" ", strip=True)
    assert "Banyan Network: status changed from Active to Suspended." in effects
    # Consensus minus one: the partner concerned is not among the positions.
    named = [th.get_text(strip=True) for th in soup.select("table.positions tbody th")]
    for names in soup.select("details .partner-names"):
        named.extend(names.get_text().split(", "))
    assert named == ["Saltmarsh Circle"]


def test_observer_reads_the_log_and_an_entry(login, log):  # type: ignore[no-untyped-def]
    client = login(log.observer)
    assert len(rows(client.page("/decisions"))) == 5
    entry = log.entries["Annual work plan"]
    soup = client.page(f"/decisions/{entry.id}")
    assert "2026/001" in soup.find("h1").get_text()


def test_unknown_entry_is_a_404_page(login, log):  # type: ignore[no-untyped-def]
    response = login(log.observer).get("/decisions/99999")
    assert response.status_code == 404
    assert "No such decision." in soup_of(response).get_text()


def test_log_needs_a_signed_in_user(web, log):  # type: ignore[no-untyped-def]
    for url in ("/decisions", f"/decisions/{log.entries['Risk study'].id}", "/decisions/verify"):
        response = web.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_verify_page_says_intact_then_altered(session, login, log):  # type: ignore[no-untyped-def]
    client = login(log.observer)
    soup = client.page("/decisions/verify")
    assert "Intact" in soup.select_one(".verify.ok").get_text()
    assert "5 entries" in soup.select_one(".verify.ok").get_text()
    assert soup.select_one(".verify.altered") is None

    tampered = log.entries["Annual work plan"]
    session.execute(
        update(DecisionEntry).where(DecisionEntry.id == tampered.id).values(title="Rewritten")
    )
    session.commit()
    soup = client.page("/decisions/verify")
    assert soup.select_one(".verify.ok") is None
    assert "ALTERED" in soup.select_one(".verify.altered").get_text()
    assert soup.find("a", href=f"/decisions/{tampered.id}") is not None


def _statements_for(client: Any, url: str) -> int:
    """The SQL statements one GET issues, counted on a fresh database session."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    # The test and the request share the app context, hence the session: start it empty
    # so that nothing the test loaded saves the page a query.
    db.session.remove()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, url
    return len(statements)


def _decided_by_all(session: Any, make: Any, sec: User, title: str, closed_at: datetime) -> int:
    """An entry in which every partner with standing gave a position; its id."""
    opened = closed_at - timedelta(days=8)
    proposal = make.proposal(sec, title=title, now=opened)
    round_ = make.open_round(proposal, sec, days=7, now=opened)
    for n, partner_id in enumerate(round_.electorate):
        stance = "stand_aside" if n % 3 == 0 else "consent"
        rounds.register_position(
            session,
            sec,
            round_.id,
            partner_id,
            stance,
            f"Reason {n}",
            note="Received by e-mail",
            now=opened + timedelta(minutes=n + 1),
        )
    return rounds.close_round(session, sec, round_.id, now=closed_at).id


def test_pages_issue_as_many_queries_with_200_partners_as_with_5(session, make, login):  # type: ignore[no-untyped-def]
    sec = make.secretariat()
    sec_id = sec.id
    client = login(sec)
    make.partners(5)
    small = _decided_by_all(session, make, sec, "Decided by five", at(2026, 1, 5))
    small_counts = (
        _statements_for(client, "/decisions"),
        _statements_for(client, f"/decisions/{small}"),
    )

    make.partners(195)
    sec = session.get(User, sec_id)  # the counting started a new session
    large = _decided_by_all(session, make, sec, "Decided by two hundred", at(2026, 2, 5))
    entry = session.get(DecisionEntry, large)
    assert len(entry.positions) == 200
    large_counts = (
        _statements_for(client, "/decisions"),
        _statements_for(client, f"/decisions/{large}"),
    )
    assert large_counts == small_counts
    assert "Reason 199" in client.page(f"/decisions/{large}").get_text()


def test_search_log_service_pages_and_bounds(session, log):  # type: ignore[no-untyped-def]
    page = log_search.search_log(session, outcome=Outcome.ADOPTED, page=2, per_page=1)
    assert [e.title for e in page.items] == ["Annual work plan"]
    assert (page.total, page.last, page.has_previous, page.has_next) == (2, 2, True, False)
    boundary = at(2026, 2, 5)  # the blocked statement closed exactly then: both bounds include it
    since = log_search.search_log(session, since=boundary)
    assert [e.title for e in since.items] == ["New regional focus", "Statement on river dams"]
    until = log_search.search_log(session, until=boundary, year="2026")
    assert [e.title for e in until.items] == ["Statement on river dams", "Annual work plan"]
    assert log_search.years(session) == [2026, 2025]
    entry = log.entries["Risk study"]
    assert log_search.get_entry(session, entry.id).number == "2025/001"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"kind": "treaty"}, "kind"),
        ({"year": True}, "year"),
        ({"year": "20x6"}, "year"),
        ({"q": ["a", "list"]}, "q"),
        ({"page": 0}, "page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 101}, "per_page"),
        ({"since": datetime(2026, 1, 1)}, "since"),  # no offset: which zone?
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "until"),
    ],
)
def test_search_log_service_names_the_bad_field(session, kwargs, field):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        log_search.search_log(session, **kwargs)
    assert refused.value.field == field
    assert refused.value.message


def test_pages_follow_one_another_by_the_entries_at_their_edges(login, log, ctx, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ctx.config, "ACCORD_PAGE_SIZE", 2)
    client = login(log.sec)
    first = client.page("/decisions")
    assert titles(first) == ["New regional focus", "Statement on river dams"]
    assert "5 decisions in the log." in first.get_text()
    next_url = first.find("nav", class_="pagination").find("a", rel="next")["href"]
    assert f"before={log.entries['Statement on river dams'].id}" in next_url
    assert "page=2" in next_url

    second = client.page(next_url)
    assert titles(second) == ["Annual work plan", "Assembly venue"]
    nav = second.find("nav", class_="pagination")
    assert "Page 2 of 3" in nav.get_text()
    assert "after=" not in nav.find("a", rel="prev")["href"]  # the first page, plainly

    third = client.page(nav.find("a", rel="next")["href"])
    assert titles(third) == ["Risk study"]
    nav = third.find("nav", class_="pagination")
    assert "Page 3 of 3" in nav.get_text() and nav.find("a", rel="next") is None
    back = nav.find("a", rel="prev")["href"]
    assert f"after={log.entries['Risk study'].id}" in back and "page=2" in back
    assert titles(client.page(back)) == titles(second)


def test_filtered_pages_keep_their_filters_from_edge_to_edge(login, log, ctx, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ctx.config, "ACCORD_PAGE_SIZE", 2)
    client = login(log.sec)
    first = client.page("/decisions?year=2026")
    assert "3 decisions match the filters." in first.get_text()
    next_url = first.find("nav", class_="pagination").find("a", rel="next")["href"]
    assert "year=2026" in next_url and "before=" in next_url
    assert titles(client.page(next_url)) == ["Annual work plan"]


def test_search_follows_an_entry_changed_in_the_database(session, login, log):  # type: ignore[no-untyped-def]
    # Entries are never changed; should one be, the search index must still agree with it.
    entry = log.entries["Risk study"]
    session.execute(
        update(DecisionEntry).where(DecisionEntry.id == entry.id).values(title="Flood study")
    )
    session.commit()
    client = login(log.sec)
    assert titles(client.page("/decisions?q=flood")) == ["Flood study"]
    assert titles(client.page("/decisions?q=risk")) == []


def test_a_page_deep_in_the_log_costs_what_the_first_does(login, log, ctx, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ctx.config, "ACCORD_PAGE_SIZE", 2)
    client = login(log.sec)
    edge = log.entries["Statement on river dams"].id
    first = _statements_for(client, "/decisions")
    assert _statements_for(client, f"/decisions?before={edge}&page=2") == first
    assert _statements_for(client, f"/decisions?after={edge}&page=1") == first
    assert _statements_for(client, "/decisions?page=3") == first
    # the size of the log and of a year come from the entries' numbers, not a count;
    # another filter counts what it matches
    assert _statements_for(client, "/decisions?year=2025") == first
    assert _statements_for(client, "/decisions?outcome=adopted") == first + 1
    # a search counts its matches, then reads its page, from the matches or by walking
    # the list (decisions/log_pages.py); beyond the last page, the count spares the read
    assert _statements_for(client, "/decisions?q=study") == first + 1
    assert _statements_for(client, f"/decisions?q=study&before={edge}&page=2") == first + 1
    assert _statements_for(client, "/decisions?q=study&page=9") == first
