"""Languages in Chromium: the switch at the foot of a page, without JavaScript's help,
turns a visitor's pages Arabic and right to left; a signed-in reader's proposal page in
Arabic and in Indonesian; each state audited (axe at 1280 and 375 px, no sideways
scrolling in either direction)."""

import pytest

from tests.browser.conftest import SECRETARIAT, audit, representative, sign_in


def switch_to(page, name: str) -> None:  # type: ignore[no-untyped-def]
    footer = page.locator("footer")
    footer.locator("select").select_option(label=name)
    footer.get_by_role("button").click()
    page.wait_for_load_state()


def test_a_visitor_switches_to_arabic_right_to_left(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/apply")
    switch_to(page, "العربية")
    assert page.url.endswith("/apply")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    # mirrored: the main column's text starts at the right
    assert page.evaluate("getComputedStyle(document.querySelector('main h1')).direction") == "rtl"
    audit(page)
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "ar"
    audit(page)
    switch_to(page, "English")
    assert page.locator("html").get_attribute("dir") == "ltr"


@pytest.mark.parametrize(("name", "code"), [("العربية", "ar"), ("Bahasa Indonesia", "id")])
def test_a_proposal_page_in_another_language(page, name: str, code: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, SECRETARIAT)
    switch_to(page, name)
    try:
        page.goto("/proposals")
        page.locator("main table a").first.click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == code
        nav = page.locator("header nav").inner_text()
        assert "Proposals" not in nav and "Decision log" not in nav
        audit(page)
    finally:
        switch_to(page, "English")  # the account keeps the choice: set back for the others


def test_a_translated_proposal_reads_in_arabic_with_the_way_to_the_original(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, representative("lantern"))
    switch_to(page, "العربية")
    try:
        page.goto("/proposals")
        page.get_by_role("link", name="إرشادات البيانات المشتركة العاجلة").click()
        page.wait_for_load_state()
        heading = page.locator("main h1")
        assert (heading.inner_text(), heading.get_attribute("lang")) == (
            "إرشادات البيانات المشتركة العاجلة",
            "ar",
        )
        note = page.locator("#translation-note")
        assert "الإنجليزية" in note.inner_text()  # the authoritative language, named
        audit(page)
        note.get_by_role("link").click()
        page.wait_for_load_state()
        assert page.locator("main h1").inner_text() == "Guidelines for urgent joint statements"
        assert page.locator(".proposal-text").get_attribute("lang") == "en"
        audit(page)
    finally:
        switch_to(page, "English")


def test_the_secretariat_translates_a_draft_beside_its_text(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, SECRETARIAT)
    page.goto("/proposals?status=draft")
    page.locator("main table a").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add a translation into Indonesian").click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text() == "Translation into Indonesian"
    audit(page)
    page.get_by_role("textbox", name="Title", exact=True).fill(
        "Kelompok kerja tentang pengungsian dan bencana"
    )
    page.get_by_role("textbox", name="Text", exact=True).fill(
        "Sebuah kelompok kerja mitra sukarela mempelajari risiko."
    )
    page.get_by_role("button", name="Save the translation").click()
    page.wait_for_load_state()
    assert "The translation is saved." in page.locator(".flash").inner_text()
    assert page.get_by_role("link", name="Edit the translation into Indonesian").is_visible()
    audit(page)
