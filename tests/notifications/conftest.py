"""Fixtures for notifications: a real SMTP server (aiosmtpd) on a free port, a folder
for .eml files, and helpers to read what each user was sent."""

import email
import email.policy
import itertools
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from decisions import users
from decisions.db import db
from decisions.models import Partner, User
from notifications import handlers, scheduler
from notifications.models import InboxEntry, Kind, OutboxMessage


def free_port() -> int:
    # aiosmtpd's Controller(port=0) does not pick a free port: ask the system for one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler:
    """Keeps what it receives; refuses the recipients in ``refuse`` with their answer."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, str] = {}
        #: aiosmtpd's session of each connection that carried a message, once each
        self.sessions: list[Any] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(message)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if not any(known is session for known in self.sessions):
            self.sessions.append(session)
        return "250 Message accepted"


class SmtpServer:
    """A real SMTP server on ``port``, started and stopped by the test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = Handler()
        #: more keyword arguments for aiosmtpd's SMTP server (authentication, …)
        self.options: dict[str, Any] = {}
        self._controller: Controller | None = None

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received

    def start(self) -> "SmtpServer":
        self._controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, **self.options
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"].addresses[0].addr_spec == address]


def configure(app: Any, monkeypatch: pytest.MonkeyPatch, **config: Any) -> None:
    """Set configuration as a deployment does before it starts: the event table is built
    anew from it, as create_app builds it (and both are put back after the test)."""
    for key, value in config.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.extensions, handlers.KEY, app.extensions[handlers.KEY])
    handlers.wire(app)


@pytest.fixture
def mail_dir(ctx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    """No SMTP host: messages become .eml files in this test's own folder."""
    folder = tmp_path / "mail"
    configure(ctx, monkeypatch, ACCORD_SMTP_HOST=None, ACCORD_MAIL_DIR=str(folder))
    return folder


@pytest.fixture
def smtp_down(ctx, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:  # type: ignore[no-untyped-def]
    """Settings pointing at an SMTP server that is not (yet) listening."""
    server = SmtpServer(free_port())
    configure(
        ctx,
        monkeypatch,
        ACCORD_SMTP_HOST="127.0.0.1",
        ACCORD_SMTP_PORT=server.port,
        ACCORD_SMTP_SECURITY="none",
        ACCORD_MAIL_FROM="Accord <accord@coral-sea.example>",
    )
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_down: SmtpServer) -> SmtpServer:
    return smtp_down.start()


_seq = itertools.count(1)


def person(session: Any, role: str = "partner", partner: Partner | None = None, **kw: Any) -> User:
    """A user who never signs in: no password, so no slow password hashing."""
    n = next(_seq)
    return users.create_user(
        session,
        None,
        kw.pop("email", f"{role}-{n}@notify.example"),
        kw.pop("name", f"{role.title()} {n}"),
        role,
        partner.id if partner else None,
        None,
        **kw,
    )


def tick() -> Any:
    """What `accord tick` does; the test's session holds no transaction afterwards."""
    done = scheduler.run_due(db.session())
    db.session.rollback()
    return done


def inbox_of(user: User, kind: Kind | None = None) -> list[InboxEntry]:
    query = select(InboxEntry).where(InboxEntry.user_id == user.id).order_by(InboxEntry.id)
    if kind is not None:
        query = query.where(InboxEntry.kind == kind)
    rows = list(db.session.scalars(query))
    db.session.rollback()
    return rows


def outbox_of(user: User, kind: Kind | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.user_id == user.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    rows = list(db.session.scalars(query.order_by(OutboxMessage.id)))
    db.session.rollback()
    return rows


def outbox_to(address: str) -> list[OutboxMessage]:
    """The messages to ``address`` (someone without an account: an applicant), oldest first."""
    rows = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        )
    )
    db.session.rollback()
    return rows


def recipients_of(kind: Kind) -> set[int]:
    rows = db.session.scalars(select(InboxEntry.user_id).where(InboxEntry.kind == kind))
    found = set(rows)
    db.session.rollback()
    return found


def eml_files(folder: Path) -> list[EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for path in sorted(folder.glob("*.eml"))
    ]
