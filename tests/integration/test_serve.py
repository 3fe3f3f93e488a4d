"""`accord serve`, the README's run command: a real process on a free port, on an empty
database, answers with the sign-in page and prints the demo logins."""

import json
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


@pytest.mark.skipif(
    os.environ.get("ACCORD_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="the run command's embedded default is SQLite",
)
def test_links_in_e_mails_lead_to_the_port_served(tmp_path: Path) -> None:
    """Without ACCORD_BASE_URL, `serve --port P` puts its own address in e-mails: an
    applicant's withdrawal link leads to port P, not to 5000."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "ACCORD_BASE_URL"}
    env |= {
        "ACCORD_DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite3",
        "SECRET_KEY": "serve test",
        "ACCORD_SCHEDULER": "off",
        "ACCORD_MAIL_DIR": str(tmp_path / "mail"),
        "ACCORD_LETTERS_DIR": str(tmp_path / "letters"),
    }
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "accord"]
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    application = {
        "organisation_name": "Harbour Watch",
        "mandate": "Early warning in coastal communities.",
        "headquarters_country": "FJ",
        "operating_countries": ["FJ"],
        "legally_registered": True,
        "government_controlled": False,
        "agrees_with_principles": True,
        "category": "supporter",
        "contact_name": "Ana Tuilagi",
        "contact_email": "ana@harbour-watch.example",
    }
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/login", process) == 200
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/applications",
            data=json.dumps(application).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"Links in e-mails point to http://127.0.0.1:{port}/" in output
    subprocess.run([*command, "tick"], cwd=root, env=env, check=True, capture_output=True)
    letters = [path.read_text() for path in (tmp_path / "mail").glob("*.eml")]
    to_applicant = [text for text in letters if "ana@harbour-watch.example" in text]
    assert to_applicant, letters
    assert f"http://127.0.0.1:{port}/apply/" in to_applicant[0], to_applicant[0]
    assert ":5000/" not in to_applicant[0]
