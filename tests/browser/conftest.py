"""The browser suite: a real Accord server on a free port, driven by Debian's Chromium
through Playwright, every page checked with axe-core.

One server and one browser serve the whole session (starting them is the slow part);
each test gets a fresh browser context, so cookies never leak from one test to the next.
The server holds the demo partnership in a database of its own (SQLite, or PostgreSQL
when ACCORD_TEST_DATABASE_URL names one), so the other suites' per-test wipes never
reach it. Tests share that data: each makes the proposals it changes, and none expects
the demo exactly as it was filled.

Chromium comes from Debian's ``chromium`` package (`.ci/run` installs it), never from
``playwright install``. Without it the suite skips, saying why, unless
ACCORD_BROWSER_REQUIRED is set (CI sets it): then it fails.
"""

import email
import email.policy
import json
import logging
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, got_request_exception
from werkzeug.serving import BaseWSGIServer, make_server

from app import create_app
from app.cli import init_database
from app.demo import fill
from decisions.db import db
from notifications import scheduler
from tests.conftest import fresh_database

HERE = Path(__file__).parent
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
#: the WCAG 2.2 A and AA rules (axe tags rules by the version that introduced them)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 812}
#: the flags this machine's closed network needs (Chromium's own connections are refused)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SECRETARIAT = ("secretariat@coral-sea.example", "demo-secretariat")
OBSERVER = ("observer@coral-sea.example", "demo-observer")
PARTNER_PASSWORD = "demo-partner"


