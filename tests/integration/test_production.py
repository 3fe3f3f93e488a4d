"""Serving in production: GET /healthz for the load balancer, gzipped pages and JSON for
clients that ask, the repository's gunicorn.conf.py serving wsgi:app, no scheduler
inside the web processes, and no more connections to PostgreSQL than a process is given."""

import gzip
import json
import os
import runpy
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import exc

from app import create_app
from decisions.db import db
from notifications import wakeup
from tests.conftest import WebClient
from tests.notifications.test_account import calendar_address

ROOT = Path(__file__).resolve().parents[2]


# -- /healthz ------------------------------------------------------------------------


def test_healthz_answers_ok_without_signing_in_and_sets_no_cookie(ctx):  # type: ignore[no-untyped-def]
    client = ctx.test_client()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # security headers too


def test_healthz_is_not_rate_limited(ctx):  # type: ignore[no-untyped-def]
    """A load balancer asks every few seconds from one address, far past every limit."""
    ctx.config["ACCORD_APPLY_RATE"] = "1 per hour"
    try:
        client = ctx.test_client()
        statuses = {client.get("/healthz").status_code for _ in range(12)}
    finally:
        ctx.config["ACCORD_APPLY_RATE"] = "10000 per second"
    assert statuses == {200}


def test_healthz_answers_503_when_the_database_cannot_be_reached(
    own_app: Callable[..., Flask], tmp_path: Path
) -> None:
    # A real failure: SQLite cannot open a database file in a folder that does not exist.
    missing = tmp_path / "no-such-folder" / "accord.sqlite3"
    app = own_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}  # no error, no path, no stack
    assert str(missing) not in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


# -- compression ---------------------------------------------------------------------


def test_a_page_is_gzipped_when_asked_for_and_plain_when_not(web: WebClient) -> None:
    plain = web.get("/login")
    zipped = web.get("/login", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert "<form" in plain.get_data(as_text=True)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    body = zipped.get_data()
    assert len(body) < len(plain.get_data()) and "<form" in gzip.decompress(body).decode()
    # the security headers go with the compressed page
    assert zipped.headers["Content-Security-Policy"] == plain.headers["Content-Security-Policy"]
    assert zipped.headers["X-Frame-Options"] == "DENY"


def test_json_is_gzipped_when_asked_for(web: WebClient) -> None:
    plain = web.get("/api/v1/openapi.json")
    zipped = web.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.get_data())) == plain.get_json()


def test_a_small_answer_stays_plain(web: WebClient) -> None:
    """Under COMPRESS_MIN_SIZE the gzip header would outweigh the gain."""
    response = web.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert response.get_json() == {"status": "ok"}


