"""E-mail over an encrypted connection: STARTTLS and implicit TLS, to a real SMTP server
whose certificate is issued by a test authority the client is told to trust, as it
would trust a public one."""

import ssl
from datetime import timedelta

import pytest
import trustme

from notifications.models import Delivery
from tests.conftest import T0
from tests.notifications.conftest import SmtpServer, outbox_of, person, tick


@pytest.fixture
def authority(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A certificate authority the client trusts, through the standard SSL_CERT_FILE."""
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return ca


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def _opened_round(make, session):  # type: ignore[no-untyped-def]
    partner = make.partner()
    rep = person(session, "partner", partner)
    sec = make.secretariat()
    make.open_round(make.proposal(sec), sec, now=T0 - timedelta(hours=1))
    return rep


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_goes_over_an_encrypted_connection(  # type: ignore[no-untyped-def]
    make, session, smtp_down: SmtpServer, monkeypatch, ctx, authority, security
):
    context = _server_context(authority)
    if security == "starttls":
        smtp_down.options = {"tls_context": context, "require_starttls": True}
    else:
        smtp_down.options = {"ssl_context": context}
    monkeypatch.setitem(ctx.config, "ACCORD_SMTP_SECURITY", security)
    smtp_down.start()
    rep = _opened_round(make, session)
    assert tick().sent.sent >= 1
    assert [m["Subject"] for m in smtp_down.to(rep.email)]


def test_a_certificate_nobody_vouches_for_is_refused_and_kept(  # type: ignore[no-untyped-def]
    make, session, smtp_down: SmtpServer, monkeypatch, ctx, tmp_path
):
    """A server whose certificate the client cannot verify gets nothing: the message
    waits in the outbox (a temporary failure), it is not sent in the clear."""
    stranger = trustme.CA()  # not in SSL_CERT_FILE
    bundle = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    smtp_down.options = {"tls_context": _server_context(stranger), "require_starttls": True}
    monkeypatch.setitem(ctx.config, "ACCORD_SMTP_SECURITY", "starttls")
    smtp_down.start()
    rep = _opened_round(make, session)
    done = tick()
    assert done.sent.sent == 0
    assert smtp_down.received == []
    waiting = outbox_of(rep)
    assert waiting and all(m.status == Delivery.PENDING and m.last_error for m in waiting)
