"""Delivery: a real SMTP server, .eml files without one, retries while the server is
down, permanent refusals shown to the Secretariat, and what each message contains."""

from datetime import timedelta

import time_machine
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from decisions.db import db
from notifications.models import Delivery, Kind, OutboxMessage
from tests.conftest import T0
from tests.notifications.conftest import eml_files, outbox_of, person, tick

DEADLINE = T0 + timedelta(days=7)  # Monday 9 March 2026, 09:00 UTC


def at(moment):  # type: ignore[no-untyped-def]
    return time_machine.travel(moment, tick=False)


def open_for(make, session, zone=None, n=1):  # type: ignore[no-untyped-def]
    """A round opened at T0 on one partner with ``n`` representatives."""
    partner = make.partner()
    reps = [person(session, "partner", partner, time_zone=zone) for _ in range(n)]
    sec = person(session, "secretariat")
    with at(T0):
        round_ = make.open_round(make.proposal(sec), sec)
    return round_, reps, sec


def all_messages() -> list[OutboxMessage]:
    rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    db.session.rollback()
    return rows


def test_without_smtp_host_messages_are_eml_files(make, session, mail_dir):  # type: ignore[no-untyped-def]
    round_, (rep,), _sec = open_for(make, session, zone="Asia/Singapore")
    with at(T0 + timedelta(seconds=5)):
        done = tick()
    assert done.sent.sent == 1
    (message,) = eml_files(mail_dir)
    (row,) = outbox_of(rep)
    assert row.status == Delivery.SENT and row.sent_at == T0 + timedelta(seconds=5)
    assert message["Message-ID"] == row.message_id
    assert message["To"].addresses[0].addr_spec == rep.email
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    when = "Monday 9 March 2026, 17:00 (Asia/Singapore, UTC+08:00)"  # the recipient's clock
    link = f"http://127.0.0.1:5000/proposals/{round_.proposal_id}#own-position"
    assert when in text and link in text
    assert when in html and f'href="{link}"' in html
    with at(T0 + timedelta(minutes=5)):
        assert tick().sent.sent == 0  # written once
    assert len(eml_files(mail_dir)) == 1


def test_the_deadline_is_shown_on_each_recipients_clock(make, session, mail_dir):  # type: ignore[no-untyped-def]
    partner = make.partner()
    lima = person(session, "partner", partner, time_zone="America/Lima")
    plain = person(session, "partner", partner)  # no zone of their own: the partnership's
    sec = person(session, "secretariat")
    with at(T0):
        make.open_round(make.proposal(sec), sec)
    (to_lima,) = outbox_of(lima)
    (to_plain,) = outbox_of(plain)
    assert "Monday 9 March 2026, 04:00 (America/Lima, UTC-05:00)" in to_lima.text_body
    assert "Monday 9 March 2026, 09:00 (UTC, UTC+00:00)" in to_plain.text_body


def test_smtp_delivery_to_a_real_server(make, session, smtp):  # type: ignore[no-untyped-def]
    _round, reps, _sec = open_for(make, session, n=2)
    with at(T0 + timedelta(seconds=5)):
        assert tick().sent.sent == 2
        assert tick().sent.sent == 0
    assert len(smtp.received) == 2
    for rep in reps:
        (received,) = smtp.to(rep.email)
        (row,) = outbox_of(rep)
        assert received["Message-ID"] == row.message_id
        assert received["From"].addresses[0].addr_spec == "accord@coral-sea.example"
        assert received.get_body(("html",)) is not None
    assert {envelope[1][0] for envelope in smtp.handler.envelopes} == {r.email for r in reps}