def test_files_and_calendars_are_sent_as_they_are(make, login, web) -> None:  # type: ignore[no-untyped-def]
    """A file (a static file, as a letter's PDF is sent) is streamed, and calendar programs
    may not cope with a compressed feed: neither is touched."""
    stylesheet = web.get("/static/accord.css", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in stylesheet.headers
    assert stylesheet.get_data() == (ROOT / "app" / "static" / "accord.css").read_bytes()
    stylesheet.close()

    rep = make.representative(make.partner())
    make.open_round(make.proposal())
    db.session.commit()
    feed = web.get(calendar_address(login(rep)), headers={"Accept-Encoding": "gzip"})
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert "Content-Encoding" not in feed.headers
    assert feed.get_data(as_text=True).startswith("BEGIN:VCALENDAR")


# -- the web processes ---------------------------------------------------------------


def test_the_app_factory_starts_no_scheduler(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What a gunicorn worker runs: create_app, with the deployment's default setting
    (ACCORD_SCHEDULER=embedded, which only `accord serve` acts on)."""
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path))
    monkeypatch.delenv("ACCORD_SCHEDULER", raising=False)
    monkeypatch.setattr(wakeup, "_waker", None)
    app = create_app({"SECRET_KEY": "factory test"})
    assert app.config["ACCORD_SCHEDULER"] == "embedded"
    assert wakeup._waker is None  # no scheduler was built…
    assert not [thread for thread in threading.enumerate() if thread.name == "APScheduler"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, process: subprocess.Popen, **headers: str):  # type: ignore[no-untyped-def,type-arg]
    """The first answer once the server is up; a deadline only so that a broken start
    fails instead of hanging."""
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up and process.poll() is None:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except OSError:
            time.sleep(0.2)
    return 0, {}, b""


def test_gunicorn_serves_the_app_with_the_repositorys_settings(app, database_url: str) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": database_url,
        "SECRET_KEY": "gunicorn test",
        "ACCORD_BIND": f"127.0.0.1:{port}",
        "ACCORD_WORKERS": "2",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        health = _get(f"http://127.0.0.1:{port}/healthz", server)
        page = _get(f"http://127.0.0.1:{port}/login", server, **{"Accept-Encoding": "gzip"})
    finally:
        server.terminate()  # a graceful stop: the workers finish, then the master exits
        output, _ = server.communicate(timeout=120)
    assert health[0] == 200 and json.loads(health[2]) == {"status": "ok"}, output
    assert page[0] == 200 and page[1]["Content-Encoding"] == "gzip"
    assert b"<form" in gzip.decompress(page[2])
    assert '"GET /healthz HTTP/1.1" 200' in output  # the access log, on stdout
    assert server.returncode == 0, output


# -- connections to PostgreSQL -------------------------------------------------------


def _app_with_connections(own_app: Callable[..., Flask], url: str, n: Any) -> Flask:
    return own_app(
        SQLALCHEMY_DATABASE_URI=url,
        ACCORD_DATABASE_CONNECTIONS=n,
        # a short wait for a connection, so that the test sees it end
        SQLALCHEMY_ENGINE_OPTIONS={"pool_recycle": 3600, "pool_timeout": 0.2},
    )


def test_a_process_keeps_at_most_its_connections_to_postgresql(
    own_app: Callable[..., Flask], database_url: str
) -> None:
    app = _app_with_connections(own_app, database_url, 2)
    with app.app_context():
        held = [db.engine.connect() for _ in range(2)]
        try:
            if db.engine.dialect.name == "postgresql":
                with pytest.raises(exc.TimeoutError):  # a third waited, and none came back
                    db.engine.connect()
                held.pop().close()
                held.append(db.engine.connect())  # one came back: it is handed on
            else:  # SQLite writes one at a time whatever the pool: the setting is PostgreSQL's
                held.append(db.engine.connect())
        finally:
            for connection in held:
                connection.close()


def test_the_number_of_connections_is_read_from_the_environment_and_checked(
    monkeypatch: pytest.MonkeyPatch, own_app: Callable[..., Flask]
) -> None:
    postgresql = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # never connected to here
    monkeypatch.setenv("ACCORD_DATABASE_CONNECTIONS", "3")
    app = _app_with_connections(own_app, postgresql, None)
    assert app.config["ACCORD_DATABASE_CONNECTIONS"] is None  # the overrides win…
    app = create_app({"SECRET_KEY": "connections test", "SQLALCHEMY_DATABASE_URI": postgresql})
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"]) == (3, 0)  # …then the environment
    for wrong, said in (("0", "must be 1 or more"), ("many", "must be a whole number")):
        monkeypatch.setenv("ACCORD_DATABASE_CONNECTIONS", wrong)
        with pytest.raises(ValueError, match=f"ACCORD_DATABASE_CONNECTIONS {said}"):
            create_app({"SECRET_KEY": "connections test", "SQLALCHEMY_DATABASE_URI": postgresql})


def test_gunicorn_conf_gives_each_worker_two_connections_per_core_in_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # gunicorn.conf.py writes the environment (ACCORD_SCHEDULER too): it writes to a copy
    # here, so that no later test finds its values
    monkeypatch.setattr(os, "environ", dict(os.environ))
    for name in ("ACCORD_DATABASE_CONNECTIONS", "ACCORD_SCHEDULER", "ACCORD_THREADS"):
        monkeypatch.delenv(name, raising=False)
    cores = os.cpu_count() or 1

    def connections(workers: int) -> str:
        monkeypatch.delenv("ACCORD_DATABASE_CONNECTIONS", raising=False)
        monkeypatch.setenv("ACCORD_WORKERS", str(workers))
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        return os.environ["ACCORD_DATABASE_CONNECTIONS"]

    assert connections(1) == str(2 * cores)
    assert connections(2 * cores) == "1"
    assert connections(100 * cores) == "1"  # at least one a worker
    monkeypatch.setenv("ACCORD_DATABASE_CONNECTIONS", "7")
    runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert os.environ["ACCORD_DATABASE_CONNECTIONS"] == "7"  # the host's own setting wins
