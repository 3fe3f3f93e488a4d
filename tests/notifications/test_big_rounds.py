"""Rounds of many partners: their notices are written in bulk. A message is rendered once
for each distinct reader and each recipient's names put in, exactly as a message rendered
for them alone; opening, reminding and closing send as many statements for twenty
partners as for two."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, or_, select

from decisions import rounds
from decisions.consensus import Outcome
from decisions.db import db
from decisions.models import EmailEvents, Role
from notifications import outbox, recipients, reminders
from notifications.messages import Content, Facts, Recipient, render, renderer
from notifications.models import InboxEntry, Kind, MailBody, OutboxMessage
from notifications.settings import Settings
from tests.conftest import T0
from tests.notifications.conftest import person

DEADLINE = T0 + timedelta(days=7)


def _recipient(n: int, name: str, role: Role = Role.PARTNER, **kw: Any) -> Recipient:
    return Recipient(
        id=n,
        email=f"r{n}@example.org",
        name=name,
        role=role,
        zone=kw.pop("zone", "UTC"),
        email_events=EmailEvents.ALL,
        **kw,
    )


READERS = [
    _recipient(1, "Ana & Co <b>", partner_id=1, partner_name="Reef & <Sons>"),
    _recipient(2, 'O\'Brien "Jo"', partner_id=2, partner_name='Mangrove "Watch"'),
    _recipient(3, "Siti", partner_id=3, partner_name="Pulau Hijau", zone="Asia/Jakarta"),
    _recipient(4, "ليلى", partner_id=4, partner_name="شبكة الشعاب", locale="ar"),
    _recipient(5, "Élise", partner_id=5, partner_name="Récifs", locale="fr"),
    _recipient(6, "Élodie", partner_id=6, partner_name="Lagons & Cie", locale="fr"),
    _recipient(7, "Sam <Secretariat>", Role.SECRETARIAT, zone="Pacific/Fiji"),
    _recipient(8, "An author", Role.OBSERVER),
]

FACTS = [
    Facts(
        kind=Kind.ROUND_OPENED,
        title="Reefs & <rivers>",
        titles={"fr": "Récifs & rivières"},
        round_number=1,
        link="http://accord.example/proposals/1#own-position",
        deadline=DEADLINE,
    ),
    Facts(
        kind=Kind.REMINDER,
        title="Reefs & <rivers>",
        round_number=2,
        link="http://accord.example/proposals/1#own-position",
        deadline=DEADLINE,
        now=DEADLINE - timedelta(hours=23),
    ),
    Facts(
        kind=Kind.ROUND_CLOSED,
        title="Reefs & <rivers>",
        round_number=1,
        link="http://accord.example/proposals/1#round-1",
        outcome=Outcome.BLOCKED,
        decision_number="2026/001",
        tally={"consent": 3, "object": 1, "pending": 2},
    ),
]


@pytest.mark.parametrize("facts", FACTS, ids=lambda facts: str(facts.kind))
def test_a_message_rendered_once_for_many_reads_as_if_rendered_for_each(ctx, facts) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.of_app()
    for_recipient = renderer(settings, facts)
    for reader in READERS:
        assert for_recipient(reader) == render(settings, facts, reader), reader.name
    # the two French readers share a rendering, and each still reads their own names
    (elise, elodie) = (for_recipient(r) for r in READERS[4:6])
    assert "Élise" in elise.text and "Élise" not in elodie.text
    assert "Lagons &amp; Cie" in elodie.html and "Lagons & Cie" in elodie.text


@contextmanager
def counted() -> Iterator[Callable[[], int]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield lambda: len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _round_of(make, session, sec, partners: int, start):  # type: ignore[no-untyped-def]
    """Open, remind and close a round of the partners with standing after adding
    ``partners`` of them: the statements each step sends, and the notices it queued."""
    for partner in make.partners(partners):
        person(session, "partner", partner)
    proposal = make.proposal(sec)
    deadline = start + timedelta(days=7)
    sent = {}
    with counted() as count:
        opened = rounds.open_round(session, sec, proposal.id, deadline, now=start)
        sent["open"] = count()
    with counted() as count:
        reminders.sweep(session, Settings.of_app(), deadline - timedelta(hours=23))
        sent["remind"] = count()
    with counted() as count:
        rounds.close_round(session, sec, opened.id, now=deadline + timedelta(minutes=1))
        sent["close"] = count()
    ours = or_(
        *(
            InboxEntry.key.startswith(f"{event}:{opened.id}:")
            for event in ("round_opened", "reminder", "round_closed")
        )
    )
    keys = session.scalars(select(InboxEntry.key).where(ours)).all()
    mails = set(session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys))))
    session.rollback()
    return sent, keys, mails


def test_statements_do_not_grow_with_the_electorate(make, session, mail_dir) -> None:  # type: ignore[no-untyped-def]
    sec = person(session, "secretariat")
    for partner in make.partners(2):
        person(session, "partner", partner)
    # the log's first entry is a case of its own: a round before those compared
    first = make.open_round(make.proposal(sec), sec, days=1)
    rounds.close_round(session, sec, first.id, now=T0 + timedelta(days=1, minutes=1))
    small, small_keys, _ = _round_of(make, session, sec, 0, T0 + timedelta(days=10))
    large, large_keys, large_mails = _round_of(make, session, sec, 18, T0 + timedelta(days=20))
    assert large == small
    # each representative once per notice (opening, reminder, outcome), the Secretariat
    # once (the outcome); all by e-mail, as they chose by default
    assert len(small_keys) == 3 * 2 + 1 and len(large_keys) == 3 * 20 + 1
    assert len(set(large_keys)) == len(large_keys) and large_mails == set(large_keys)


def test_notices_written_in_bulk_hold_exactly_what_was_rendered(make, session, mail_dir) -> None:  # type: ignore[no-untyped-def]
    """Names that quoting, escaping or an encoding could spoil arrive whole, in the inbox
    and in both bodies of the e-mail; the rest of the electorate shares the rendering."""
    sec = person(session, "secretariat")
    odd = make.partner('Récif "Vert" \\ & <Co> 🐠')
    name = 'Zoë O\'Hara \\ "Q" <b> 🐢 ليلى'
    rep = person(session, "partner", odd, name=name)
    for partner in make.partners(3):
        person(session, "partner", partner)
    round_ = make.open_round(make.proposal(sec), sec)
    notice = session.scalars(select(InboxEntry).where(InboxEntry.user_id == rep.id)).one()
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == rep.id)).one()
    assert notice.key == f"round_opened:{round_.id}:{rep.id}" and mail.key == notice.key
    assert 'Récif "Vert" \\ & <Co> 🐠' in notice.body and notice.body in mail.text_body
    assert f"{name}," in mail.text_body
    assert "Zoë O&#39;Hara \\ &#34;Q&#34; &lt;b&gt; 🐢 ليلى" in mail.html_body
    assert "Récif &#34;Vert&#34; \\ &amp; &lt;Co&gt; 🐠" in mail.html_body
    assert mail.to_name == name and mail.message_id.startswith("<accord.")
    assert name not in mail.body.text_body  # put in as it is read, not stored
    assert session.scalar(select(func.count()).select_from(InboxEntry)) == 4


def _bodies() -> int:
    return db.session.scalar(select(func.count()).select_from(MailBody))


def test_a_rounds_emails_share_one_stored_body_per_reader(make, session, mail_dir) -> None:  # type: ignore[no-untyped-def]
    """Six representatives on three clocks: six e-mails, three bodies, each e-mail read
    with its own names; a sweep run twice queues its reminders once, bodies included."""
    sec = person(session, "secretariat")
    zones = ["Asia/Jakarta", "America/Lima", None]
    reps = [
        person(session, "partner", partner, name=f"Rep <{n}> & Co", time_zone=zones[n % 3])
        for n, partner in enumerate(make.partners(6))
    ]
    round_ = make.open_round(make.proposal(sec), sec)
    mails = {mail.user_id: mail for mail in session.scalars(select(OutboxMessage))}
    assert len(mails) == 6 and _bodies() == 3
    assert len({mail.body_id for mail in mails.values()}) == 3
    for n, rep in enumerate(reps):
        mail = mails[rep.id]
        assert f"Rep <{n}> & Co," in mail.text_body
        assert f"Rep &lt;{n}&gt; &amp; Co" in mail.html_body
        assert mail.to_name not in mail.body.text_body  # the stored body is marked
    sweep_at = round_.deadline - timedelta(hours=23)
    assert reminders.sweep(session, Settings.of_app(), sweep_at) == 6
    assert _bodies() == 6
    assert reminders.sweep(session, Settings.of_app(), sweep_at) == 0
    assert _bodies() == 6 and session.scalar(select(func.count()).select_from(OutboxMessage)) == 12


def test_bodies_of_emails_queued_before_are_not_kept(make, session, mail_dir) -> None:  # type: ignore[no-untyped-def]
    """A key another transaction queued first (here: before) skips its e-mail, and the
    body written for it goes too: none is left that no e-mail uses."""
    rep = person(session, "partner", make.partner())
    settings = Settings.of_app()
    key = "round_opened:99:" + str(rep.id)
    taken = Content(subject="First", summary="", text="First", html="<p>First</p>", link="")
    assert outbox.mail(session, settings, key, Kind.ROUND_OPENED, (rep.email, rep.name), taken)
    session.commit()
    assert not outbox.mail(session, settings, key, Kind.ROUND_OPENED, ("x@example.org", ""), taken)
    recipient = recipients.user(session, rep.id)[0]
    facts = Facts(kind=Kind.ROUND_OPENED, title="T", round_number=1, link="", deadline=DEADLINE)
    drafts = [outbox.Draft(key, recipient, email=True)]
    assert outbox.queue(session, settings, facts, drafts, T0) == 1  # the inbox entry is new
    session.commit()
    assert _bodies() == 1
    (mail,) = session.scalars(select(OutboxMessage)).all()
    assert mail.text_body == "First" and mail.to_address == rep.email
