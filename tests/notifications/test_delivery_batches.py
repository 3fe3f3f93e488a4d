"""Delivery in bulk: one connection carries a whole batch, several senders work at once,
and still every message goes exactly once; one refused recipient or a dropped connection
stops nothing else."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from decisions.db import db
from notifications import delivery
from notifications.models import Delivery, OutboxMessage
from tests.conftest import T0
from tests.notifications.conftest import eml_files, person, tick

SOON = T0 + timedelta(seconds=5)


def at(moment):  # type: ignore[no-untyped-def]
    return time_machine.travel(moment, tick=False)


def queued(make, session, n):  # type: ignore[no-untyped-def]
    """A round opened at T0 on one partner with ``n`` representatives: a message each."""
    partner = make.partner()
    reps = [person(session, "partner", partner) for _ in range(n)]
    sec = person(session, "secretariat")
    with at(T0):
        make.open_round(make.proposal(sec), sec)
    session.commit()  # other senders read the outbox through their own sessions
    return reps


def outbox() -> list[OutboxMessage]:
    rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    db.session.rollback()
    return rows


def received_once(server) -> set[str]:  # type: ignore[no-untyped-def]
    """The Message-IDs the server received, each checked to have come once."""
    counted = Counter(message["Message-ID"] for message in server.received)
    assert set(counted.values()) <= {1}, counted.most_common(3)
    return set(counted)


def test_a_batch_goes_over_one_connection(make, session, smtp):  # type: ignore[no-untyped-def]
    reps = queued(make, session, 30)
    with at(SOON):
        assert tick().sent.sent == 30
    assert received_once(smtp) == {row.message_id for row in outbox()}
    assert {message["To"].addresses[0].addr_spec for message in smtp.received} == {
        rep.email for rep in reps
    }
    assert len(smtp.handler.sessions) == 1


def test_one_refused_recipient_fails_alone(make, session, smtp):  # type: ignore[no-untyped-def]
    reps = queued(make, session, 12)
    refused = reps[5].email
    smtp.handler.refuse = {refused: "550 5.1.1 No such mailbox"}
    with at(SOON):
        done = tick()
    assert (done.sent.sent, done.sent.failed, done.sent.retrying) == (11, 1, 0)
    by_address = {row.to_address: row for row in outbox()}
    assert by_address[refused].status == Delivery.FAILED
    assert by_address[refused].last_error == "550 5.1.1 No such mailbox"
    assert {row.status for a, row in by_address.items() if a != refused} == {Delivery.SENT}
    assert len(received_once(smtp)) == 11 and smtp.to(refused) == []
    assert len(smtp.handler.sessions) == 1  # the refusal did not cost the connection


def test_parallel_senders_send_each_message_once(make, session, smtp, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(delivery, "BATCH", 4)  # many batches for the senders to share
    monkeypatch.setattr(delivery, "SENDERS", 3)
    queued(make, session, 41)
    with at(SOON):
        done = tick()
        assert done.sent.sent == 41 and done.sent.errors == []
        assert tick().sent.sent == 0
    rows = outbox()
    assert received_once(smtp) == {row.message_id for row in rows}
    assert {(row.status, row.attempts) for row in rows} == {(Delivery.SENT, 1)}
    assert 1 <= len(smtp.handler.sessions) <= 3


def test_a_dropped_connection_is_opened_again_and_the_batch_goes_on(make, session, smtp):  # type: ignore[no-untyped-def]
    reps = queued(make, session, 10)
    dropped = reps[3].email
    handler = smtp.handler
    refuse_rcpt = handler.handle_RCPT

    async def drop_once(server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address == dropped and not handler.sessions_dropped:
            handler.sessions_dropped.append(session)
            server.transport.close()  # the line goes dead mid-conversation
            return "250 OK"
        return await refuse_rcpt(server, session, envelope, address, rcpt_options)

    handler.sessions_dropped = []
    handler.handle_RCPT = drop_once
    with at(SOON):
        done = tick()
    assert (done.sent.sent, done.sent.retrying, done.sent.failed) == (9, 1, 0)
    assert "connection lost" in done.sent.errors[0]
    assert len(handler.sessions) == 2  # a new connection for the messages after it
    with at(SOON + delivery.FIRST_RETRY):  # its next turn: it goes, once
        assert tick().sent.sent == 1
    assert received_once(smtp) == {row.message_id for row in outbox()}
    assert len(smtp.to(dropped)) == 1


@pytest.mark.parametrize("batch", [3, 100])
def test_the_mail_folder_gets_each_message_once(make, session, mail_dir, monkeypatch, batch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(delivery, "BATCH", batch)
    reps = queued(make, session, 8)
    with at(SOON):
        assert tick().sent.sent == 8
        assert tick().sent.sent == 0
    files = eml_files(mail_dir)
    assert sorted(m["To"].addresses[0].addr_spec for m in files) == sorted(r.email for r in reps)
    assert {m["Message-ID"] for m in files} == {row.message_id for row in outbox()}
