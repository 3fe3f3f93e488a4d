"""The public application form in Chromium, as an applicant without an account uses it:
the partnership's focus read first, the countries picked from groups by sub-region, a
PDF letter of intent uploaded, the confirmation, and the withdrawal from the link in the
confirmation e-mail; and a refused form that says what to correct and where."""

import re
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from decisions import letters as letters_domain
from decisions.application_models import Application, ApplicationStatus
from tests.browser.conftest import NARROW, WIDE, LiveServer, audit
from tests.web.applying import PDF

WITHDRAW_LINK = re.compile(r"https?://\S+?/apply/\d+/withdraw/[\w.~-]+")


def letter(tmp_path: Path) -> Path:
    """A small, valid PDF on disk, as the applicant's signed letter would be."""
    path = tmp_path / "letter-of-intent.pdf"
    path.write_bytes(PDF)
    return path


def group(page: Any, subregion: str) -> Any:
    """The collapsible group of countries of one sub-region."""
    return page.locator("fieldset.countries details").filter(
        has=page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(subregion)}\b"))
    )


def fill_in(page: Any, name: str, email: str) -> None:
    """Everything but the countries of operation and the letter."""
    page.get_by_label("Name of the organisation").fill(name)
    page.get_by_label("Mandate and principal activities").fill(
        "Listens for early signs of communal violence along the coast and trains mediators."
    )
    page.get_by_label("Country of the headquarters").select_option("FJ")
    for question in ("legally_registered", "agrees_with_principles"):
        page.locator(f"input[name={question}][value=yes]").check()
    page.locator("input[name=government_controlled][value=no]").check()
    page.get_by_label("Category applied for").select_option("member")
    page.get_by_label("Contact person").fill("Litia Vunibola")
    page.get_by_label("Contact e-mail address").fill(email)


def stored_application(server: LiveServer, name: str) -> Application:
    with server.session() as session:
        found = session.scalars(
            select(Application).where(Application.organisation_name == name)
        ).one()
        session.expunge(found)
        return found


def test_apply_with_a_pdf_and_withdraw_from_the_email(page, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name = f"Lau Islands Coastal Watch {uuid.uuid4().hex[:6]}"
    email = f"litia-{uuid.uuid4().hex[:6]}@lau-watch.example"
    page.goto("/apply")
    audit(page)

    # The focus comes first, in words, before any country is picked.
    focus = page.locator("section.focus")
    assert "at least one of your countries of operation must be among them" in focus.inner_text()
    assert "Melanesia: Fiji and Papua New Guinea" in focus.inner_text()
    focus_box = focus.bounding_box()
    countries_box = page.locator("fieldset.countries").bounding_box()
    assert focus_box is not None and countries_box is not None
    assert focus_box["y"] < countries_box["y"]
    # Its sub-regions are open; the others closed until the applicant opens one.
    assert group(page, "Melanesia").get_attribute("open") is not None
    polynesia = group(page, "Polynesia")
    assert polynesia.get_attribute("open") is None
    assert not page.get_by_label("Tonga (TO)").is_visible()
    polynesia.locator("summary").click()
    assert page.get_by_label("Tonga (TO)").is_visible()
    page.set_viewport_size(NARROW)
    audit(page)  # the groups opened, on a phone
    page.set_viewport_size(WIDE)

    fill_in(page, name, email)
    page.get_by_label("Fiji (FJ)").check()
    page.get_by_label("Tonga (TO)").check()
    page.get_by_label("Signed letter of intent (PDF)").set_input_files(letter(tmp_path))
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_url("**/apply/received")
    assert page.get_by_role("heading", level=1).inner_text() == "Application received"
    audit(page)

    application = stored_application(server, name)
    assert application.status == ApplicationStatus.RECEIVED
    assert sorted(application.operating_countries) == ["FJ", "TO"]
    letters = server.app.config["ACCORD_LETTERS_DIR"]
    stored_letter = letters_domain.letter_file(application, letters)
    assert stored_letter is not None and Path(stored_letter).read_bytes() == PDF

    # The confirmation e-mail's link opens a page (not its source) that withdraws.
    mails = server.mails_to(email)
    assert len(mails) == 1
    text = mails[0].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    link = WITHDRAW_LINK.search(text)
    assert link is not None, text
    assert link.group(0).startswith(server.url + f"/apply/{application.id}/withdraw/")
    page.goto(link.group(0))
    assert page.get_by_role("heading", level=1).inner_text() == "Withdraw the application"
    audit(page)
    page.get_by_role("button", name="Withdraw the application").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Application withdrawn"
    audit(page)
    assert stored_application(server, name).status == ApplicationStatus.WITHDRAWN
    # The link has done its work: opened again, it says so and offers no button.
    page.goto(link.group(0))
    assert page.get_by_role("button", name="Withdraw the application").count() == 0
    audit(page)


def test_a_form_without_a_country_says_what_to_correct(page, server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name = f"Nowhere Yet Trust {uuid.uuid4().hex[:6]}"
    page.goto("/apply")
    # The browser checks what it can before anything is sent: here, a required name.
    page.get_by_role("button", name="Send the application").click()
    assert page.url.endswith("/apply")
    assert page.get_by_label("Name of the organisation").evaluate("e => e.validity.valueMissing")
    assert "(required)" in page.locator("label[for=organisation_name]").inner_text()

    # A missing country only the server can tell.
    fill_in(page, name, f"nowhere-{uuid.uuid4().hex[:6]}@example.org")
    page.get_by_label("Signed letter of intent (PDF)").set_input_files(letter(tmp_path))
    page.get_by_role("button", name="Send the application").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "Choose at least one country." in summary.inner_text()
    assert "Choose the letter of intent again" in summary.inner_text()
    countries = page.locator("fieldset.countries")
    error = page.locator("#operating_countries-error")
    assert error.inner_text() == "Choose at least one country."
    assert error.is_visible()
    assert "operating_countries-error" in (countries.get_attribute("aria-describedby") or "")
    # The rest stays as the applicant typed it.
    assert page.get_by_label("Name of the organisation").input_value() == name
    audit(page)
    summary.get_by_role("link", name=re.compile("Choose at least one country")).click()
    assert page.url.endswith("#operating_countries")
    with server.session() as session:
        assert (
            session.scalar(select(Application).where(Application.organisation_name == name)) is None
        )
