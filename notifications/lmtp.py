"""``accord mail-in --lmtp HOST:PORT``: an LMTP listener (aiosmtpd) for mail servers
without a pipe transport. Each message is dealt with as ``accord mail-in`` deals with one
on standard input (notifications.mail_in), once for each recipient, whose answer is a
250 when it is dealt with, a 451 when the database cannot be reached (the mail server
tries again later)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from flask import Flask

from decisions.db import db
from notifications import mail_in
from notifications.settings import Settings

LATER = "451 4.3.0 The database cannot be reached: try again later"


class MailInHandler:
    def __init__(self, app: Flask) -> None:
        self.app = app

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        raw = envelope.original_content or envelope.content
        statuses = []
        for recipient in envelope.rcpt_tos or [""]:
            # The database's work in a thread: the listener keeps serving other connections.
            statuses.append(await asyncio.to_thread(self.deal_with, raw, recipient))
        # LMTP answers DATA once for each recipient (RFC 2033).
        return "\r\n".join(statuses)

    def deal_with(self, raw: bytes, recipient: str) -> str:
        with self.app.app_context():
            try:
                dealt = mail_in.deal_with(
                    db.session(), Settings.of_app(self.app), raw, (recipient,) if recipient else ()
                )
            except mail_in.UNREACHABLE as error:
                self.app.logger.warning("mail-in: the database cannot be reached: %s", error.orig)
                return LATER
            finally:
                db.session.remove()
        return f"250 2.0.0 {dealt.describe()}"


class LmtpController(Controller):
    """aiosmtpd's threaded controller, speaking LMTP."""

    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def listener(app: Flask, host: str, port: int) -> LmtpController:
    return LmtpController(MailInHandler(app), hostname=host, port=port)


def serve(app: Flask, host: str, port: int, say: Callable[[str], Any]) -> None:
    """Listen until interrupted."""
    controller = listener(app, host, port)
    controller.start()
    say(f"Listening for LMTP on {host}:{port} (Ctrl+C stops it).")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
        say("Stopped.")
