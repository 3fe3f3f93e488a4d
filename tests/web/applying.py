"""Filling in the public application form as an applicant would, for the membership tests."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from app import create_app
from decisions.application_models import Application
from decisions.db import db
from tests.conftest import WebClient

#: a real, small PDF: its header first, its end-of-file marker last
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def apply_data(**changes: Any) -> dict[str, Any]:
    """A complete, eligible application for a member (which needs a letter)."""
    data: dict[str, Any] = {
        "organisation_name": "Mekong Early Warning Network",
        "mandate": "Monitors risk factors for mass atrocities along the Mekong.",
        "headquarters_country": "KH",
        "operating_countries": ["KH", "LA", "TH"],
        "legally_registered": "yes",
        "government_controlled": "no",
        "agrees_with_principles": "yes",
        "category": "member",
        "contact_name": "Sokha Chan",
        "contact_email": "sokha@mekong-warning.example",
        "letter_of_intent": (io.BytesIO(PDF), "letter.pdf"),
    }
    data.update(changes)
    return data


def send(web: WebClient, **changes: Any) -> Any:
    """Open /apply and send the form, with ``changes`` to the complete application."""
    token = web.page("/apply").find("input", attrs={"name": "csrf_token"})["value"]
    return post_form(web, "/apply", {"csrf_token": token, **apply_data(**changes)})


def post_form(web: WebClient, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """Post ``data`` as multipart/form-data built in memory: the test client would spool a
    large upload to a temporary file that it never closes when the app refuses it (413)."""
    fields = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                fields.add(key, FileStorage(*item) if isinstance(item, tuple) else item)
    body, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return web.client.post(
        url,
        input_stream=body,
        content_length=length,
        content_type=f'multipart/form-data; boundary="{boundary}"',
        **kwargs,
    )


def stored(session: Any) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Application)) or 0


def letters_in(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def fresh_applying(app: Flask, folder: Path) -> Iterator[Path]:
    """Letters go to a folder of the test's own (the rate limit's attempts are rows of
    the database, wiped for each test)."""
    previous = app.config.get("ACCORD_LETTERS_DIR")
    app.config["ACCORD_LETTERS_DIR"] = str(folder)
    yield folder
    app.config["ACCORD_LETTERS_DIR"] = previous


@contextmanager
def apply_rate(app: Flask, rate: str) -> Iterator[None]:
    """The public application's rate limit set to ``rate`` for a while."""
    previous = app.config["ACCORD_APPLY_RATE"]
    app.config["ACCORD_APPLY_RATE"] = rate
    try:
        yield
    finally:
        app.config["ACCORD_APPLY_RATE"] = previous


@contextmanager
def another_app(app: Flask, **settings: Any) -> Iterator[Flask]:
    """A second app on the same database and secret, as another worker process (or the
    same one after a restart) would be; its connections are closed afterwards."""
    same = {key: app.config[key] for key in ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    second = create_app(same | {"ACCORD_LETTERS_DIR": app.config["ACCORD_LETTERS_DIR"]} | settings)
    try:
        yield second
    finally:
        with second.app_context():
            db.session.remove()
            db.engine.dispose()
