"""Membership applications: the applicant (no account) is e-mailed at each step with the
right link, the Secretariat hears of each new application, and an admitted partner's
contact chooses a password through the invitation link."""

import re
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from decisions import (
    application_review,
    applications,
    errors,
    events,
    invitations,
    passwords,
    rounds,
    secret_links,
    users,
)
from decisions.application_models import Application
from decisions.credential_models import Invitation
from decisions.db import db
from decisions.models import User
from notifications import preferences
from notifications.models import InboxEntry, Kind, OutboxMessage
from tests.conftest import PASSWORD, T0, soup_of
from tests.notifications.conftest import (
    SmtpServer,
    configure,
    inbox_of,
    outbox_of,
    outbox_to,
    person,
    tick,
)

BASE = "https://accord.coral-sea.example"
CONTACT = "amina@reef-watch.example"
LETTER = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def at(moment):  # type: ignore[no-untyped-def]
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def base_url(ctx, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    configure(ctx, monkeypatch, ACCORD_BASE_URL=BASE + "/")
    return BASE


def apply(session: Any, tmp_path: Path, category: str = "member", email: str = CONTACT):  # type: ignore[no-untyped-def]
    data = applications.ApplicationInput(
        organisation_name="Reef Watch Collective",
        mandate="Monitoring coral bleaching with fishing communities.",
        headquarters_country="FJ",
        operating_countries=["FJ", "PG"],
        legally_registered=True,
        government_controlled=False,
        agrees_with_principles=True,
        category=category,
        contact_name="Amina Tuilagi",
        contact_email=email,
    )
    letter = LETTER if category == "member" else None
    with at(T0):
        return applications.submit_application(
            session, data, letter, str(tmp_path / "letters"), now=T0
        )


def mail_to(smtp: SmtpServer, address: str = CONTACT) -> list[EmailMessage]:
    """What ``address`` has received once the sender has run (later than any step here)."""
    with at(T0 + timedelta(days=20)):
        tick()
    return smtp.to(address)


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()  # type: ignore[union-attr]


def links_in(message: EmailMessage) -> set[str]:
    return set(re.findall(r"https?://\S+", text_of(message)))


def applicant_rows() -> list[OutboxMessage]:
    return outbox_to(CONTACT)


def admit(make, session, application_id: int, sec: User) -> None:  # type: ignore[no-untyped-def]
    """Recommend, propose, and have the one member consent; the round closes adopted."""
    member = make.partner()
    rep = make.representative(member)
    with at(T0):
        application_review.recommend(session, sec, application_id, True, "Active across Melanesia.")
        proposal = application_review.propose(session, sec, application_id)
        round_ = make.open_round(proposal, sec, quorum=1)
        rounds.register_position(session, rep, round_.id, member.id, "consent", now=T0)
        rounds.close_round(session, sec, round_.id, now=T0 + timedelta(minutes=30))


# The applicant ---------------------------------------------------------------------


def test_the_applicant_gets_the_withdraw_link_once_and_without_an_account(  # type: ignore[no-untyped-def]
    session, smtp, base_url, tmp_path
):
    application, token = apply(session, tmp_path)
    (message,) = mail_to(smtp)
    assert "received your application" in message["Subject"]
    assert message["To"].addresses[0].display_name == "Amina Tuilagi"
    link = f"{BASE}/apply/{application.id}/withdraw/{token}"
    assert links_in(message) == {link}
    assert f'href="{link}"' in html_of(message)
    assert "Reef Watch Collective" in text_of(message)
    (row,) = applicant_rows()
    assert row.user_id is None and row.kind == Kind.APPLICATION_STATUS
    assert db.session.scalars(select(InboxEntry)).all() == []  # no user, so no inbox
    # The same event handled again, and another run of the sender: still one message.
    events.publish(session, events.ApplicationReceived(application.id, token))
    session.commit()
    assert len(mail_to(smtp)) == 1
    assert len(applicant_rows()) == 1


def test_the_applicant_hears_of_the_proposal_and_the_admission_not_of_the_advice(  # type: ignore[no-untyped-def]
    make, session, smtp, base_url, tmp_path
):
    application, _token = apply(session, tmp_path)
    sec = make.secretariat()
    with at(T0):
        application_review.recommend(session, sec, application.id, False, "Unclear mandate.")
        application_review.recommend(session, sec, application.id, True, "On reflection, yes.")
    assert [m["Subject"] for m in mail_to(smtp)] == [
        "We have received your application to Coral Sea Prevention Partnership"
    ]
    with at(T0):
        application_review.propose(session, sec, application.id)
    proposed = mail_to(smtp)[1]
    assert proposed["Subject"] == (
        "Your application is before the partners of Coral Sea Prevention Partnership"
    )
    assert "decide by consensus" in text_of(proposed)
    assert "Unclear mandate" not in text_of(proposed)  # the Secretariat's advice stays inside
    assert links_in(proposed) == set()


def test_a_declined_application_is_told_once(make, session, smtp, base_url, tmp_path):  # type: ignore[no-untyped-def]
    application, _token = apply(session, tmp_path, category="supporter")
    sec = make.secretariat()
    with at(T0):
        application_review.decline(session, sec, application.id)
    received, declined = mail_to(smtp)
    assert "has not been admitted" in text_of(declined)
    assert declined["Subject"] == "Your application to Coral Sea Prevention Partnership"
    events.publish(session, events.ApplicationStatusChanged(application.id, "declined"))
    session.commit()
    assert len(mail_to(smtp)) == 2


def test_a_blocked_admission_round_declines_and_tells_the_applicant(  # type: ignore[no-untyped-def]
    make, session, smtp, base_url, tmp_path
):
    application, _token = apply(session, tmp_path)
    sec = make.secretariat()
    member = make.partner()
    rep = make.representative(member)
    with at(T0):
        application_review.recommend(session, sec, application.id, True, "Yes.")
        proposal = application_review.propose(session, sec, application.id)
        round_ = make.open_round(proposal, sec, quorum=1)
        rounds.register_position(
            session, rep, round_.id, member.id, "object", "Outside our region.", now=T0
        )
        rounds.close_round(session, sec, round_.id, now=T0 + timedelta(minutes=30))
    subjects = [m["Subject"] for m in mail_to(smtp)]
    assert subjects[1:] == [
        "Your application is before the partners of Coral Sea Prevention Partnership",
        "Your application to Coral Sea Prevention Partnership",
    ]
    assert "Outside our region" not in text_of(smtp.to(CONTACT)[-1])


def test_the_link_in_the_first_e_mail_withdraws_and_the_withdrawal_is_confirmed(  # type: ignore[no-untyped-def]
    session, smtp, base_url, tmp_path, web
):
    application, _token = apply(session, tmp_path, category="supporter")
    (received,) = mail_to(smtp)
    (link,) = links_in(received)
    path = link.removeprefix(BASE)
    with at(T0 + timedelta(hours=2)):
        assert web.submit(path, {}).status_code == 200
    received_again, withdrawn = mail_to(smtp)
    assert withdrawn["Subject"] == (
        "Your application to Coral Sea Prevention Partnership is withdrawn"
    )
    assert "as you asked" in text_of(withdrawn)
    assert links_in(withdrawn) == set()
    assert db.session.get_one(Application, application.id).status == "withdrawn"


# The Secretariat ---------------------------------------------------------------------


def test_the_secretariat_hears_of_a_new_application_as_each_prefers(  # type: ignore[no-untyped-def]
    make, session, smtp, base_url, tmp_path
):
    by_mail = person(session, "secretariat")
    inbox_only = person(session, "secretariat")
    preferences.set_email_events(session, inbox_only, "none")
    session.commit()
    partner = make.partner()
    rep = person(session, "partner", partner)
    observer = person(session, "observer")
    application, _token = apply(session, tmp_path)
    for member in (by_mail, inbox_only):
        (notice,) = inbox_of(member, Kind.APPLICATION_RECEIVED)
        assert notice.subject == "Application for membership: Reef Watch Collective"
        assert notice.link == f"{BASE}/applications/{application.id}"
    (message,) = mail_to(smtp, by_mail.email)
    assert f"{BASE}/applications/{application.id}" in links_in(message)
    assert "Fiji (FJ)" in text_of(message)
    assert "Member" in text_of(message)
    assert outbox_of(inbox_only) == [] and smtp.to(inbox_only.email) == []
    for nobody in (rep, observer):
        assert inbox_of(nobody) == [] and outbox_of(nobody) == []


# Admission and the invitation ----------------------------------------------------------


def invitation_link(message: EmailMessage) -> str:
    (link,) = [link for link in links_in(message) if "/invitation/" in link]
    return link.removeprefix(BASE)


def test_admission_invites_the_contact_who_sets_a_password_and_is_signed_in(  # type: ignore[no-untyped-def]
    make, session, smtp, base_url, tmp_path, web
):
    application, _token = apply(session, tmp_path)
    sec = make.secretariat()
    admit(make, session, application.id, sec)
    messages = mail_to(smtp)
    assert len(messages) == 3  # received, proposed, and the welcome with the invitation
    welcome = messages[-1]
    assert welcome["Subject"] == (
        "Welcome to Coral Sea Prevention Partnership: choose your password"
    )
    path = invitation_link(welcome)
    assert f'href="{BASE}{path}"' in html_of(welcome)
    assert "16 March 2026" in text_of(welcome)  # valid 14 days from the decision
    user = db.session.scalar(select(User).where(User.email == CONTACT))
    assert user is not None and user.password_hash == "" and user.partner is not None
    assert user.partner.name == "Reef Watch Collective"
    (row,) = outbox_of(user)
    assert row.kind == Kind.INVITATION

    with at(T0 + timedelta(days=1)):
        page = web.page(path)
        assert CONTACT in page.get_text() and "Reef Watch Collective" in page.get_text()
        differ = web.submit(path, {"password": "a long password", "confirm": "another one"})
        assert differ.status_code == 422
        assert "The two passwords differ." in soup_of(differ).get_text()
        db.session.expire_all()
        assert db.session.get_one(User, user.id).password_hash == ""
        short = web.submit(path, {"password": "short", "confirm": "short"})
        assert short.status_code == 422

        done = web.submit(path, {"password": PASSWORD, "confirm": PASSWORD})
        assert done.status_code == 302
        home = web.get("/")
        assert home.status_code == 200  # signed in
        assert "Your password is set" in home.get_data(as_text=True)

        again = web.get(path)
        assert again.status_code == 404
        assert "This link does not work" in soup_of(again).get_text()
    db.session.expire_all()
    assert passwords.authenticate(db.session, CONTACT, PASSWORD) is not None
    assert len(mail_to(smtp)) == 3  # nothing more was sent


def test_a_contact_with_an_account_is_told_to_sign_in(  # type: ignore[no-untyped-def]
    make, session, smtp, base_url, tmp_path
):
    make.user("observer", email=CONTACT)
    application, _token = apply(session, tmp_path)
    admit(make, session, application.id, make.secretariat())
    welcome = mail_to(smtp)[-1]
    assert welcome["Subject"] == "Welcome to Coral Sea Prevention Partnership"
    assert links_in(welcome) == {f"{BASE}/login"}
    assert db.session.scalars(select(Invitation)).all() == []


def invited(make, session, when):  # type: ignore[no-untyped-def]
    """A representative without a password and the token of an invitation made ``when``."""
    rep = person(session, "partner", make.partner())
    with at(when):
        token = invitations.invite(session, rep, when)
        session.commit()
    return rep, token


@pytest.mark.parametrize(
    "path",
    ["/invitation/not-a-token", "/invitation/" + "x" * 5000, "/invitation/%00%27"],
)
def test_an_unknown_token_is_a_clear_page(ctx, web, path):  # type: ignore[no-untyped-def]
    response = web.get(path)
    assert response.status_code == 404
    assert "This link does not work" in soup_of(response).get_text()
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.mimetype == "text/html"  # a browser shows the page, not its source


def test_an_expired_invitation_changes_nothing(make, session, web):  # type: ignore[no-untyped-def]
    rep, token = invited(make, session, T0)
    path = f"/invitation/{token}"
    with at(T0 + timedelta(days=14, minutes=-30)):
        form = web.page(path).find("input", attrs={"name": "csrf_token"})
    with at(T0 + timedelta(days=14, minutes=1)):  # the form was left open past the expiry
        assert web.get(path).status_code == 404
        data = {"csrf_token": form["value"], "password": PASSWORD, "confirm": PASSWORD}
        posted = web.client.post(path, data=data)
    assert posted.status_code == 404
    assert "This link does not work" in soup_of(posted).get_text()
    db.session.expire_all()
    assert db.session.get_one(User, rep.id).password_hash == ""
    assert db.session.scalars(select(Invitation.used_at)).all() == [None]


def test_a_used_invitation_does_not_set_a_password_again(make, session, web, login):  # type: ignore[no-untyped-def]
    rep, token = invited(make, session, T0)
    with at(T0 + timedelta(hours=1)):
        secret_links.use(session, Invitation, token, PASSWORD)
        hash_before = db.session.get_one(User, rep.id).password_hash
        stale = web.get(f"/invitation/{token}")
        assert stale.status_code == 404
        assert "Nothing was changed" in soup_of(stale).get_text()
    db.session.expire_all()
    assert db.session.get_one(User, rep.id).password_hash == hash_before
    assert login(rep).get("/").status_code == 200  # the password chosen first still works


def test_the_secretariat_sends_a_new_invitation_once_the_first_expired(  # type: ignore[no-untyped-def]
    make, session, smtp, base_url, tmp_path, web, login
):
    application, _token = apply(session, tmp_path)
    sec = make.secretariat()
    admit(make, session, application.id, sec)
    first = invitation_link(mail_to(smtp)[-1])
    user = db.session.scalar(select(User).where(User.email == CONTACT))
    assert user is not None
    with at(T0 + timedelta(days=15)):
        assert web.get(first).status_code == 404  # expired after 14 days
        admin = login(sec)
        row = admin.page("/users").find(id=f"user-{user.id}")
        assert "not yet chosen" in row.get_text()
        invite = f"/users/{user.id}/invite"
        assert row.find("form", attrs={"action": invite})
        sent = admin.submit(invite, {}, form_url="/users")
        assert sent.status_code == 302
        flashed = admin.page("/users").get_text()
        assert f"A new invitation is on its way to {CONTACT}" in flashed
    messages = mail_to(smtp)
    assert len(messages) == 4  # received, proposed, welcome, and the new invitation
    again = messages[-1]
    assert again["Subject"] == "Choose your password for Coral Sea Prevention Partnership in Accord"
    assert "no longer work" in text_of(again)
    second = invitation_link(again)
    assert second != first
    (_welcome, renewed) = outbox_of(user)
    assert renewed.kind == Kind.INVITATION

    with at(T0 + timedelta(days=16)):
        assert web.submit(second, {"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
        # With the password chosen, the button is gone and a request is refused.
        row = admin.page("/users").find(id=f"user-{user.id}")
        assert not row.find("form", attrs={"action": invite}) and "set" in row.get_text()
        csrf = admin.page("/users").find("input", attrs={"name": "csrf_token"})["value"]
        refused = admin.client.post(invite, data={"csrf_token": csrf})
        assert refused.status_code == 409
        assert "no password yet" in soup_of(refused).get_text()
    assert len(mail_to(smtp)) == 4  # nothing more was sent


def test_an_earlier_link_stops_working_when_a_new_one_is_sent(make, session, smtp, web):  # type: ignore[no-untyped-def]
    rep, token = invited(make, session, T0)
    sec = make.secretariat()
    with at(T0 + timedelta(days=1)):
        invitations.invite_again(session, sec, rep.id)
        assert web.get(f"/invitation/{token}").status_code == 404
    db.session.expire_all()
    used = db.session.scalars(select(Invitation.used_at).order_by(Invitation.id)).all()
    assert used[0] is not None and used[1] is None


def test_only_the_secretariat_invites_and_only_those_without_a_password(  # type: ignore[no-untyped-def]
    make, session, smtp, login
):
    rep, _token = invited(make, session, T0)
    colleague = make.representative(rep.partner)
    partner_client = login(colleague)
    token = partner_client.page("/account").find("input", attrs={"name": "csrf_token"})["value"]
    forbidden = partner_client.client.post(f"/users/{rep.id}/invite", data={"csrf_token": token})
    assert forbidden.status_code == 403
    sec = make.secretariat()
    with pytest.raises(errors.NotInvitable):
        invitations.invite_again(session, sec, colleague.id)  # has a password
    session.rollback()
    users.update_user(session, sec, rep.id, active=False)
    with pytest.raises(errors.NotInvitable):
        invitations.invite_again(session, sec, rep.id)  # suspended
    session.rollback()
    assert len(db.session.scalars(select(Invitation)).all()) == 1
    assert outbox_of(rep) == []


def test_the_outbox_page_shows_an_applicant_address_refused(  # type: ignore[no-untyped-def]
    make, session, smtp, base_url, tmp_path, login
):
    smtp.handler.refuse = {CONTACT: "550 5.1.1 No such mailbox"}
    apply(session, tmp_path, category="supporter")
    sec = make.secretariat()
    mail_to(smtp)
    page = login(sec).page("/outbox")
    failed = page.select_one("#failed").find_parent("section")
    assert CONTACT in failed.get_text()
    assert "applicant, no account" in failed.get_text()
