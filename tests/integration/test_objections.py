"""Objections followed to resolution (shared API.md, "Deliberation"): recorded when a round
closes, answered by the Secretariat or the proposer, resolved or maintained by the next
round that closes, left as they were by a partner with no position there.

Round n opens at T0 + 10(n-1) days with a seven-day deadline and closes the day after it,
so that a partner who did not speak is simply pending.
"""

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from decisions import objections, partners, proposals, rounds
from decisions.consensus import Outcome
from decisions.deliberation_models import Objection, ObjectionStatus
from decisions.errors import InvalidInput, NotAllowed, NotFound, ObjectionSettled
from decisions.models import DecisionEntry, Round
from tests.conftest import T0
from tests.web.test_query_counts import counting_statements


def opens(n: int) -> datetime:
    return T0 + timedelta(days=10 * (n - 1))


def closes(n: int) -> datetime:
    return opens(n) + timedelta(days=8)


class Cycle:
    """Three member partners (A, B, C) with a representative each, the Secretariat, an
    observer, and a general proposal drafted by A's representative."""

    def __init__(self, make: Any, session: Any) -> None:
        self.make, self.session = make, session
        self.a, self.b, self.c = make.partners(3)
        self.rep_a, self.rep_b, self.rep_c = (
            make.representative(p) for p in (self.a, self.b, self.c)
        )
        self.sec = make.secretariat()
        self.observer = make.user("observer")
        self.proposal = make.proposal(self.rep_a, title="Joint statement on early warning")

    def round(self, n: int, **stances: tuple[str, str] | str) -> Round:
        """Round ``n``, each partner named (a, b, c) registering its stance (and reason),
        closed the day after its deadline."""
        round_ = self.make.open_round(self.proposal, self.sec, now=opens(n))
        for name, stance in stances.items():
            stance, reason = (stance, "") if isinstance(stance, str) else stance
            partner = getattr(self, name)
            rounds.register_position(
                self.session, self.sec, round_.id, partner.id, stance, reason,
                note="E-mail", now=opens(n),
            )  # fmt: skip
        rounds.close_round(self.session, self.sec, round_.id, now=closes(n))
        return round_

    def of(self, round_: Round) -> dict[int, Objection]:
        found = self.session.scalars(select(Objection).where(Objection.round_id == round_.id))
        return {o.partner_id: o for o in found}


@pytest.fixture
def cycle(make, session) -> Cycle:  # type: ignore[no-untyped-def]
    return Cycle(make, session)


def test_a_blocked_round_leaves_one_open_objection_per_objecting_partner(cycle, session):  # type: ignore[no-untyped-def]
    first = cycle.round(
        1, a=("object", "Too vague"), b=("object", "It costs too much"), c="consent"
    )
    assert first.outcome == Outcome.BLOCKED
    recorded = cycle.of(first)
    assert set(recorded) == {cycle.a.id, cycle.b.id}
    objection = recorded[cycle.a.id]
    assert (objection.proposal_id, objection.reason) == (cycle.proposal.id, "Too vague")
    assert objection.status == ObjectionStatus.OPEN
    assert objection.previous_id is None and objection.settled_in_round_id is None
    assert objection.answer == "" and objection.answered_by_id is None
    assert objection.created_at == closes(1)


def test_the_reason_recorded_is_the_current_one(cycle, session):  # type: ignore[no-untyped-def]
    round_ = cycle.make.open_round(cycle.proposal, cycle.sec)
    for reason in ("First thoughts", "Considered view"):
        rounds.register_position(
            session, cycle.rep_a, round_.id, cycle.a.id, "object", reason, now=T0
        )
    rounds.register_position(session, cycle.rep_b, round_.id, cycle.b.id, "object", "No", now=T0)
    rounds.register_position(session, cycle.rep_b, round_.id, cycle.b.id, "consent", now=T0)
    rounds.close_round(session, cycle.sec, round_.id, now=closes(1))
    assert [(o.partner_id, o.reason) for o in cycle.of(round_).values()] == [
        (cycle.a.id, "Considered view")
    ]


def test_open_answered_resolved(cycle, session):  # type: ignore[no-untyped-def]
    first = cycle.round(1, a=("object", "Too vague"), b="consent", c="consent")
    objection = cycle.of(first)[cycle.a.id]
    answered_at = closes(1) + timedelta(days=1)
    objections.answer_objection(
        session, cycle.sec, objection.id, "  Section 2 now names the steps.  ", now=answered_at
    )
    assert objection.status == ObjectionStatus.ANSWERED
    assert objection.answer == "Section 2 now names the steps."
    assert (objection.answered_by_id, objection.answered_at) == (cycle.sec.id, answered_at)
    assert [o.id for o in objections.open_objections(session, cycle.proposal.id)] == [objection.id]

    second = cycle.round(2, a="stand_aside", b="consent", c="consent")
    assert second.outcome == Outcome.ADOPTED
    session.refresh(objection)
    assert objection.status == ObjectionStatus.RESOLVED
    assert objection.settled_in_round_id == second.id
    assert objection.answer == "Section 2 now names the steps."  # the answer stays
    assert cycle.of(second) == {}
    assert objections.open_objections(session, cycle.proposal.id) == []
    entry = session.scalar(select(DecisionEntry).where(DecisionEntry.round_id == second.id))
    assert [o.id for o in objections.resolved_by_round(session, entry.round_id)] == [objection.id]
    with pytest.raises(ObjectionSettled) as refused:
        objections.answer_objection(session, cycle.sec, objection.id, "Once more")
    assert refused.value.code == "objection_settled"


