"""Reminders to partners still pending, at the partnership's offsets before a deadline.

The database is the source of truth: each sweep works out from the rounds, positions and
inbox what is due now, so a restart loses nothing and a second process adds nothing. A
reminder's key names the round, the representative, the deadline and the offset; one
that exists is never queued again. Offsets missed while nothing ran coalesce into the
latest of them: one late reminder, as long as the deadline has not passed.

Reminders count from the moment a round got its current deadline: the handlers of a
round's opening and of a new deadline record it (a DeadlineSet row) in that transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import events
from decisions.clock import now as clock_now
from decisions.collector import collector_paused
from decisions.models import EmailEvents, Round
from decisions.rounds import accepts_positions, get_round
from decisions.settings import get_partnership
from decisions.unit_of_work import unit_of_work
from notifications import recipients
from notifications.messages import Facts, Recipient, proposal_link, translated_titles
from notifications.models import DeadlineSet, Kind
from notifications.outbox import Draft, queue, stamp
from notifications.settings import Settings


def record_opening_deadline(session: Session, event: events.RoundOpened) -> None:
    round_ = session.get_one(Round, event.round_id)
    session.add(DeadlineSet(round_id=round_.id, deadline=round_.deadline, set_at=round_.opened_at))


def record_new_deadline(session: Session, event: events.DeadlineExtended) -> None:
    round_ = session.get_one(Round, event.round_id)
    session.add(DeadlineSet(round_id=round_.id, deadline=round_.deadline, set_at=clock_now()))


def due_offset(
    deadline: datetime, since: datetime, offsets: Sequence[int], now: datetime
) -> int | None:
    """The offset (hours) whose reminder is due at ``now``: the latest reminder time that
    has passed, if it came after ``since`` (when the deadline was set: the notice of
    that said it all). None when none is due, and always at or after the deadline."""
    if now >= deadline:
        return None
    passed = [h for h in offsets if since < deadline - timedelta(hours=h) <= now]
    return min(passed) if passed else None


@collector_paused()  # a round's thousands of rows: decisions/collector.py
def sweep(session: Session, settings: Settings, now: datetime) -> int:
    """Queue the reminders due at ``now``; the number queued. One transaction per round,
    and none held between rounds (on SQLite, no lock)."""
    with unit_of_work(session):
        offsets = list(get_partnership(session).reminder_offsets_hours or [])
        if not offsets:
            return 0
        horizon = now + timedelta(hours=max(offsets))
        round_ids = session.scalars(
            select(Round.id)
            .where(Round.closed_at.is_(None), Round.deadline > now, Round.deadline <= horizon)
            .order_by(Round.deadline, Round.id)
        ).all()
    queued = 0
    for round_id in round_ids:
        with unit_of_work(session):
            if _anything_due(session, round_id, offsets, now):
                # Locked like a position's registration: whoever is pending stays so until
                # this commits, and a second sweeper waits here, then finds the keys taken.
                queued += _remind(session, settings, round_id, offsets, now)
    return queued


def _remind(
    session: Session, settings: Settings, round_id: int, offsets: list[int], now: datetime
) -> int:
    drafts = _drafts(session, round_id, offsets, now)
    if not drafts:
        return 0
    round_ = session.get_one(Round, round_id)
    facts = Facts(
        kind=Kind.REMINDER,
        title=round_.title,
        titles=translated_titles(round_.proposal),
        round_number=round_.number,
        link=proposal_link(settings, round_, "own-position"),
        deadline=round_.deadline,
        now=now,
        reply_round_id=round_.id,
    )
    return queue(session, settings, facts, drafts, now)


def _anything_due(session: Session, round_id: int, offsets: list[int], now: datetime) -> bool:
    """Whether a reminder of this round is due now and not queued yet, read without a
    lock (whether there is anything to lock the round for)."""
    round_ = get_round(session, round_id)
    key = _key(session, round_, offsets, now)
    return key is not None and recipients.any_pending_unnoticed(session, round_.id, key)


def _drafts(session: Session, round_id: int, offsets: list[int], now: datetime) -> list[Draft]:
    """The reminders of this round due now, under the round's lock, all of them: queue()
    leaves out those queued already."""
    round_ = get_round(session, round_id, lock=True)
    key = _key(session, round_, offsets, now)
    if key is None:
        return []
    prefix, suffix = key
    people = recipients.pending_representatives(session, round_.id)
    return [
        Draft(f"{prefix}{person.id}{suffix}", person, email) for person, email in _by_email(people)
    ]


def _key(
    session: Session, round_: Round, offsets: list[int], now: datetime
) -> tuple[str, str] | None:
    """The keys of the reminders due now, as (prefix, suffix) around the representative's
    id: they name the round, the deadline and the offset. None when none is due."""
    if not accepts_positions(round_, now):
        return None
    since = session.scalar(
        select(DeadlineSet.set_at).where(
            DeadlineSet.round_id == round_.id, DeadlineSet.deadline == round_.deadline
        )
    )
    offset = due_offset(round_.deadline, since or round_.opened_at, offsets, now)
    if offset is None:
        return None
    return f"reminder:{round_.id}:", f":{stamp(round_.deadline)}:{offset}"


def _by_email(people: list[Recipient]) -> list[tuple[Recipient, bool]]:
    """Each representative with whether the reminder goes by e-mail: as they chose, except
    that a partner none of whose representatives takes e-mail is still reminded by it
    (a partner that misses a deadline loses its voice)."""
    heard: defaultdict[int | None, bool] = defaultdict(bool)
    for person in people:
        heard[person.partner_id] |= person.email_events != EmailEvents.NONE
    return [
        (person, person.email_events != EmailEvents.NONE or not heard[person.partner_id])
        for person in people
    ]
