"""Reminders at the partnership's offsets, to partners still pending only, each exactly
once; missed ones coalesce into one late reminder; they follow an extended deadline."""

from datetime import timedelta

import pytest
import time_machine

from decisions import rounds, settings, users
from decisions.models import EmailEvents
from notifications import preferences
from notifications.models import Kind
from notifications.reminders import due_offset
from tests.conftest import T0
from tests.notifications.conftest import inbox_of, outbox_of, person, tick

DEADLINE = T0 + timedelta(days=7)
MINUTE = timedelta(minutes=1)


def at(moment):  # type: ignore[no-untyped-def]
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def scene(make, session, mail_dir):  # type: ignore[no-untyped-def]
    """A round opened at T0, due in 7 days, on partners A (two representatives), B and C;
    B consents at once."""
    a, b, c = make.partners(3)
    sec = person(session, "secretariat")
    people = {
        "a1": person(session, "partner", a),
        "a2": person(session, "partner", a),
        "b1": person(session, "partner", b),
        "c1": person(session, "partner", c),
        "observer": person(session, "observer"),
        "sec": sec,
    }
    round_ = make.open_round(make.proposal(sec), sec)
    rounds.register_position(session, people["b1"], round_.id, b.id, "consent", now=T0)
    session.commit()
    return round_, people, (a, b, c)


def reminded(people, *names):  # type: ignore[no-untyped-def]
    return {name: len(inbox_of(people[name], Kind.REMINDER)) for name in names}


ALL = ("a1", "a2", "b1", "c1", "observer", "sec")


def test_due_offset_is_the_latest_passed_after_the_deadline_was_set() -> None:
    offsets = [72, 24, 3]
    assert due_offset(DEADLINE, T0, offsets, DEADLINE - timedelta(hours=73)) is None
    assert due_offset(DEADLINE, T0, offsets, DEADLINE - timedelta(hours=72)) == 72
    assert due_offset(DEADLINE, T0, offsets, DEADLINE - timedelta(hours=2)) == 3  # coalesced
    assert due_offset(DEADLINE, T0, offsets, DEADLINE) is None  # never at the deadline
    assert due_offset(DEADLINE, T0, offsets, DEADLINE + MINUTE) is None
    # set 30 hours before: the 72-hour reminder was never due, the 24-hour one is
    late = DEADLINE - timedelta(hours=30)
    assert due_offset(DEADLINE, late, offsets, DEADLINE - timedelta(hours=25)) is None
    assert due_offset(DEADLINE, late, offsets, DEADLINE - timedelta(hours=24)) == 24


def test_reminders_go_to_pending_partners_once_per_offset(scene, session):  # type: ignore[no-untyped-def]
    round_, people, (a, _b, _c) = scene
    with at(DEADLINE - timedelta(hours=72) - MINUTE):
        assert tick().reminded == 0  # not yet
    with at(DEADLINE - timedelta(hours=72) + MINUTE):
        assert tick().reminded == 3
        assert tick().reminded == 0  # none twice
    counts = dict.fromkeys(ALL, 0) | {"a1": 1, "a2": 1, "c1": 1}
    assert reminded(people, *ALL) == counts
    with at(DEADLINE - timedelta(hours=24) + MINUTE):
        assert tick().reminded == 3
        rounds.register_position(session, people["a2"], round_.id, a.id, "stand_aside")
    with at(DEADLINE - timedelta(hours=3) + MINUTE):
        assert tick().reminded == 1  # A has spoken now: C only
        assert tick().reminded == 0
    with at(DEADLINE + MINUTE):
        assert tick().reminded == 0  # none after the deadline
    counts = dict.fromkeys(ALL, 0) | {"a1": 2, "a2": 2, "c1": 3}
    assert reminded(people, *ALL) == counts
    (message, *_rest) = outbox_of(people["c1"], Kind.REMINDER)
    assert "has not yet registered its position" in message.text_body


def test_missed_reminders_go_out_as_one_late_reminder(scene):  # type: ignore[no-untyped-def]
    _round, people, _partners = scene
    with at(DEADLINE - timedelta(hours=2)):  # nothing ran since the opening
        assert tick().reminded == 3
        assert tick().reminded == 0
    (notice,) = inbox_of(people["c1"], Kind.REMINDER)
    assert "in 2 hours" in notice.body
    assert reminded(people, "a1", "a2", "c1") == {"a1": 1, "a2": 1, "c1": 1}


