"""The configuration notifications read (shared API.md, Configuration), as one value,
with the templates that frame their e-mails."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from jinja2 import Environment

SECURITIES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class Settings:
    #: None: no SMTP server, messages are written as .eml files into ``mail_dir``
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_security: str
    mail_from: str
    mail_dir: str
    #: where links in e-mails and feeds point, without a trailing slash
    base_url: str
    #: the language of e-mails (one per deployment until users choose their own)
    locale: str
    #: the app's templates, which frame each e-mail (app/templates/mail/)
    templates: Environment
    smtp_timeout: float = 20.0

    @classmethod
    def of_app(cls, app: Flask | None = None) -> Settings:
        """The settings of ``app`` (by default the current one) as configured now."""
        app = app or current_app._get_current_object()  # type: ignore[attr-defined]
        config, instance_path = app.config, app.instance_path
        # A wrong mail setting must never stop a decision (events are handled inside the
        # services' transactions): it surfaces as a delivery error on the outbox page.
        security = str(config.get("ACCORD_SMTP_SECURITY") or "none").strip().lower()
        port = str(config.get("ACCORD_SMTP_PORT") or "").strip()
        default_port = {"starttls": 587, "ssl": 465}.get(security, 25)
        return cls(
            smtp_host=config.get("ACCORD_SMTP_HOST") or None,
            smtp_port=int(port) if port.isdigit() else default_port,
            smtp_user=config.get("ACCORD_SMTP_USER") or None,
            smtp_password=config.get("ACCORD_SMTP_PASSWORD") or None,
            smtp_security=security,
            mail_from=config.get("ACCORD_MAIL_FROM") or "accord@localhost",
            mail_dir=config.get("ACCORD_MAIL_DIR") or _mail_dir(config, instance_path),
            base_url=str(config.get("ACCORD_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
            locale=config.get("BABEL_DEFAULT_LOCALE") or "en",
            templates=app.jinja_env,
        )

    @property
    def mail_domain(self) -> str:
        """The domain of the sender address: Message-IDs end with it."""
        domain = self.mail_from.rpartition("@")[2].strip(" >")
        return domain or "localhost"

    def link(self, path: str) -> str:
        return self.base_url + path


def _mail_dir(config: Any, instance_path: str) -> str:
    # A test run must not drop .eml files among the ones a developer's server wrote.
    if config.get("TESTING"):
        return os.path.join(tempfile.gettempdir(), "accord-test-mail")
    return os.path.join(instance_path, "mail")
