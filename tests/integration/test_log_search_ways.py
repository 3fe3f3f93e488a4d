"""A search's page is found in one of two ways (decisions/log_pages.py): by walking the
list's order and testing each entry, for a word most entries have, or from the
full-text index's matches, for a rarer one; a walk that gives up (its matches are in
older entries) falls back to the matches. Whichever way, a page holds the same entries.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from decisions import log_pages, log_search
from decisions.models import DecisionEntry
from tests.web.test_log import at, decide

#: (title, closed on the n-th day): "routine" in most entries, "harbour" in a few,
#: "founding" only in the oldest
TITLES = [
    *(f"Founding charter part {n}" for n in range(4)),
    *(f"Routine review {n}" for n in range(14)),
    "Harbour survey",
    *(f"Routine audit {n}" for n in range(5)),
    "Routine harbour dredging",
]

WAYS = {
    # every page by walking the list (the walk is never deemed too long)
    "walk": {"WALK_AT_MOST": 10**9},
    # every page from the matches
    "matches": {"WALK_AT_MOST": 0},
    # a walk that gives up after three entries, then the matches
    "walk given up": {"WALK_AT_MOST": 10**9, "WALK_AT_MOST_EVER": 3},
}


@pytest.fixture
def searchable(session: Any, make: Any) -> dict[str, DecisionEntry]:
    make.partner()
    sec = make.secretariat()
    start = at(2025, 1, 1)
    return {
        title: decide(session, make, sec, title=title, closed_at=start + timedelta(days=n))
        for n, title in enumerate(TITLES)
    }


@pytest.fixture(params=list(WAYS))
def way(request: Any, monkeypatch: Any) -> Iterator[str]:
    for name, value in WAYS[request.param].items():
        monkeypatch.setattr(log_pages, name, value)
    yield request.param


def expected(word: str) -> list[str]:
    """The titles with a word that begins with ``word``, newest first."""
    return [
        title
        for title in reversed(TITLES)
        if any(part.lower().startswith(word) for part in title.split())
    ]


@pytest.mark.parametrize("word", ["routine", "harbour", "founding", "charter part", "nowhere"])
def test_every_page_of_a_search_holds_the_same_entries(
    session: Any, searchable: Any, way: str, word: str
) -> None:
    wanted = expected(word.split()[0]) if word != "charter part" else expected("founding")
    size = 4
    seen: list[str] = []
    for number in range(1, len(wanted) // size + 3):
        page = log_search.search_log(session, q=word, page=number, per_page=size)
        assert page.total == len(wanted)
        seen.extend(entry.title for entry in page.items)
    assert seen == wanted


@pytest.mark.parametrize("word", ["routine", "harbour", "founding"])
def test_a_search_pages_by_its_edges_as_by_numbers(
    session: Any, searchable: Any, way: str, word: str
) -> None:
    wanted = expected(word)
    size = 3
    pages: list[list[str]] = []
    page = log_search.search_log(session, q=word, per_page=size)
    while page.items:
        pages.append([entry.title for entry in page.items])
        page = log_search.search_log(session, q=word, per_page=size, before=page.items[-1].id)
    assert [title for titles in pages for title in titles] == wanted
    # and back again, from the last page, by the entry at each page's top edge
    back = [pages[-1]]
    first_on_page = searchable[pages[-1][0]].id
    while True:
        page = log_search.search_log(session, q=word, per_page=size, after=first_on_page)
        if not page.items:
            break
        back.append([entry.title for entry in page.items])
        first_on_page = page.items[0].id
    assert [title for titles in reversed(back) for title in titles] == wanted


def test_a_search_with_another_filter(session: Any, searchable: Any, way: str) -> None:
    until = searchable["Harbour survey"].closed_at
    page = log_search.search_log(session, q="routine", until=until.isoformat(), per_page=5)
    assert [entry.title for entry in page.items] == [
        f"Routine review {n}" for n in range(13, 8, -1)
    ]
    assert page.total == 14


def test_the_count_follows_the_log_as_the_database_holds_it(session: Any, searchable: Any) -> None:
    """Matches are counted in the table of words (decisions/log_fulltext.py), which the
    database keeps in step with the log: a title changed or an entry deleted behind
    Accord's back (a forgery, which verifying the chain finds) is searched as it now is."""
    survey = searchable["Harbour survey"]
    session.execute(
        text("UPDATE decisions SET title = 'Lighthouse survey' WHERE id = :id"), {"id": survey.id}
    )
    session.execute(
        text("DELETE FROM decisions WHERE id = :id"),
        {"id": searchable["Routine harbour dredging"].id},
    )
    session.expire_all()
    assert log_search.search_log(session, q="harbour").total == 0
    assert [e.title for e in log_search.search_log(session, q="lighthouse").items] == [
        "Lighthouse survey"
    ]
    assert log_search.search_log(session, q="routine").total == len(expected("routine")) - 1
