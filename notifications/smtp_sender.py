"""Talking to the SMTP server: one connection kept for as many messages and batches as a
sender has, opened again when it drops, and each message's answer read as a result."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import parseaddr
from types import TracebackType

from notifications.outgoing import SENT, ClaimedMessage, Result, built
from notifications.settings import SECURITIES, Settings


class SmtpSender:
    """One sender's connection. Opening one per message costs a handshake (and a TLS one)
    each time; one connection carries a whole run instead."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sender = parseaddr(settings.mail_from)[1] or settings.mail_from
        self.connection: smtplib.SMTP | None = None
        self.unreachable = ""

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> bool:
        """Whether there is a connection, opening one if needed; when there cannot be,
        ``unreachable`` says why."""
        if self.connection is None:
            try:
                self.connection = connect(self.settings)
            except (OSError, smtplib.SMTPException) as error:
                self.unreachable = f"SMTP server unreachable: {_said(error)}"
                return False
        return True

    def send(self, batch: Sequence[ClaimedMessage], results: dict[int, Result]) -> bool:
        """Each message's result goes into ``results`` as soon as it is known. False when
        the server cannot be reached: what is left waits for its next turn, and claiming
        more would only make it wait too."""
        for claimed in batch:
            if not self.open():
                failure = Result(ok=False, error=self.unreachable)
                for rest in batch:
                    results.setdefault(rest.id, failure)
                return False
            message = built(self.settings, claimed)
            if isinstance(message, Result):
                results[claimed.id] = message
                continue
            assert self.connection is not None  # opened just above
            results[claimed.id], usable = _send_one(self.connection, self.sender, claimed, message)
            if not usable:
                self.close()
        return True

    def close(self) -> None:
        _drop(self.connection)
        self.connection = None


def _send_one(
    connection: smtplib.SMTP, sender: str, claimed: ClaimedMessage, message: EmailMessage
) -> tuple[Result, bool]:
    """The result of sending one message, and whether the connection is still usable."""
    try:
        connection.send_message(message, from_addr=sender, to_addrs=[claimed.to_address])
    except smtplib.SMTPServerDisconnected as error:
        # Not the message's fault: it waits for a new connection (a later turn).
        return Result(ok=False, error=f"SMTP connection lost: {_said(error)}"), False
    except smtplib.SMTPRecipientsRefused as error:
        code, said = next(iter(error.recipients.values()))
        return _answered(code, said), True
    except smtplib.SMTPResponseException as error:
        broken = isinstance(error, smtplib.SMTPSenderRefused) or error.smtp_code == 421
        return _answered(error.smtp_code, error.smtp_error), not broken
    except OSError as error:  # the connection broke: take a new one for the next
        return Result(ok=False, error=f"SMTP connection lost: {error}"), False
    except (smtplib.SMTPException, ValueError) as error:
        # Refused by the client itself (an address the server cannot take, say):
        # trying again would fail the same way.
        return Result(ok=False, permanent=True, error=_said(error)), True
    return SENT, True


def connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_security not in SECURITIES:
        raise smtplib.SMTPException(
            f"ACCORD_SMTP_SECURITY is {settings.smtp_security!r}: "
            f"one of {', '.join(SECURITIES)} is needed"
        )
    host = settings.smtp_host or "localhost"
    context = ssl.create_default_context()
    connection: smtplib.SMTP
    if settings.smtp_security == "ssl":
        connection = smtplib.SMTP_SSL(
            host, settings.smtp_port, timeout=settings.smtp_timeout, context=context
        )
    else:
        connection = smtplib.SMTP(host, settings.smtp_port, timeout=settings.smtp_timeout)
        if settings.smtp_security == "starttls":
            connection.starttls(context=context)
    try:
        if settings.smtp_user:
            connection.login(settings.smtp_user, settings.smtp_password or "")
    except BaseException:
        _drop(connection)
        raise
    return connection


def _answered(code: int, said: bytes | str) -> Result:
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    return Result(ok=False, permanent=500 <= code < 600, error=f"{code} {text}".strip())


def _said(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _answered(error.smtp_code, error.smtp_error).error
    return str(error) or type(error).__name__


def _drop(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
