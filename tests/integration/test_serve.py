"""`accord serve`, the README's run command: a real process on a free port, on an empty
database, answers with the sign-in page and prints the demo logins."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, limit: float = 60.0) -> int:
    """Poll until the server answers; a deadline only so that a broken start fails."""
    give_up = time.monotonic() + limit
    while time.monotonic() < give_up:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.2)
    return 0


@pytest.mark.skipif(
    os.environ.get("ACCORD_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="the run command's embedded default is SQLite",
)
def test_serve_sets_up_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "SECRET_KEY": "serve test",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "accord", "serve"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = _wait_for(f"http://127.0.0.1:{port}/login", process)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert status == 200, output
    assert "Demo logins" in output and "secretariat@coral-sea.example" in output
    assert f"Accord is running at http://127.0.0.1:{port}/" in output