def test_reminders_follow_an_extended_deadline(scene, session):  # type: ignore[no-untyped-def]
    round_, people, _partners = scene
    later = DEADLINE + timedelta(days=3)
    with at(DEADLINE - timedelta(hours=72) + MINUTE):
        assert tick().reminded == 3  # 72 hours before the first deadline
    with at(DEADLINE - timedelta(hours=70)):
        rounds.extend_round(session, people["sec"], round_.id, later)
    with at(DEADLINE - timedelta(hours=24) + MINUTE):
        assert tick().reminded == 0  # the old deadline's reminders are gone…
    with at(later - timedelta(hours=72) + MINUTE):  # …the new one's take their place
        assert tick().reminded == 3
    with at(later - timedelta(hours=3) + MINUTE):
        assert tick().reminded == 3  # 24 hours missed: coalesced into this one
    notices = inbox_of(people["a1"], Kind.REMINDER)
    assert len(notices) == 3
    assert "9 March 2026" in notices[0].body and "12 March 2026" in notices[2].body


def test_an_extension_close_to_its_offsets_sends_nothing_at_once(scene, session):  # type: ignore[no-untyped-def]
    round_, people, _partners = scene
    later = DEADLINE + timedelta(days=1)  # 26 hours after the extension
    with at(DEADLINE - timedelta(hours=2)):
        assert tick().reminded == 3
        rounds.extend_round(session, people["sec"], round_.id, later)
    with at(DEADLINE - timedelta(hours=2) + MINUTE):
        assert tick().reminded == 0  # its 72-hour reminder was due before the extension
    with at(later - timedelta(hours=24) + MINUTE):
        assert tick().reminded == 3


def test_a_round_opened_late_skips_reminders_due_before_it(make, session, mail_dir):  # type: ignore[no-untyped-def]
    partner = make.partner()
    rep = person(session, "partner", partner)
    sec = person(session, "secretariat")
    rounds.open_round(session, sec, make.proposal(sec).id, T0 + timedelta(hours=10), now=T0)
    with at(T0 + MINUTE):
        assert tick().reminded == 0  # the opening notice says it all
    with at(T0 + timedelta(hours=7) + MINUTE):
        assert tick().reminded == 1
    assert len(inbox_of(rep, Kind.REMINDER)) == 1


def test_offsets_come_from_the_settings(scene, session):  # type: ignore[no-untyped-def]
    _round, people, _partners = scene
    settings.update_settings(session, None, reminder_offsets_hours=[48])
    with at(DEADLINE - timedelta(hours=72) + MINUTE):
        assert tick().reminded == 0
    with at(DEADLINE - timedelta(hours=48) + MINUTE):
        assert tick().reminded == 3
    with at(DEADLINE - timedelta(hours=3) + MINUTE):
        assert tick().reminded == 0


def test_e_mail_preferences_and_the_partner_nobody_would_hear(scene, session):  # type: ignore[no-untyped-def]
    round_, people, _partners = scene
    preferences.set_email_events(session, people["a1"], "none")  # a2 still takes e-mail
    preferences.set_email_events(session, people["c1"], "reminders_outcomes")
    session.commit()
    with at(DEADLINE - timedelta(hours=72) + MINUTE):
        tick()
    assert len(inbox_of(people["a1"], Kind.REMINDER)) == 1  # the inbox has every notice
    assert outbox_of(people["a1"], Kind.REMINDER) == []
    assert len(outbox_of(people["a2"], Kind.REMINDER)) == 1
    assert len(outbox_of(people["c1"], Kind.REMINDER)) == 1
    # a2 leaves: A's only representative chose "none", yet A must not miss its reminder
    users.update_user(session, None, people["a2"].id, active=False)
    assert people["a1"].email_events == EmailEvents.NONE
    with at(DEADLINE - timedelta(hours=24) + MINUTE):
        tick()
    assert len(outbox_of(people["a1"], Kind.REMINDER)) == 1
    with at(DEADLINE + MINUTE):
        rounds.close_round(session, people["sec"], round_.id)
    assert len(outbox_of(people["c1"], Kind.ROUND_CLOSED)) == 1
    assert outbox_of(people["a1"], Kind.ROUND_CLOSED) == []


def test_a_tick_sends_the_reminders_it_queued(scene, session):  # type: ignore[no-untyped-def]
    """A real clock that moves while `tick` runs: the reminders queued by the sweep are
    stamped a moment after the run began, and still go out in that same run."""
    _round, people, _partners = scene
    with time_machine.travel(DEADLINE - timedelta(hours=72) + MINUTE, tick=True):
        done = tick()
    assert done.reminded == 3
    assert done.sent.sent == 3
    for name in ("a1", "a2", "c1"):
        (message,) = outbox_of(people[name], Kind.REMINDER)
        assert message.status == "sent"
