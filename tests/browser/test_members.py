"""The Secretariat's irreversible steps in Chromium: declining an application and
suspending a partner each ask once more, on a page of their own, without JavaScript;
cancelling changes nothing, confirming does it."""

import re
import uuid
from typing import Any

from sqlalchemy import select

from decisions import applications, partners
from decisions.application_models import Application, ApplicationStatus
from decisions.models import Partner, PartnerStatus, User
from tests.browser.conftest import SECRETARIAT, LiveServer, audit, sign_in


def secretariat(session: Any) -> User:
    return session.scalars(select(User).where(User.email == SECRETARIAT[0])).one()


def an_application(server: LiveServer) -> tuple[int, str, str]:
    """A fresh application of this test's own, as the form would store it: (id, name,
    contact address). A supporter needs no letter."""
    suffix = uuid.uuid4().hex[:6]
    name, email = f"Vanua Dialogue Forum {suffix}", f"mere-{suffix}@vanua.example"
    data = applications.ApplicationInput(
        organisation_name=name,
        mandate="Brings village leaders together before disputes over land turn violent.",
        headquarters_country="FJ",
        operating_countries=["FJ", "VU"],
        legally_registered=True,
        government_controlled=False,
        agrees_with_principles=True,
        category="supporter",
        contact_name="Mere Tuisawau",
        contact_email=email,
    )
    with server.session() as session:
        application, _token = applications.submit_application(
            session, data, None, server.app.config["ACCORD_LETTERS_DIR"]
        )
        return application.id, name, email


def status_of_application(server: LiveServer, application_id: int) -> ApplicationStatus:
    with server.session() as session:
        return session.get(Application, application_id).status  # type: ignore[union-attr]


def status_of_partner(server: LiveServer, partner_id: int) -> PartnerStatus:
    with server.session() as session:
        return session.get(Partner, partner_id).status  # type: ignore[union-attr]


def heading(page: Any) -> str:
    return str(page.get_by_role("heading", level=1).inner_text())


def test_the_secretariat_declines_an_application_after_confirming(page, server) -> None:  # type: ignore[no-untyped-def]
    application_id, name, email = an_application(server)
    sign_in(page, SECRETARIAT)
    page.goto(f"/applications/{application_id}")
    audit(page)

    # Cancelling the question changes nothing.
    page.get_by_role("link", name="Decline the application…").click()
    assert heading(page) == f"Decline the application of {name}?"
    assert "The applicant will be told by e-mail; this cannot be undone." in page.inner_text("main")
    audit(page)
    page.get_by_role("link", name="Cancel: keep the application").click()
    assert page.url.endswith(f"/applications/{application_id}")
    assert status_of_application(server, application_id) == ApplicationStatus.RECEIVED

    page.get_by_role("link", name="Decline the application…").click()
    page.get_by_role("button", name="Decline the application").click()
    assert page.url.endswith(f"/applications/{application_id}")
    assert "The application is declined" in page.locator(".flash").inner_text()
    assert page.get_by_role("link", name="Decline the application…").count() == 0
    audit(page)
    assert status_of_application(server, application_id) == ApplicationStatus.DECLINED
    told = [m for m in server.mails_to(email) if "not been admitted" in str(m.get_body())]
    assert len(told) == 1

    # The question, opened again (a bookmark, the back button), no longer offers the step.
    page.goto(f"/applications/{application_id}/decline")
    assert page.get_by_role("button", name="Decline the application").count() == 0
    assert "can no longer be declined" in page.inner_text("main")
    audit(page)


def test_the_secretariat_suspends_and_reactivates_a_partner_after_confirming(page, server) -> None:  # type: ignore[no-untyped-def]
    name = f"Tanna Peace Circle {uuid.uuid4().hex[:6]}"
    with server.session() as session:
        partner_id = partners.create_partner(session, secretariat(session), name, "VU").id
    sign_in(page, SECRETARIAT)
    page.goto("/partners")
    audit(page)
    row = page.locator(f"#partner-{partner_id}")

    # Cancelling the question changes nothing.
    row.get_by_role("link", name=f"Suspend {name}").click()
    assert heading(page) == f"Suspend {name}?"
    assert "no voice in the decision rounds" in page.inner_text("main")
    audit(page)
    page.get_by_role("link", name="Cancel").click()
    assert page.url.endswith("/partners")
    assert status_of_partner(server, partner_id) == PartnerStatus.ACTIVE

    row.get_by_role("link", name=f"Suspend {name}").click()
    page.get_by_role("button", name=f"Suspend {name}").click()
    assert page.url.endswith("/partners")
    assert f"{name} is suspended." in page.locator(".flash").inner_text()
    assert "Suspended" in row.inner_text()
    audit(page)
    assert status_of_partner(server, partner_id) == PartnerStatus.SUSPENDED

    # Reactivating asks the same way, from the partner's own page this time.
    row.get_by_role("link", name=re.compile(r"^Edit")).click()
    assert "Suspended" in page.locator("#partner-status-shown").inner_text()
    audit(page)
    page.get_by_role("link", name="Reactivate…").click()
    assert heading(page) == f"Reactivate {name}?"
    audit(page)
    page.get_by_role("button", name=f"Reactivate {name}").click()
    assert f"{name} is active again." in page.locator(".flash").inner_text()
    assert status_of_partner(server, partner_id) == PartnerStatus.ACTIVE
    audit(page)
