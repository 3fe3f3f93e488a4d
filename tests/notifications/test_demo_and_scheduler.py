"""In the demo, opening a round puts notices in the inbox and .eml files in the mail
folder; the scheduler embedded in `accord serve` is woken by the commit that queued them."""

import threading
from datetime import timedelta

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from sqlalchemy import select

from app.demo import DOMAIN, fill
from decisions import rounds
from decisions.clock import now
from decisions.db import db
from decisions.models import Proposal, ProposalStatus, User
from notifications import scheduler
from notifications.models import Kind
from tests.notifications.conftest import eml_files, inbox_of, tick


def test_opening_a_round_in_the_demo_sends_notices(session, mail_dir):  # type: ignore[no-untyped-def]
    fill(session)
    tick()  # the demo's own story has notices too
    before = len(eml_files(mail_dir))
    sec = session.scalar(select(User).where(User.email == f"secretariat@{DOMAIN}"))
    draft = session.scalar(select(Proposal).where(Proposal.status == ProposalStatus.DRAFT))
    round_ = rounds.open_round(session, sec, draft.id, now() + timedelta(days=5))
    electorate = len(round_.electorate)
    assert tick().sent.sent >= electorate
    opened = [m for m in eml_files(mail_dir)[before:] if draft.title in m["Subject"]]
    assert len(opened) >= electorate  # one per representative, two for a partner with two
    # Each carries its representative's own reply address for the round (positions by
    # e-mail reply), and says how to answer by reply.
    reply_to = {m["Reply-To"].addresses[0].addr_spec for m in opened}
    assert len(reply_to) == len(opened) and all(a.startswith("accord+") for a in reply_to)
    assert all("answer by e-mail" in m.get_body(("plain",)).get_content() for m in opened)
    rep = session.scalar(select(User).where(User.email == f"lantern@{DOMAIN}"))
    notices = inbox_of(rep, Kind.ROUND_OPENED)
    assert notices[-1].subject == f"Decision round open: {draft.title}"


def test_the_running_scheduler_is_woken_by_queued_mail(ctx, make, session, mail_dir, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scheduler, "INTERVAL_SECONDS", 3600)  # only a wake-up runs it again
    runs = threading.Semaphore(0)
    errors: list[BaseException] = []

    def listen(event) -> None:  # type: ignore[no-untyped-def]
        if event.exception:
            errors.append(event.exception)
        runs.release()

    sec = make.secretariat()
    make.representative(make.partner())
    session.commit()
    running = scheduler.build(ctx)
    running.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    running.start()
    try:
        assert runs.acquire(timeout=60)  # its first run, at start
        assert eml_files(mail_dir) == []
        rounds.open_round(session, sec, make.proposal(sec).id, now() + timedelta(days=3))
        db.session.remove()  # let the job have the database
        # Woken by the commit, not by the interval.
        assert runs.acquire(timeout=60)
    finally:
        running.shutdown()
    assert errors == []
    assert len(eml_files(mail_dir)) == 1