def representative(login: str) -> tuple[str, str]:
    """A demo representative's sign-in: ``representative("kestrel")``."""
    return (f"{login}@coral-sea.example", PARTNER_PASSWORD)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    """The running server, and what a test may ask of it besides its pages."""

    url: str
    app: Flask
    mail_dir: Path
    #: server errors (a 500) seen while the current test ran
    errors: list[str] = field(default_factory=list)

    @contextmanager
    def session(self) -> Iterator[Any]:
        """The server's database, to set up a case or to check what a page did."""
        with self.app.app_context():
            try:
                yield db.session
            finally:
                db.session.remove()

    def deliver(self) -> None:
        """Send the outbox now, as `accord tick` would: e-mails land in ``mail_dir``."""
        with self.session() as session:
            scheduler.run_due(session)

    def mails_to(self, address: str) -> list[EmailMessage]:
        """Every e-mail delivered so far to ``address``, oldest first."""
        self.deliver()
        found = []
        for path in sorted(self.mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
            with path.open("rb") as handle:
                message = email.message_from_binary_file(handle, policy=email.policy.default)
            if address.lower() in str(message["To"]).lower():
                found.append(message)
        return found  # type: ignore[return-value]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    mail_dir = tmp_path_factory.mktemp("browser-mail")
    with fresh_database(tmp_path_factory) as database_url:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "ACCORD_SCHEDULER": "off",
                "SECRET_KEY": "browser suite",
                "ACCORD_BASE_URL": url,
                "ACCORD_MAIL_DIR": str(mail_dir),
                "ACCORD_LETTERS_DIR": str(tmp_path_factory.mktemp("browser-letters")),
                "ACCORD_APPLY_RATE": "10000 per second",
            }
        )
        with app.app_context():
            init_database()
            fill(db.session)
            db.session.remove()
        live = LiveServer(url=url, app=app, mail_dir=mail_dir)

        def record(sender: Flask, exception: BaseException, **extra: Any) -> None:
            live.errors.append(f"{type(exception).__name__}: {exception}")

        got_request_exception.connect(record, app)
        # One line per request from the server thread would bury a failure's own output.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        httpd: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield live
        finally:
            httpd.shutdown()
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        message = (
            "Chromium is not installed: `apt-get install chromium` (Debian's package) "
            "lets the browser suite run"
        )
        if os.environ.get("ACCORD_BROWSER_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visits:
    """The documents the browser loaded during a test, with their content type."""

    seen: list[tuple[str, int, str]] = field(default_factory=list)
    #: paths (prefixes) that are downloads, not pages: a letter, a calendar feed
    downloads: tuple[str, ...] = ()


@pytest.fixture
def visits() -> Visits:
    return Visits()


@pytest.fixture
def page(chromium: Any, server: LiveServer, visits: Visits) -> Iterator[Any]:
    """A new browser tab with no cookies, 1280 px wide, on the live server. Every page
    it loads must come as HTML, and the server must answer no request with an error."""
    context = chromium.new_context(base_url=server.url, viewport=WIDE, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)

    def on_response(response: Any) -> None:
        if response.request.resource_type == "document" and response.frame == tab.main_frame:
            kind = response.headers.get("content-type", "")
            visits.seen.append((response.url, response.status, kind))

    refused: list[str] = []

    def on_console(message: Any) -> None:
        # The Content-Security-Policy allows no inline script or style: a page that has
        # one is broken for its readers, and says so only in the console.
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(f"{tab.url}: {message.text}")

    tab.on("response", on_response)
    tab.on("console", on_console)
    server.errors.clear()
    try:
        yield tab
    finally:
        context.close()
    assert not server.errors, server.errors
    assert not refused, refused
    for url, status, kind in visits.seen:
        path = url.removeprefix(server.url)
        if status in (301, 302, 303, 307, 308) or path.startswith(visits.downloads):
            continue
        assert kind.startswith("text/html"), f"{url} came as {kind!r}, not as a page"


def sign_in(page: Any, who: tuple[str, str]) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(who[0])
    page.get_by_label("Password").fill(who[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"signing in as {who[0]} failed"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate, not a <script> tag: the page's Content-Security-Policy allows no
        # inline script, and the DevTools protocol is not bound by it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [node["target"] for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return "\n".join(lines)


#: the labels of a table shown as cards (class "stack", below 40rem) taller than their cell:
#: a label is drawn by ::before, which has no box to measure, so a hidden copy of it with
#: its style is measured instead
SPILLED_LABELS = """() => {
  const spilled = [];
  for (const cell of document.querySelectorAll("table.stack td[data-label]")) {
    if (!cell.getClientRects().length) continue;
    const label = getComputedStyle(cell, "::before");
    if (label.content === "none") continue;
    const copy = document.createElement("div");
    for (const name of ["font", "width", "overflowWrap", "lineHeight", "letterSpacing"]) {
      copy.style[name] = label[name];
    }
    Object.assign(copy.style, {position: "absolute", visibility: "hidden"});
    copy.textContent = cell.dataset.label;
    document.body.append(copy);
    const needed = copy.getBoundingClientRect().height + parseFloat(label.marginTop || "0");
    copy.remove();
    if (needed > cell.getBoundingClientRect().height + 1) spilled.push(cell.dataset.label);
  }
  return spilled;
}"""


#: every page checked in this run: its path, and axe's violations at each width
AUDITED: dict[str, dict[str, int]] = {}


def audit(page: Any) -> None:
    """The page as it is now: 0 axe violations at 1280 px and at 375 px, and at 375 px
    nothing wider than the screen (no sideways scrolling)."""
    path = page.url.split("://", 1)[1].partition("/")[2]
    key = "/" + path.split("?")[0]
    original = page.viewport_size
    found: dict[str, int] = {}
    try:
        for name, size in (("1280", WIDE), ("375", NARROW)):
            page.set_viewport_size(size)
            violations = axe_violations(page)
            found[name] = len(violations)
            assert not violations, f"axe at {name} px on {page.url}:\n{_describe(violations)}"
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at 375 px"
        spilled = page.evaluate(SPILLED_LABELS)
        assert not spilled, f"{page.url}: labels run out of their cards at 375 px: {spilled}"
    finally:
        page.set_viewport_size(original)
    AUDITED[key] = found


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the pages audited and axe's figures, for the README and the closing note."""
    if AUDITED:
        report = Path(session.config.rootpath) / ".pytest_cache" / "browser-audit.json"
        report.parent.mkdir(exist_ok=True)
        report.write_text(json.dumps(AUDITED, indent=1, sort_keys=True))