def test_each_recipient_receives_the_shared_body_with_their_own_names(make, session, smtp):  # type: ignore[no-untyped-def]
    """Two representatives of one partner read one stored body; each e-mail that reaches
    the server carries its recipient's names, plain in the text, escaped in the HTML."""
    partner = make.partner('Reef "&" <Sons>')
    names = ["Zoë O'Hara <b>", 'Jo "J" & Co']
    reps = [person(session, "partner", partner, name=name) for name in names]
    sec = person(session, "secretariat")
    with at(T0):
        make.open_round(make.proposal(sec), sec)
    assert len({row.body_id for row in all_messages()}) == 1
    with at(T0 + timedelta(seconds=5)):
        assert tick().sent.sent == 2
    received = {to: m for m, (_, [to]) in zip(smtp.received, smtp.handler.envelopes, strict=True)}
    for rep, name in zip(reps, names, strict=True):
        # the To header names the recipient as the envelope does, the name whole
        [address] = received[rep.email]["To"].addresses
        assert (address.display_name, address.addr_spec) == (name, rep.email)
    escaped_names = ["Zoë O&#39;Hara &lt;b&gt;", "Jo &#34;J&#34; &amp; Co"]
    for rep, name, escaped in zip(reps, names, escaped_names, strict=True):
        text = received[rep.email].get_body(("plain",)).get_content()
        html = received[rep.email].get_body(("html",)).get_content()
        assert f"{name}," in text and 'Reef "&" <Sons>' in text
        assert escaped in html and "Reef &#34;&amp;&#34; &lt;Sons&gt;" in html
        assert "accordname" not in text + html and "accordpartner" not in text + html
        other = names[1 - names.index(name)]
        assert other not in text


def test_smtp_down_then_up_delivers_each_message_once(make, session, smtp_down):  # type: ignore[no-untyped-def]
    _round, reps, _sec = open_for(make, session, n=3)
    ids_before = {row.id: row.message_id for row in all_messages()}
    with at(T0 + timedelta(seconds=5)):
        done = tick()  # nothing listens on the port
    assert (done.sent.sent, done.sent.retrying) == (0, 3)
    assert "unreachable" in done.sent.errors[0]
    rows = all_messages()
    assert {(r.status, r.attempts) for r in rows} == {(Delivery.PENDING, 1)}
    with at(T0 + timedelta(seconds=30)):
        assert tick().sent.retrying == 0  # backing off: not tried again yet
    smtp_down.start()
    with at(T0 + timedelta(minutes=2)):
        assert tick().sent.sent == 3
        assert tick().sent.sent == 0
    assert len(smtp_down.received) == 3
    assert {r.id: r.message_id for r in all_messages()} == ids_before  # the same Message-IDs
    assert {m["Message-ID"] for m in smtp_down.received} == set(ids_before.values())
    assert {r.status for r in all_messages()} == {Delivery.SENT}


def test_a_refused_address_is_failed_and_shown_on_the_outbox_page(make, session, smtp, login):  # type: ignore[no-untyped-def]
    partner = make.partner()
    gone = person(session, "partner", partner, email="gone@notify.example")
    later = person(session, "partner", partner, email="later@notify.example")
    fine = person(session, "partner", partner, email="fine@notify.example")
    sec = make.secretariat()
    smtp.handler.refuse = {
        "gone@notify.example": "550 5.1.1 No such mailbox",
        "later@notify.example": "451 4.3.0 Try again later",
    }
    with at(T0):
        make.open_round(make.proposal(sec), sec)
    with at(T0 + timedelta(seconds=5)):
        done = tick()
    assert (done.sent.sent, done.sent.retrying, done.sent.failed) == (1, 1, 1)
    assert [m.status for m in outbox_of(gone)] == [Delivery.FAILED]
    assert [m.status for m in outbox_of(later)] == [Delivery.PENDING]
    assert len(smtp.to(fine.email)) == 1

    client = login(sec)
    page = client.page("/outbox")
    failed = page.select_one("#failed").find_parent("section")
    assert "gone@notify.example" in failed.get_text() and "550" in failed.get_text()
    retrying = page.select_one("#retrying").find_parent("section")
    assert "later@notify.example" in retrying.get_text() and "451" in retrying.get_text()

    smtp.handler.refuse = {}  # the address was corrected at the other end
    (row,) = outbox_of(gone)
    response = client.submit(f"/outbox/{row.id}/retry", {}, form_url="/outbox")
    assert response.status_code == 302
    assert tick().sent.sent == 2  # now (the real clock): both are due again
    assert len(smtp.to("gone@notify.example")) == 1 and len(smtp.to("later@notify.example")) == 1
    assert "No such mailbox" not in client.page("/outbox").get_text()


def test_only_the_secretariat_sees_the_outbox(make, login):  # type: ignore[no-untyped-def]
    rep = make.representative(make.partner())
    assert login(rep).get("/outbox").status_code == 403