def test_an_objection_made_again_is_maintained_and_continued(cycle, session):  # type: ignore[no-untyped-def]
    first = cycle.round(1, a=("object", "Too vague"), b=("object", "Costs"), c="consent")
    earlier = cycle.of(first)
    objections.answer_objection(session, cycle.rep_a, earlier[cycle.b.id].id, "Costs are shared.")
    second = cycle.round(2, a="consent", b=("object", "Still costs too much"), c="consent")
    assert second.outcome == Outcome.BLOCKED
    for objection in earlier.values():
        session.refresh(objection)
    assert earlier[cycle.a.id].status == ObjectionStatus.RESOLVED
    maintained = earlier[cycle.b.id]
    assert maintained.status == ObjectionStatus.MAINTAINED
    assert maintained.settled_in_round_id == second.id
    [(partner_id, again)] = cycle.of(second).items()
    assert partner_id == cycle.b.id
    assert again.previous_id == maintained.id
    assert (again.reason, again.status) == ("Still costs too much", ObjectionStatus.OPEN)
    with pytest.raises(ObjectionSettled):
        objections.answer_objection(session, cycle.sec, maintained.id, "Once more")

    third = cycle.round(3, a="consent", b="stand_aside", c="consent")
    session.refresh(again)
    assert (again.status, again.settled_in_round_id) == (ObjectionStatus.RESOLVED, third.id)
    history = objections.proposal_objections(session, cycle.proposal.id)
    assert [o.id for o in history.objections] == [
        earlier[cycle.a.id].id,
        earlier[cycle.b.id].id,
        again.id,
    ]
    assert history.to_address == []
    assert history.settled_in == {
        earlier[cycle.a.id].id: 2,
        earlier[cycle.b.id].id: 2,
        again.id: 3,
    }
    assert history.continued_by == {maintained.id: again.id}


def test_a_partner_without_a_position_leaves_its_objection_as_it_was(cycle, session, make):  # type: ignore[no-untyped-def]
    first = cycle.round(1, a=("object", "Too vague"), b=("object", "Costs"), c="consent")
    earlier = cycle.of(first)
    objections.answer_objection(session, cycle.sec, earlier[cycle.a.id].id, "Clearer now.")
    # A is suspended: not in the next round's electorate; B stays silent (pending).
    partners.update_partner(session, cycle.sec, cycle.a.id, status="suspended")
    second = cycle.round(2, c="consent")
    assert cycle.a.id not in second.electorate and cycle.b.id in second.electorate
    assert second.outcome == Outcome.ADOPTED  # quorum 0: silence is consent
    for objection in earlier.values():
        session.refresh(objection)
    assert earlier[cycle.a.id].status == ObjectionStatus.ANSWERED
    assert earlier[cycle.b.id].status == ObjectionStatus.OPEN
    assert all(o.settled_in_round_id is None for o in earlier.values())
    assert cycle.of(second) == {}
    assert objections.resolved_by_round(session, second.id) == []


def test_a_later_round_settles_what_a_round_without_the_partner_left(cycle, session):  # type: ignore[no-untyped-def]
    first = cycle.round(1, a=("object", "Too vague"), c="consent")
    objection = cycle.of(first)[cycle.a.id]
    proposals.amend_proposal(session, cycle.sec, cycle.proposal.id, body="Amended.")
    second = cycle.round(2, b=("object", "Not now"), c="consent")  # A silent
    third = cycle.round(3, a=("object", "Still vague"), b="consent", c="consent")
    session.refresh(objection)
    assert (objection.status, objection.settled_in_round_id) == (
        ObjectionStatus.MAINTAINED,
        third.id,
    )
    assert cycle.of(third)[cycle.a.id].previous_id == objection.id
    assert cycle.of(second)[cycle.b.id].status == ObjectionStatus.RESOLVED


