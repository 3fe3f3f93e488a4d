"""A visitor who is not signed in reads a public decision log in Chromium: the list and a
blocked entry, without the objection's reason; both audited (axe at 1280 and 375 px, no
sideways scrolling). The log is made public for this test only: the other tests read a
private one."""

from collections.abc import Iterator
from typing import Any

import pytest

from decisions import settings
from tests.browser.conftest import LiveServer, audit

#: the demo's objection to the funding proposal: a public reader never reads it
REASON = "independence in doubt"


@pytest.fixture
def public_log(server: LiveServer) -> Iterator[None]:
    with server.session() as session:
        settings.update_settings(session, None, public_log=True)
    try:
        yield
    finally:
        with server.session() as session:
            settings.update_settings(session, None, public_log=False)


def test_a_visitor_reads_the_public_log(page: Any, public_log: None, server: LiveServer) -> None:
    response = page.goto("/decisions")
    assert response is not None and response.status == 200 and "/login" not in page.url
    assert page.locator("main h1").inner_text() == "Decision log"
    assert "This decision log is public." in page.locator(".public-notice").inner_text()
    feed = page.locator("head link[rel=alternate][type='application/atom+xml']")
    assert feed.get_attribute("href") == f"{server.url}/decisions/feed.atom"
    audit(page)

    blocked = page.locator("main tr", has_text="Accept core funding").filter(has_text="Blocked")
    blocked.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert "Accept core funding" in page.locator("main h1").inner_text()
    main = page.locator("main").inner_text()
    assert "Blocked" in main and REASON not in main
    assert page.locator("table.positions").count() == 0
    audit(page)