def test_tick_says_what_it_did(make, session, mail_dir, ctx):  # type: ignore[no-untyped-def]
    open_for(make, session, n=2)
    with at(T0 + timedelta(seconds=5)):
        result = ctx.test_cli_runner().invoke(args=["accord", "tick"])
    assert result.exit_code == 0, result.output
    assert "Closed 0 round(s)" in result.output
    assert "E-mail: 2 sent, 0 to retry later, 0 refused." in result.output
    assert Kind.ROUND_OPENED in {m.kind for m in all_messages()}


def test_a_wrong_mail_setting_never_stops_a_decision(make, session, smtp, monkeypatch, ctx):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ctx.config, "ACCORD_SMTP_SECURITY", "tls-please")
    _round, (rep,), _sec = open_for(make, session)  # the round opens all the same
    with at(T0 + timedelta(seconds=5)):
        done = tick()
    assert (done.sent.sent, done.sent.retrying) == (0, 1)
    assert "ACCORD_SMTP_SECURITY" in done.sent.errors[0]
    assert smtp.received == [] and outbox_of(rep)[0].status == Delivery.PENDING


def test_smtp_login_when_a_user_is_set(make, session, smtp_down, monkeypatch, ctx):  # type: ignore[no-untyped-def]
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    smtp_down.options = {"authenticator": authenticate, "auth_require_tls": False}
    smtp_down.start()
    monkeypatch.setitem(ctx.config, "ACCORD_SMTP_USER", "accord")
    monkeypatch.setitem(ctx.config, "ACCORD_SMTP_PASSWORD", "wrong")
    _round, (rep,), _sec = open_for(make, session)
    with at(T0 + timedelta(seconds=5)):
        assert tick().sent.retrying == 1  # refused login: kept for later, not lost
    monkeypatch.setitem(ctx.config, "ACCORD_SMTP_PASSWORD", "s3cret")
    with at(T0 + timedelta(minutes=2)):
        assert tick().sent.sent == 1
    assert logins == [(b"accord", b"wrong"), (b"accord", b"s3cret")]
    assert len(smtp_down.to(rep.email)) == 1


def _smuggle_into_subject(row_id: int) -> None:
    """A line break in a header, as a stored title or name could hold one before the
    input was checked: the message can never be built."""
    row = db.session.get_one(OutboxMessage, row_id)
    row.subject = "Round opened\r\nBcc: victim@example.org"
    db.session.commit()


def test_a_message_that_cannot_be_built_fails_alone(make, session, smtp):  # type: ignore[no-untyped-def]
    _round, reps, _sec = open_for(make, session, n=3)
    rows = all_messages()
    assert len(rows) == 3
    _smuggle_into_subject(rows[1].id)
    with at(T0 + timedelta(seconds=5)):
        done = tick()
    assert (done.sent.sent, done.sent.failed) == (2, 1)
    bad = db.session.get_one(OutboxMessage, rows[1].id)
    assert bad.status == Delivery.FAILED
    assert "cannot be built" in bad.last_error
    db.session.rollback()
    received = smtp.received
    assert sorted(m["To"].addresses[0].addr_spec for m in received) == sorted(
        [reps[0].email, reps[2].email]
    )
    assert all("victim" not in str(m) for m in received)
    with at(T0 + timedelta(hours=2)):  # long after any lease: nothing is sent again
        again = tick()
    assert (again.sent.sent, again.sent.failed) == (0, 0)
    assert len(smtp.received) == 2


def test_a_message_that_cannot_be_built_fails_alone_without_smtp(make, session, mail_dir):  # type: ignore[no-untyped-def]
    _round, reps, _sec = open_for(make, session, n=3)
    rows = all_messages()
    _smuggle_into_subject(rows[0].id)
    with at(T0 + timedelta(seconds=5)):
        done = tick()
    assert (done.sent.sent, done.sent.failed) == (2, 1)
    assert {m["To"].addresses[0].addr_spec for m in eml_files(mail_dir)} == {
        reps[1].email,
        reps[2].email,
    }
    with at(T0 + timedelta(hours=2)):
        assert tick().sent.sent == 0
    assert len(eml_files(mail_dir)) == 2
