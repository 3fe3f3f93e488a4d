"""The page for a database out of reach, in Chromium: served by an Accord whose database
cannot be opened, it comes as HTML with its stylesheet, in the browser's language, with
no script or style the Content-Security-Policy refuses, and passes axe at both widths."""

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from app import create_app
from decisions.db import db
from tests.browser.conftest import WIDE, _free_port, audit


@pytest.fixture(scope="module")
def unreachable_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    missing = tmp_path_factory.mktemp("unreachable") / "no-such-folder" / "accord.sqlite3"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}",
            "ACCORD_SCHEDULER": "off",
            "SECRET_KEY": "browser suite, database out of reach",
        }
    )
    port = _free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(
    ("locale", "title", "direction"),
    [("fr-FR", "Indisponible pour un instant", "ltr"), ("ar", "غير متاح للحظات", "rtl")],
)
def test_the_page_for_a_database_out_of_reach(
    chromium: Any, unreachable_server: str, locale: str, title: str, direction: str
) -> None:
    context = chromium.new_context(base_url=unreachable_server, viewport=WIDE, locale=locale)
    tab = context.new_page()
    refused: list[str] = []
    tab.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        answer = tab.goto("/decisions")
        assert answer.status == 503
        assert answer.headers["content-type"].startswith("text/html")
        assert answer.headers["retry-after"] == "5"
        assert tab.get_by_role("heading", level=1).inner_text() == title
        assert tab.evaluate("() => document.documentElement.dir") == direction
        # the stylesheet came and applies: the header is laid out as on every page
        rules = tab.evaluate("() => [...document.styleSheets].map(s => s.cssRules.length)")
        assert rules and all(count > 0 for count in rules), rules
        audit(tab)
    finally:
        context.close()
    assert not refused, refused