def test_a_withdrawal_records_and_settles_nothing(cycle, session):  # type: ignore[no-untyped-def]
    first = cycle.round(1, a=("object", "Too vague"))
    objection = cycle.of(first)[cycle.a.id]
    second = cycle.make.open_round(cycle.proposal, cycle.sec, now=opens(2))
    rounds.register_position(session, cycle.rep_a, second.id, cycle.a.id, "consent", now=opens(2))
    rounds.register_position(
        session, cycle.rep_b, second.id, cycle.b.id, "object", "No", now=opens(2)
    )
    proposals.withdraw_proposal(session, cycle.rep_a, cycle.proposal.id, now=opens(2))
    assert second.outcome == Outcome.WITHDRAWN
    session.refresh(objection)
    assert (objection.status, objection.settled_in_round_id) == (ObjectionStatus.OPEN, None)
    assert cycle.of(second) == {}


def test_who_may_answer(cycle, session, make):  # type: ignore[no-untyped-def]
    first = cycle.round(1, a=("object", "Too vague"), b=("object", "Costs"))
    mine = cycle.of(first)[cycle.b.id]
    # the proposer, a partner's representative, may answer
    objections.answer_objection(session, cycle.rep_a, mine.id, "We share the costs.")
    assert mine.answered_by_id == cycle.rep_a.id
    # a revision, by the Secretariat, while nothing settled it
    objections.answer_objection(session, cycle.sec, mine.id, "The fund pays.")
    assert (mine.answer, mine.answered_by_id) == ("The fund pays.", cycle.sec.id)
    # the objecting partner, another partner, an observer may not
    for someone in (cycle.rep_b, cycle.rep_c, cycle.observer):
        with pytest.raises(NotAllowed):
            objections.answer_objection(session, someone, mine.id, "Ours")
    session.refresh(mine)
    assert mine.answer == "The fund pays."


@pytest.mark.parametrize("answer", ["", "   \n\t "])
def test_a_blank_answer_is_refused_on_its_field(cycle, session, answer):  # type: ignore[no-untyped-def]
    first = cycle.round(1, a=("object", "Too vague"))
    objection = cycle.of(first)[cycle.a.id]
    with pytest.raises(InvalidInput) as refused:
        objections.answer_objection(session, cycle.sec, objection.id, answer)
    assert refused.value.field == "answer"
    session.refresh(objection)
    assert objection.status == ObjectionStatus.OPEN


@pytest.mark.parametrize("objection_id", [999_999, 0, -1, 2**31, "1"])
def test_an_unknown_objection_is_not_found(cycle, session, objection_id):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        objections.answer_objection(session, cycle.sec, objection_id, "An answer")


def test_the_secretariats_to_do_lists_objections_without_an_answer(cycle, session, make):  # type: ignore[no-untyped-def]
    first = cycle.round(1, a=("object", "Too vague"), b=("object", "Costs"))
    recorded = cycle.of(first)
    other = make.proposal(cycle.sec)
    round_ = make.open_round(other, cycle.sec)
    rounds.register_position(session, cycle.rep_c, round_.id, cycle.c.id, "object", "Never", now=T0)
    rounds.close_round(session, cycle.sec, round_.id, now=closes(1))
    proposals.withdraw_proposal(session, cycle.sec, other.id, now=closes(1))
    assert len(objections.objections_of(session, other.id)) == 1  # moot now: not listed
    objections.answer_objection(session, cycle.sec, recorded[cycle.a.id].id, "Clearer now.")
    assert [o.id for o in objections.unanswered(session)] == [recorded[cycle.b.id].id]
    assert objections.unanswered_count(session) == 1


def objection_statements(make, session, objectors: int) -> int:  # type: ignore[no-untyped-def]
    """Statements on the objections table while a round closes with ``objectors``
    partners objecting again (and as many resolving), after a first blocked round."""
    electorate = make.partners(2 * objectors)
    sec = make.secretariat()
    proposal = make.proposal(sec)
    for n, stances in ((1, ("object", "object")), (2, ("object", "consent"))):
        round_ = make.open_round(proposal, sec, now=opens(n))
        for i, partner in enumerate(electorate):
            stance = stances[i % 2]
            reason = "Why" if stance == "object" else ""
            rounds.register_position(
                session, sec, round_.id, partner.id, stance, reason, note="Mail", now=opens(n)
            )
        if n == 2:
            with counting_statements() as statements:
                rounds.close_round(session, sec, round_.id, now=closes(n))
        else:
            rounds.close_round(session, sec, round_.id, now=closes(n))
    settled = session.scalars(select(Objection.status).where(Objection.proposal_id == proposal.id))
    assert sorted(settled) == sorted(
        [ObjectionStatus.MAINTAINED, ObjectionStatus.RESOLVED] * objectors
        + [ObjectionStatus.OPEN] * objectors
    )
    return sum("objections" in statement for statement in statements)


def test_closing_writes_objections_in_a_fixed_number_of_statements(make, session):  # type: ignore[no-untyped-def]
    few = objection_statements(make, session, 2)
    many = objection_statements(make, session, 40)
    assert few == many
    assert few <= 4, few  # the unsettled ones, resolved, maintained, the new ones
