"""`accord scheduler` runs on every host, one at work: on PostgreSQL the process holding
the advisory lock does what is due, the others stand by, and one of them takes over when
the holder dies. Real processes, each writing its e-mail into its own folder, so that
which process did the work shows in where the messages land."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from notifications.models import OutboxMessage
from tests.notifications.conftest import person

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = os.environ.get("ACCORD_TEST_DATABASE_URL", "").startswith("postgres")


class Scheduler:
    """One `accord scheduler` process; its output is gathered line by line as it comes."""

    def __init__(self, database_url: str, mail_dir: Path) -> None:
        self.mail_dir = mail_dir
        self.lines: list[str] = []
        env = {
            **os.environ,
            "ACCORD_DATABASE_URL": database_url,
            "ACCORD_MAIL_DIR": str(mail_dir),
            "ACCORD_SMTP_HOST": "",
            "SECRET_KEY": "scheduler test",
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-c", "from app.console import main; main()"]
        self.process = subprocess.Popen(
            [*command, "scheduler", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def said(self, start: str) -> bool:
        return any(line.startswith(start) for line in self.lines)

    def letters(self) -> int:
        return len(list(self.mail_dir.glob("*.eml"))) if self.mail_dir.exists() else 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=60)
        self._reader.join(timeout=60)
        if self.process.stdout is not None:
            self.process.stdout.close()


def until(condition: Callable[[], bool]) -> bool:
    """Wait for ``condition``; the deadline is there only so that a failure ends."""
    give_up = time.monotonic() + 180
    while time.monotonic() < give_up:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def start(database_url: str, tmp_path: Path) -> Iterator[Callable[[str], Scheduler]]:
    started: list[Scheduler] = []

    def start_one(name: str) -> Scheduler:
        started.append(Scheduler(database_url, tmp_path / name))
        return started[-1]

    yield start_one
    for scheduler in started:  # before the next test wipes the database they use
        scheduler.stop()


def queue_mail(make, session) -> int:  # type: ignore[no-untyped-def]
    """A round opened to partners who take every notice by e-mail: messages queued.
    Returns how many the outbox holds in all."""
    sec = person(session, "secretariat")
    for partner in make.partners(2):
        person(session, "partner", partner)
    make.open_round(make.proposal(sec), sec)
    session.commit()
    queued = session.scalar(select(func.count()).select_from(OutboxMessage))
    session.commit()  # hold no transaction while the schedulers work
    assert queued
    return int(queued)


def test_one_scheduler_works_alone(ctx, make, session, start) -> None:  # type: ignore[no-untyped-def]
    alone = start("alone")
    assert until(lambda: alone.said("Working")), alone.lines
    queued = queue_mail(make, session)
    assert until(lambda: alone.letters() == queued), alone.lines
    assert until(lambda: alone.said("Closed 0 round(s), queued 0 reminder(s); e-mail:"))


@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="the lock is PostgreSQL's: on SQLite there is one host"
)
def test_one_works_the_other_stands_by_and_takes_over(ctx, make, session, start) -> None:  # type: ignore[no-untyped-def]
    first = start("first")
    assert until(lambda: first.said("Working: this scheduler holds the lock")), first.lines
    second = start("second")
    assert until(lambda: second.said("Standing by:")), second.lines

    queued = queue_mail(make, session)
    assert until(lambda: first.letters() == queued), first.lines
    assert second.letters() == 0
    assert not second.said("Working") and not second.said("Closed"), second.lines

    first.process.send_signal(signal.SIGKILL)  # the holder dies: no clean-up of its own
    first.stop()
    assert until(lambda: second.said("Taking over:")), second.lines
    queued = queue_mail(make, session)
    assert until(lambda: second.letters() == queued - first.letters()), second.lines
    assert second.process.poll() is None  # it went on working, and still does
