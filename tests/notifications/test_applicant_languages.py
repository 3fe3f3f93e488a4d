"""An applicant is written to in the language they applied in (shared API.md, "Languages";
issue 14): the request's, by the language switch's cookie or by Accept-Language, kept on
the application; an application kept before that is written to in the partnership's.
The contact an admission makes a user keeps that language for the invitation and after."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from app.i18n import COOKIE
from decisions import application_review, applications, invitations, rounds, settings
from decisions.application_models import Application
from decisions.db import db
from decisions.errors import InvalidInput
from decisions.models import User
from notifications.models import OutboxMessage
from tests.conftest import T0, WebClient, soup_of
from tests.notifications.conftest import outbox_to
from tests.web.applying import apply_data, fresh_applying, post_form

CONTACT = "sokha@mekong-warning.example"
PARTNERSHIP = "Coral Sea Prevention Partnership"


@pytest.fixture(autouse=True)
def letters(ctx, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    yield from fresh_applying(ctx, tmp_path / "letters")


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(T0, tick=False):
        yield


def apply_on_the_web(web: WebClient, headers: dict[str, str] | None = None) -> Application:
    """The public form, opened and sent as a browser with ``headers`` does."""
    page = soup_of(web.get("/apply", headers=headers or {}))
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = post_form(web, "/apply", {"csrf_token": token, **apply_data()}, headers=headers)
    assert response.status_code == 302, response.get_data(as_text=True)
    return the_application()


def the_application() -> Application:
    db.session.expire_all()
    return db.session.scalars(select(Application)).one()


def mail_to_applicant() -> list[OutboxMessage]:
    return outbox_to(CONTACT)


def test_a_french_browser_applies_and_hears_every_step_in_french(make, session, web):  # type: ignore[no-untyped-def]
    application = apply_on_the_web(web, {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert application.language == "fr"
    sec = make.secretariat()
    application_review.recommend(session, sec, application.id, True, "Active along the Mekong.")
    application_review.propose(session, sec, application.id)
    received, proposed = mail_to_applicant()
    assert received.subject == f"Nous avons bien reçu votre candidature à {PARTNERSHIP}"
    assert proposed.subject == f"Votre candidature est soumise aux partenaires de {PARTNERSHIP}"
    assert 'lang="fr" dir="ltr"' in proposed.html_body
    assert "Retirer" in received.text_body or "retirer" in received.text_body
    db.session.expire_all()
    assert settings.get_partnership(db.session).language == "en"  # not the partnership's


def test_the_language_switch_cookie_writes_in_arabic_even_to_a_declined_applicant(  # type: ignore[no-untyped-def]
    make, session, web
):
    web.client.set_cookie(COOKIE, "ar")
    # The switch's choice comes before what the browser asks for.
    application = apply_on_the_web(web, {"Accept-Language": "en"})
    assert application.language == "ar"
    application_review.decline(session, make.secretariat(), application.id)
    received, declined = mail_to_applicant()
    assert received.subject == f"تلقّينا طلبكم للانضمام إلى {PARTNERSHIP}"
    assert declined.subject == f"طلبكم للانضمام إلى {PARTNERSHIP}"
    assert 'lang="ar" dir="rtl"' in declined.html_body
    assert "has not been admitted" not in declined.text_body


def test_an_application_sent_through_the_api_keeps_the_requests_language(ctx, session):  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in apply_data(category="supporter").items() if k != "letter_of_intent"}
    body = fields | {"legally_registered": True, "government_controlled": False}
    body |= {"agrees_with_principles": True}
    response = ctx.test_client().post(
        "/api/v1/applications", json=body, headers={"Accept-Language": "es"}
    )
    assert response.status_code == 201, response.get_json()
    assert the_application().language == "es"
    (received,) = mail_to_applicant()
    assert received.subject == f"Hemos recibido su solicitud de adhesión a {PARTNERSHIP}"


def test_an_application_without_a_language_is_written_to_in_the_partnerships(session, tmp_path):  # type: ignore[no-untyped-def]
    settings.update_settings(session, None, language="id")
    fields = {k: v for k, v in apply_data(category="supporter").items() if k != "letter_of_intent"}
    yes_no = {"legally_registered": True, "government_controlled": False}
    data = applications.ApplicationInput(**fields | yes_no | {"agrees_with_principles": True})
    application, _token = applications.submit_application(session, data, None, str(tmp_path))
    assert application.language is None
    (received,) = mail_to_applicant()
    assert received.subject == f"Kami telah menerima permohonan Anda kepada {PARTNERSHIP}"


def test_an_unknown_language_is_refused_by_the_domain(session, tmp_path):  # type: ignore[no-untyped-def]
    fields = {k: v for k, v in apply_data(category="supporter").items() if k != "letter_of_intent"}
    yes_no = {"legally_registered": True, "government_controlled": False}
    data = applications.ApplicationInput(**fields | yes_no | {"agrees_with_principles": True})
    with pytest.raises(InvalidInput) as refused:
        applications.submit_application(session, data, None, str(tmp_path), language="klingon")
    assert refused.value.field == "language"
    assert mail_to_applicant() == []


def test_the_admitted_contact_keeps_the_language_for_the_invitation_and_after(  # type: ignore[no-untyped-def]
    make, session, web
):
    application = apply_on_the_web(web, {"Accept-Language": "fr"})
    sec = make.secretariat()
    admit(make, session, application.id, sec)
    user = db.session.scalars(select(User).where(User.email == CONTACT)).one()
    assert user.locale == "fr"
    welcome = mail_to_applicant()[-1]
    assert welcome.subject == (
        f"Bienvenue au sein de {PARTNERSHIP}\u00a0: choisissez votre mot de passe"
    )
    assert 'lang="fr"' in welcome.html_body
    # A new link, sent by the Secretariat later, speaks it too.
    invitations.invite_again(session, sec, user.id, now=T0 + timedelta(days=15))
    again = mail_to_applicant()[-1]
    assert again.subject == f"Choisissez votre mot de passe pour {PARTNERSHIP} dans Accord"


def admit(make: Any, session: Any, application_id: int, sec: User) -> None:
    """Recommend, propose, and have the one member consent; the round closes adopted."""
    member = make.partner()
    rep = make.representative(member)
    application_review.recommend(session, sec, application_id, True, "Active along the Mekong.")
    proposal = application_review.propose(session, sec, application_id)
    round_ = make.open_round(proposal, sec, quorum=1)
    rounds.register_position(session, rep, round_.id, member.id, "consent", now=T0)
    rounds.close_round(session, sec, round_.id, now=T0 + timedelta(minutes=30))
