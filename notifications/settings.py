"""The configuration notifications read (shared API.md, Configuration), as one value,
with the templates that frame their e-mails."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, current_app
from jinja2 import Environment

SECURITIES = ("none", "starttls", "ssl")

#: the app's URL builder, bound to the base URL: ``url_for("proposals.show", proposal_id=3,
#: _anchor="own-position")`` is an absolute link to that page
UrlBuilder = Callable[..., str]


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
    #: the app's templates, which frame each e-mail (app/templates/mail/)
    templates: Environment
    #: links in notices come from the app's routes, never from paths spelled out here
    url_for: UrlBuilder
    smtp_timeout: float = 20.0
    #: signs the reply addresses (notifications.reply_address): the app's SECRET_KEY
    secret_key: str = ""
    #: the domain of the reply addresses; "" for the domain of ``mail_from``
    reply_domain: str = ""

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
        base_url = str(config.get("ACCORD_BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
        return cls(
            smtp_host=config.get("ACCORD_SMTP_HOST") or None,
            smtp_port=int(port) if port.isdigit() else default_port,
            smtp_user=config.get("ACCORD_SMTP_USER") or None,
            smtp_password=config.get("ACCORD_SMTP_PASSWORD") or None,
            smtp_security=security,
            mail_from=config.get("ACCORD_MAIL_FROM") or "accord@localhost",
            mail_dir=config.get("ACCORD_MAIL_DIR") or _mail_dir(config, instance_path),
            base_url=base_url,
            templates=app.jinja_env,
            url_for=url_builder(app, base_url),
            secret_key=str(config.get("SECRET_KEY") or ""),
            reply_domain=str(config.get("ACCORD_MAIL_REPLY_DOMAIN") or "").strip(),
        )

    @property
    def mail_domain(self) -> str:
        """The domain of the sender address: Message-IDs end with it."""
        domain = self.mail_from.rpartition("@")[2].strip(" >")
        return domain or "localhost"


def url_builder(app: Flask, base_url: str) -> UrlBuilder:
    """Flask's ``url_for`` without a request: the app's routes, bound to ``base_url`` (its
    path, if any, is where the app is mounted), usable inside any transaction."""
    parts = urlsplit(base_url)
    adapter = app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )

    def url_for(endpoint: str, _anchor: str | None = None, **values: Any) -> str:
        url = adapter.build(endpoint, values, force_external=True)
        return f"{url}#{quote(_anchor)}" if _anchor else url

    return url_for


def _mail_dir(config: Any, instance_path: str) -> str:
    # A test run must not drop .eml files among the ones a developer's server wrote.
    if config.get("TESTING"):
        return os.path.join(tempfile.gettempdir(), "accord-test-mail")
    return os.path.join(instance_path, "mail")
