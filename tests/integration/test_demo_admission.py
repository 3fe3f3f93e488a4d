"""Membership by decision, in the demo and through the pages only: an organisation
applies on the public form, the Secretariat finds the application, recommends it and
proposes it, opens the admission round, the partners consent, the Secretariat closes the
round; the new partner is in the directory and the decision in the log."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.demo import TIME_ZONE, fill
from decisions.application_models import Application, ApplicationStatus
from decisions.log import verify
from decisions.models import Round, User
from notifications.models import Kind, OutboxMessage
from tests.conftest import WebClient, soup_of
from tests.web.applying import fresh_applying, send

ORGANISATION = "Mangrove Mediation Forum"
CONTACT = "lien@mangrove-mediation.example"


@pytest.fixture(autouse=True)
def letters(ctx, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    yield from fresh_applying(ctx, tmp_path / "letters")


def signed_in(ctx, email: str, password: str) -> WebClient:  # type: ignore[no-untyped-def]
    client = WebClient(ctx.test_client())
    response = client.submit("/login", {"email": email, "password": password})
    assert response.status_code == 302, email
    return client


def test_an_organisation_applies_and_is_admitted_in_the_demo(ctx, session, web):  # type: ignore[no-untyped-def]
    logins = fill(session)
    _label, email, password = logins[0]
    assert _label == "Secretariat"
    representatives = [(e, p) for label, e, p in logins if label.startswith("Partner rep")]

    # 1. The organisation applies, without an account.
    applied = send(
        web,
        organisation_name=ORGANISATION,
        headquarters_country="VN",
        operating_countries=["VN", "KH"],  # Cambodia is in the demo's regional focus
        contact_name="Lien Tran",
        contact_email=CONTACT,
    )
    assert applied.status_code == 302
    assert "Application received" in web.page(applied.headers["Location"]).find("h1").get_text()
    application = session.scalars(
        select(Application).where(Application.organisation_name == ORGANISATION)
    ).one()

    # 2. The Secretariat finds it in the queue, eligible, and reads it.
    admin = signed_in(ctx, email, password)
    row = admin.page("/applications").find(id=f"application-{application.id}")
    assert ORGANISATION in row.get_text() and "Eligible" in row.get_text()
    page_url = f"/applications/{application.id}"
    page = admin.page(page_url)
    assert page.select_one(".verify.ok") and CONTACT in page.get_text()

    # 3. It recommends the organisation and proposes its admission: a draft.
    recommended = admin.submit(
        f"{page_url}/recommendation",
        {"recommend": "yes", "text": "Mediates land disputes along the Mekong delta."},
        form_url=page_url,
    )
    assert recommended.status_code == 302
    proposed = admin.submit(f"{page_url}/propose", {}, form_url=page_url)
    assert proposed.status_code == 302
    proposal_url = proposed.headers["Location"]
    draft = admin.page(proposal_url)
    assert "Mediates land disputes" in draft.find("main").get_text()

    # 4. It opens the admission round, a week long, in the partnership's time zone. The
    # demo's admissions last 72 hours at least and need partners who answer: the form
    # offers a quorum of 1.
    proposal_id = int(proposal_url.rsplit("/", 1)[1])
    quorum = draft.find("input", attrs={"name": "quorum"})["value"]
    assert quorum == "1"
    assert "at least 72 hours" in draft.find(id="deadline-hint").get_text()
    deadline = datetime.now(ZoneInfo(TIME_ZONE)) + timedelta(days=7)
    opened = admin.submit(
        f"/proposals/{proposal_id}/rounds",
        {"deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "quorum": quorum},
        proposal_url,
    )
    assert opened.status_code == 302
    round_ = session.scalars(select(Round).where(Round.proposal_id == proposal_id)).one()
    position_url = f"/rounds/{round_.id}/position"

    # 5. Every partner in the electorate consents, each through its own page.
    consented = 0
    for rep_email, rep_password in representatives:
        rep = signed_in(ctx, rep_email, rep_password)
        form = rep.page(proposal_url).find("form", attrs={"action": position_url})
        if form is None:  # the suspended partner is not in the electorate
            continue
        partner_id = form.find("input", attrs={"name": "partner_id"})["value"]
        sent = rep.submit(
            position_url, {"partner_id": partner_id, "stance": "consent"}, proposal_url
        )
        assert sent.status_code == 302, rep_email
        consented += 1
    assert consented >= len(round_.electorate)

    # 6. The Secretariat closes the round before the deadline: nobody is pending.
    closed = admin.submit(f"/rounds/{round_.id}/close", {}, proposal_url)
    assert closed.status_code == 302
    session.expire_all()
    application = session.get_one(Application, application.id)
    assert application.status == ApplicationStatus.ADMITTED
    assert application.partner_id is not None

    # 7. The new partner is in the directory, since the decision that admitted it...
    directory = admin.page("/directory")
    listed = directory.find(id=f"partner-{application.partner_id}")
    assert listed is not None
    cells = listed.get_text(" ", strip=True)
    assert ORGANISATION in cells and "Member" in cells and "Active" in cells
    decision_url = listed.find("a")["href"]

    # 8. ...and the decision heads the log, adopted, with the admission among its effects.
    log = admin.page("/decisions")
    first_row = log.select_one("table.log tbody tr")
    assert first_row.find("a")["href"] == decision_url
    assert "Adopted" in first_row.get_text()
    entry = admin.page(decision_url).find("main").get_text(" ", strip=True)
    assert ORGANISATION in entry and "Adopted" in entry
    assert verify(session).ok

    # The contact person is the new partner's first representative, invited by e-mail.
    user = session.scalars(select(User).where(User.email == CONTACT)).one()
    assert user.partner_id == application.partner_id and user.password_hash == ""
    invitation = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.to_address == CONTACT, OutboxMessage.kind == Kind.INVITATION
        )
    ).one()
    assert "/invitation/" in invitation.text_body
    # A partner reads the decision too, but nothing of the contact person.
    rep = signed_in(ctx, *representatives[0])
    assert CONTACT not in soup_of(rep.get(decision_url)).get_text()
