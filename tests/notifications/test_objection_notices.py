"""An answer to an objection reaches the objecting partner's representatives, and no one
else, in the transaction of the answer; by e-mail unless they chose no e-mail at all."""

from datetime import timedelta

import pytest

from decisions import objections, rounds, users
from decisions.errors import InvalidInput
from notifications import preferences
from notifications.excerpts import excerpt
from notifications.models import Kind
from tests.conftest import T0
from tests.notifications.conftest import inbox_of, outbox_of, person, recipients_of

CLOSED = T0 + timedelta(days=8)
ANSWERED = CLOSED + timedelta(days=1)


def blocked(make, session):  # type: ignore[no-untyped-def]
    """Member A (two representatives and a deactivated one) objects to a proposal that
    B's representative drafted; B consents. The round closes blocked."""
    member_a, member_b = make.partners(2)
    people = {
        "a1": person(session, "partner", member_a),
        "a2": person(session, "partner", member_a),
        "a_off": person(session, "partner", member_a),
        "b1": person(session, "partner", member_b),
        "observer": person(session, "observer"),
        "sec1": person(session, "secretariat"),
        "sec2": person(session, "secretariat"),
    }
    users.update_user(session, None, people["a_off"].id, active=False)
    proposal = make.proposal(people["b1"], title="Shared early-warning desk")
    round_ = make.open_round(proposal, people["sec1"])
    reason = "The desk would duplicate our own monitoring. " * 20
    rounds.register_position(
        session, people["a1"], round_.id, member_a.id, "object", reason, now=T0
    )
    rounds.register_position(session, people["b1"], round_.id, member_b.id, "consent", now=T0)
    rounds.close_round(session, people["sec1"], round_.id, now=CLOSED)
    [objection] = objections.objections_of(session, proposal.id)
    return people, member_a, proposal, objection.id


def test_an_answer_reaches_the_objecting_partners_representatives_only(make, session):  # type: ignore[no-untyped-def]
    people, member_a, proposal, objection_id = blocked(make, session)
    objections.answer_objection(
        session, people["sec2"], objection_id, "Section 3 now shares one desk.", now=ANSWERED
    )
    assert recipients_of(Kind.OBJECTION_ANSWERED) == {people["a1"].id, people["a2"].id}
    (notice,) = inbox_of(people["a2"], Kind.OBJECTION_ANSWERED)
    assert notice.subject == "Answer to your objection: Shared early-warning desk"
    assert notice.body == (
        f"The Secretariat answered the objection of {member_a.name} to "
        "“Shared early-warning desk” (round 1)."
    )
    assert notice.link.endswith(f"/proposals/{proposal.id}#objection-{objection_id}")
    assert notice.created_at == ANSWERED
    (message,) = outbox_of(people["a1"], Kind.OBJECTION_ANSWERED)
    assert "Your reason: The desk would duplicate our own monitoring." in message.text_body
    assert "…" in message.text_body  # the reason is quoted in part
    assert "Answer: Section 3 now shares one desk." in message.text_body
    for nobody in ("a_off", "b1", "observer", "sec1", "sec2"):
        assert inbox_of(people[nobody], Kind.OBJECTION_ANSWERED) == [], nobody
        assert outbox_of(people[nobody], Kind.OBJECTION_ANSWERED) == [], nobody


def test_the_proposer_answering_is_named(make, session):  # type: ignore[no-untyped-def]
    people, member_a, proposal, objection_id = blocked(make, session)
    objections.answer_objection(session, people["b1"], objection_id, "We merge them.")
    (notice,) = inbox_of(people["a1"], Kind.OBJECTION_ANSWERED)
    assert notice.body.startswith(f"{people['b1'].name} answered the objection of {member_a.name}")


def test_it_is_e_mailed_unless_no_e_mail_was_chosen(make, session):  # type: ignore[no-untyped-def]
    people, _member, _proposal, objection_id = blocked(make, session)
    preferences.set_email_events(session, people["a1"], "none")
    preferences.set_email_events(session, people["a2"], "reminders_outcomes")
    session.commit()
    objections.answer_objection(session, people["sec1"], objection_id, "Merged.")
    assert len(inbox_of(people["a1"], Kind.OBJECTION_ANSWERED)) == 1
    assert outbox_of(people["a1"], Kind.OBJECTION_ANSWERED) == []
    assert len(outbox_of(people["a2"], Kind.OBJECTION_ANSWERED)) == 1


def test_a_revised_answer_is_told_again_a_refused_one_not(make, session):  # type: ignore[no-untyped-def]
    people, _member, _proposal, objection_id = blocked(make, session)
    objections.answer_objection(session, people["sec1"], objection_id, "First.", now=ANSWERED)
    with pytest.raises(InvalidInput):
        objections.answer_objection(
            session, people["sec1"], objection_id, " ", now=ANSWERED + timedelta(hours=1)
        )
    assert len(inbox_of(people["a1"], Kind.OBJECTION_ANSWERED)) == 1
    objections.answer_objection(
        session, people["sec1"], objection_id, "Second.", now=ANSWERED + timedelta(hours=2)
    )
    notices = inbox_of(people["a1"], Kind.OBJECTION_ANSWERED)
    assert len(notices) == 2
    assert "Second." in outbox_of(people["a1"], Kind.OBJECTION_ANSWERED)[-1].text_body


def test_the_excerpt_keeps_short_text_and_cuts_long_text_at_a_word() -> None:
    assert excerpt("  One\nline  ") == "One line"
    cut = excerpt("word " * 100, limit=22)
    assert cut == "word word word word…"
