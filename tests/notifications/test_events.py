"""Each event reaches the people it concerns, in the transaction of its change, and no one else."""

from datetime import timedelta

import time_machine

from decisions import rounds, users
from notifications import preferences
from notifications.models import Delivery, Kind
from tests.conftest import T0
from tests.notifications.conftest import inbox_of, outbox_of, person, recipients_of


def cast(make, session):  # type: ignore[no-untyped-def]
    """Two members (one with two representatives, one of them suspended), a supporter
    without standing, an observer and two Secretariat users."""
    member_a, member_b = make.partners(2)
    supporter = make.partner(category="supporter")
    people = {
        "a1": person(session, "partner", member_a),
        "a2": person(session, "partner", member_a),
        "a_off": person(session, "partner", member_a),
        "b1": person(session, "partner", member_b),
        "supporter": person(session, "partner", supporter),
        "observer": person(session, "observer"),
        "sec1": person(session, "secretariat"),
        "sec2": person(session, "secretariat"),
    }
    users.update_user(session, None, people["a_off"].id, active=False)
    return people, (member_a, member_b, supporter)


def test_round_opened_reaches_the_electorate_representatives_only(make, session):  # type: ignore[no-untyped-def]
    people, _partners = cast(make, session)
    round_ = make.open_round(make.proposal(people["sec1"]), people["sec1"])
    expected = {people[k].id for k in ("a1", "a2", "b1")}
    assert recipients_of(Kind.ROUND_OPENED) == expected
    (notice,) = inbox_of(people["a1"], Kind.ROUND_OPENED)
    assert round_.title in notice.subject and notice.read_at is None
    assert notice.link.endswith(f"/proposals/{round_.proposal_id}#own-position")
    assert [m.status for m in outbox_of(people["b1"])] == [Delivery.PENDING]
    for nobody in ("a_off", "supporter", "observer", "sec1", "sec2"):
        assert inbox_of(people[nobody]) == [] and outbox_of(people[nobody]) == []


def test_each_extension_is_a_notice_to_the_same_people(make, session):  # type: ignore[no-untyped-def]
    people, _partners = cast(make, session)
    round_ = make.open_round(make.proposal(people["sec1"]), people["sec1"])
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        rounds.extend_round(session, people["sec1"], round_.id, T0 + timedelta(days=9))
        rounds.extend_round(session, people["sec1"], round_.id, T0 + timedelta(days=10))
    assert recipients_of(Kind.DEADLINE_EXTENDED) == {people[k].id for k in ("a1", "a2", "b1")}
    notices = inbox_of(people["a1"], Kind.DEADLINE_EXTENDED)
    assert len(notices) == 2
    assert "12 March 2026" in notices[1].body  # the new deadline, in the partnership's zone (UTC)
    assert "11 March 2026" in notices[1].body  # and the one it replaced


def test_an_objection_reaches_the_secretariat_and_the_proposer_at_once(make, session):  # type: ignore[no-untyped-def]
    people, (member_a, member_b, _s) = cast(make, session)
    proposal = make.proposal(people["b1"])  # proposed by a partner's representative
    round_ = make.open_round(proposal, people["sec1"])
    rounds.register_position(session, people["a1"], round_.id, member_a.id, "consent", now=T0)
    assert recipients_of(Kind.OBJECTION_REGISTERED) == set()  # consent is no event
    rounds.register_position(
        session, people["a2"], round_.id, member_a.id, "object", "It breaks our mandate.", now=T0
    )
    expected = {people["sec1"].id, people["sec2"].id, people["b1"].id}
    assert recipients_of(Kind.OBJECTION_REGISTERED) == expected
    (notice,) = inbox_of(people["sec2"], Kind.OBJECTION_REGISTERED)
    assert member_a.name in notice.subject
    (message,) = outbox_of(people["b1"], Kind.OBJECTION_REGISTERED)
    assert "It breaks our mandate." in message.text_body
    assert message.status == Delivery.PENDING
    assert message.next_attempt_at <= message.created_at  # due as soon as queued: no digest


def test_the_outcome_reaches_the_electorate_the_secretariat_and_the_proposer(make, session):  # type: ignore[no-untyped-def]
    people, (member_a, member_b, _s) = cast(make, session)
    proposal = make.proposal(people["supporter"])  # a proposer outside the electorate
    round_ = make.open_round(proposal, people["sec1"])
    for partner, rep in ((member_a, "a1"), (member_b, "b1")):
        rounds.register_position(session, people[rep], round_.id, partner.id, "consent", now=T0)
    entry = rounds.close_round(session, people["sec1"], round_.id, now=T0 + timedelta(hours=1))
    expected = {people[k].id for k in ("a1", "a2", "b1", "sec1", "sec2", "supporter")}
    assert recipients_of(Kind.ROUND_CLOSED) == expected
    (notice,) = inbox_of(people["a2"], Kind.ROUND_CLOSED)
    assert notice.subject.startswith("Adopted") and entry.number in notice.body
    assert inbox_of(people["observer"]) == [] and inbox_of(people["a_off"]) == []


def test_the_e_mail_preference_decides_what_goes_out_by_e_mail(make, session):  # type: ignore[no-untyped-def]
    people, (member_a, member_b, _s) = cast(make, session)
    preferences.set_email_events(session, people["a1"], "none")
    preferences.set_email_events(session, people["b1"], "reminders_outcomes")
    session.commit()
    round_ = make.open_round(make.proposal(people["sec1"]), people["sec1"])
    rounds.close_round(session, people["sec1"], round_.id, now=T0 + timedelta(days=8))
    for name in ("a1", "a2", "b1"):  # every notice reaches the inbox
        assert {n.kind for n in inbox_of(people[name])} == {Kind.ROUND_OPENED, Kind.ROUND_CLOSED}
    assert outbox_of(people["a1"]) == []
    assert [m.kind for m in outbox_of(people["b1"])] == [Kind.ROUND_CLOSED]
    assert [m.kind for m in outbox_of(people["a2"])] == [Kind.ROUND_OPENED, Kind.ROUND_CLOSED]
