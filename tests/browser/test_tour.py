"""Every page a role reaches from the navigation, looked at in Chromium: sent as HTML,
0 axe violations at 1280 px and 375 px, and no sideways scrolling on a phone."""

import pytest

from tests.browser.conftest import OBSERVER, SECRETARIAT, audit, representative, sign_in

#: pages whose own flows are tested elsewhere are visited there; these are the rest
READING = ["/proposals", "/decisions", "/decisions/verify", "/directory", "/inbox", "/account"]


@pytest.mark.parametrize(
    ("who", "extra"),
    [
        (SECRETARIAT, ["/partners", "/users", "/settings", "/applications", "/outbox"]),
        (representative("kestrel"), []),
        (OBSERVER, []),
    ],
    ids=["secretariat", "representative", "observer"],
)
def test_every_page_of_the_navigation(page, who, extra) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, who)
    audit(page)
    for path in READING + extra:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        audit(page)
    # a decision and a proposal, reached by their links as a reader would
    page.goto("/decisions")
    page.locator("main table a").first.click()
    audit(page)
    page.goto("/proposals")
    page.locator("main table a").first.click()
    audit(page)


def test_signed_out_pages(page) -> None:  # type: ignore[no-untyped-def]
    for path in ("/login", "/apply"):
        page.goto(path)
        audit(page)
    page.goto("/proposals")
    assert "/login" in page.url  # a page for members sends a visitor to sign in
