"""The domain services on a real database: rounds, positions, closing, proposals, the log.

Times are passed in with ``now=``; rounds open at T0 with a deadline seven days later
unless a test says otherwise.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from decisions import kinds, log, proposals, rounds
from decisions.consensus import Outcome
from decisions.errors import (
    DeadlineNotInFuture,
    DeadlineNotLater,
    DeadlinePassed,
    InvalidInput,
    NotAllowed,
    NoteRequired,
    NotInElectorate,
    PartnersPending,
    ProposalLocked,
    ReasonRequired,
    RoundAlreadyOpen,
    RoundNotOpen,
)
from decisions.models import (
    REASON_MAX,
    DecisionEntry,
    Partner,
    PartnerStatus,
    Position,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Round,
)
from decisions.partners import update_partner
from decisions.settings import update_settings
from tests.conftest import T0

DEADLINE = T0 + timedelta(days=7)
BEFORE_DEADLINE = DEADLINE - timedelta(minutes=1)
AFTER_DEADLINE = DEADLINE + timedelta(hours=1)


class Partnership:
    """Three member partners, a representative each, a Secretariat user, one proposal
    with a round open from T0 to DEADLINE."""

    def __init__(self, make: Any, **round_options: Any) -> None:
        self.partners = make.partners(3)
        self.reps = [make.representative(p) for p in self.partners]
        self.sec = make.secretariat()
        self.proposal = make.proposal(self.sec)
        self.round = make.open_round(self.proposal, self.sec, **round_options)

    def say(
        self, session: Any, index: int, stance: str, reason: str = "", now: datetime = T0
    ) -> Position:
        """Partner ``index`` registers ``stance`` through its own representative."""
        return rounds.register_position(
            session,
            self.reps[index],
            self.round.id,
            self.partners[index].id,
            stance,
            reason,
            now=now,
        )


@pytest.fixture
def three(make: Any) -> Partnership:
    return Partnership(make)


def count(session: Any, model: type) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


# --- registering positions --------------------------------------------------------------


def test_everyone_consents_and_the_round_adopts(session: Any, three: Partnership) -> None:
    for index in range(3):
        three.say(session, index, "consent")
    entry = rounds.close_round(session, three.sec, three.round.id, now=T0 + timedelta(hours=1))
    assert entry.outcome == Outcome.ADOPTED
    assert entry.number == "2026/001"
    assert entry.tally == {"consent": 3, "stand_aside": 0, "object": 0, "pending": 0}
    assert three.proposal.status == ProposalStatus.ADOPTED
    assert three.round.outcome == Outcome.ADOPTED


def test_objection_needs_a_reason_and_blocks(session: Any, three: Partnership) -> None:
    with pytest.raises(ReasonRequired):
        three.say(session, 0, "object", "   ")
    assert count(session, Position) == 0
    three.say(session, 0, "object", "Too soon after the elections")
    three.say(session, 1, "consent")
    entry = rounds.close_round(session, three.sec, three.round.id, now=AFTER_DEADLINE)
    assert entry.outcome == Outcome.BLOCKED
    assert three.proposal.status == ProposalStatus.NOT_ADOPTED
    objection = next(p for p in entry.positions if p["partner_id"] == three.partners[0].id)
    assert objection["stance"] == "object"
    assert objection["reason"] == "Too soon after the elections"


def test_unknown_stance_refused(session: Any, three: Partnership) -> None:
    with pytest.raises(InvalidInput) as refusal:
        three.say(session, 0, "maybe")
    assert refusal.value.field == "stance"
    assert count(session, Position) == 0


def test_position_refused_at_and_after_the_deadline(session: Any, three: Partnership) -> None:
    three.say(session, 0, "consent", now=BEFORE_DEADLINE)
    for moment in (DEADLINE, AFTER_DEADLINE):
        with pytest.raises(DeadlinePassed):
            three.say(session, 1, "consent", now=moment)
        session.rollback()
    assert count(session, Position) == 1


def test_over_long_reason_refused_and_nothing_saved(session: Any, three: Partnership) -> None:
    with pytest.raises(InvalidInput) as refusal:
        three.say(session, 0, "object", "x" * (REASON_MAX + 1))
    assert refusal.value.field == "reason"
    assert count(session, Position) == 0
    three.say(session, 0, "object", "x" * REASON_MAX)  # the limit itself is fine
    assert count(session, Position) == 1


def test_position_history_keeps_every_change_and_the_latest_counts(
    session: Any, three: Partnership
) -> None:
    three.say(session, 0, "consent", now=T0)
    three.say(session, 0, "object", "The budget is missing", now=T0 + timedelta(days=1))
    three.say(session, 0, "stand_aside", "We can live with it", now=T0 + timedelta(days=2))
    three.say(session, 1, "consent")

    history = rounds.position_history(session, three.round.id, three.partners[0].id)
    assert [str(p.stance) for p in history] == ["consent", "object", "stand_aside"]
    assert [p.registered_at for p in history] == [
        T0,
        T0 + timedelta(days=1),
        T0 + timedelta(days=2),
    ]
    assert history[1].reason == "The budget is missing"

    entry = rounds.close_round(session, three.sec, three.round.id, now=AFTER_DEADLINE)
    assert entry.outcome == Outcome.ADOPTED  # the objection was withdrawn by a later stance
    assert entry.tally == {"consent": 1, "stand_aside": 1, "object": 0, "pending": 1}
    record = {p["partner_id"]: p for p in entry.positions}
    assert record[three.partners[0].id]["stance"] == "stand_aside"
    assert record[three.partners[0].id]["reason"] == "We can live with it"
    assert record[three.partners[2].id]["stance"] == "pending"


# --- on behalf, and who may do what -------------------------------------------------------


def test_secretariat_records_on_behalf_with_a_note(session: Any, three: Partnership) -> None:
    partner = three.partners[0]
    with pytest.raises(NoteRequired):
        rounds.register_position(session, three.sec, three.round.id, partner.id, "consent", now=T0)
    assert count(session, Position) == 0
    position = rounds.register_position(
        session,
        three.sec,
        three.round.id,
        partner.id,
        "consent",
        note="Letter of 1 March",
        now=T0,
    )
    assert position.on_behalf is True
    assert position.note == "Letter of 1 March"
    assert position.registered_by_id == three.sec.id
    entry_positions = rounds.close_round(session, three.sec, three.round.id, now=AFTER_DEADLINE)
    recorded = next(p for p in entry_positions.positions if p["partner_id"] == partner.id)
    assert recorded["on_behalf"] is True
    assert recorded["note"] == "Letter of 1 March"


def test_representative_speaks_only_for_own_partner(session: Any, three: Partnership) -> None:
    rep_of_first = three.reps[0]
    position = three.say(session, 0, "consent")
    assert position.on_behalf is False
    with pytest.raises(NotAllowed):
        rounds.register_position(
            session, rep_of_first, three.round.id, three.partners[1].id, "consent", now=T0
        )
    assert count(session, Position) == 1


def test_observer_can_neither_open_a_round_nor_register(
    session: Any, make: Any, three: Partnership
) -> None:
    observer = make.user("observer")
    other = make.proposal(three.sec)
    with pytest.raises(NotAllowed):
        rounds.open_round(session, observer, other.id, DEADLINE, now=T0)
    assert count(session, Round) == 1
    with pytest.raises(NotAllowed):
        rounds.register_position(
            session, observer, three.round.id, three.partners[0].id, "consent", now=T0
        )
    assert count(session, Position) == 0


def test_representative_cannot_open_close_or_extend(session: Any, three: Partnership) -> None:
    rep = three.reps[0]
    with pytest.raises(NotAllowed):
        rounds.close_round(session, rep, three.round.id, now=AFTER_DEADLINE)
    session.rollback()
    with pytest.raises(NotAllowed):
        rounds.extend_round(session, rep, three.round.id, DEADLINE + timedelta(days=1), now=T0)
    session.rollback()
    assert three.round.is_open
    assert three.round.deadline == DEADLINE


# --- closing ------------------------------------------------------------------------------


def test_early_close_allowed_when_no_one_is_pending(session: Any, three: Partnership) -> None:
    three.say(session, 0, "consent")
    three.say(session, 1, "stand_aside")
    three.say(session, 2, "consent")
    early = T0 + timedelta(days=1)
    entry = rounds.close_round(session, three.sec, three.round.id, now=early)
    assert entry.outcome == Outcome.ADOPTED
    assert entry.closed_at == early
    assert three.round.closed_at == early


def test_early_close_refused_while_partners_pending(session: Any, three: Partnership) -> None:
    three.say(session, 0, "consent")
    three.say(session, 1, "consent")
    with pytest.raises(PartnersPending):
        rounds.close_round(session, three.sec, three.round.id, now=BEFORE_DEADLINE)
    session.rollback()
    assert three.round.is_open
    assert count(session, DecisionEntry) == 0


def test_after_the_deadline_silence_counts_with_quorum_zero(
    session: Any, three: Partnership
) -> None:
    three.say(session, 0, "consent")
    entry = rounds.close_round(session, three.sec, three.round.id, now=DEADLINE)
    assert entry.outcome == Outcome.ADOPTED
    assert entry.tally["pending"] == 2


def test_after_the_deadline_lapses_without_quorum(session: Any, make: Any) -> None:
    partnership = Partnership(make, quorum=2)
    assert partnership.round.quorum == 2
    partnership.say(session, 0, "consent")
    entry = rounds.close_round(session, partnership.sec, partnership.round.id, now=AFTER_DEADLINE)
    assert entry.outcome == Outcome.LAPSED
    assert partnership.proposal.status == ProposalStatus.NOT_ADOPTED


def test_stand_aside_counts_toward_quorum(session: Any, make: Any) -> None:
    partnership = Partnership(make, quorum=2)
    partnership.say(session, 0, "consent")
    partnership.say(session, 1, "stand_aside", "Not our field")
    entry = rounds.close_round(session, partnership.sec, partnership.round.id, now=AFTER_DEADLINE)
    assert entry.outcome == Outcome.ADOPTED


def test_closed_round_refuses_positions_and_a_second_close(
    session: Any, three: Partnership
) -> None:
    rounds.close_round(session, three.sec, three.round.id, now=AFTER_DEADLINE)
    with pytest.raises(RoundNotOpen):
        three.say(session, 0, "consent")
    session.rollback()
    with pytest.raises(RoundNotOpen):
        rounds.close_round(session, three.sec, three.round.id, now=AFTER_DEADLINE)
    assert count(session, DecisionEntry) == 1


def test_closing_rounds_past_deadline_closes_only_auto_close_rounds(
    session: Any, make: Any
) -> None:
    sec = make.secretariat()
    make.partners(2)
    due = make.open_round(make.proposal(sec), sec, days=7, auto_close=True)
    not_yet = make.open_round(make.proposal(sec), sec, days=30, auto_close=True)
    manual = make.open_round(make.proposal(sec), sec, days=7, auto_close=False)

    moment = T0 + timedelta(days=8)
    closed = rounds.close_rounds_past_deadline(session, now=moment)
    assert [entry.round_id for entry in closed] == [due.id]
    assert closed[0].outcome == Outcome.ADOPTED  # quorum 0: silence
    assert not due.is_open and not_yet.is_open and manual.is_open

    assert rounds.close_rounds_past_deadline(session, now=moment + timedelta(minutes=5)) == []
    assert count(session, DecisionEntry) == 1


# --- the electorate -----------------------------------------------------------------------


def test_electorate_is_the_partners_with_standing_at_opening(session: Any, make: Any) -> None:
    members = make.partners(2)
    supporter = make.partner(category="supporter")
    suspended = make.partner()
    update_partner(session, None, suspended.id, status="suspended")
    sec = make.secretariat()

    round_ = make.open_round(make.proposal(sec), sec)

    assert round_.electorate == [p.id for p in members]
    for outsider in (supporter, suspended):
        with pytest.raises(NotInElectorate):
            rounds.register_position(
                session, sec, round_.id, outsider.id, "consent", note="By e-mail", now=T0
            )
        session.rollback()
    assert count(session, Position) == 0


def test_electorate_is_frozen_at_opening(session: Any, make: Any, three: Partnership) -> None:
    frozen = list(three.round.electorate)
    late = make.partner()
    update_partner(session, None, three.partners[2].id, status="suspended")

    assert rounds.get_round(session, three.round.id).electorate == frozen
    with pytest.raises(NotInElectorate):
        rounds.register_position(
            session, three.sec, three.round.id, late.id, "consent", note="By e-mail", now=T0
        )
    session.rollback()

    # The suspended partner is still part of this round: until it speaks, it is pending.
    three.say(session, 0, "consent")
    three.say(session, 1, "consent")
    with pytest.raises(PartnersPending):
        rounds.close_round(session, three.sec, three.round.id, now=BEFORE_DEADLINE)
    session.rollback()
    entry = rounds.close_round(session, three.sec, three.round.id, now=AFTER_DEADLINE)
    assert entry.tally == {"consent": 2, "stand_aside": 0, "object": 0, "pending": 1}
    assert {p["partner_id"] for p in entry.positions} == set(frozen)


def test_quorum_larger_than_the_electorate_refused(session: Any, make: Any) -> None:
    make.partners(2)
    sec = make.secretariat()
    proposal = make.proposal(sec)
    with pytest.raises(InvalidInput) as refusal:
        make.open_round(proposal, sec, quorum=3)
    assert refusal.value.field == "quorum"
    assert count(session, Round) == 0
    assert session.get(Proposal, proposal.id).status == ProposalStatus.DRAFT
    assert make.open_round(proposal, sec, quorum=2).quorum == 2


def test_opening_refusals(session: Any, make: Any, three: Partnership) -> None:
    with pytest.raises(RoundAlreadyOpen):
        make.open_round(three.proposal, three.sec)
    session.rollback()
    other = make.proposal(three.sec)
    with pytest.raises(DeadlineNotInFuture):
        rounds.open_round(session, three.sec, other.id, T0, now=T0)
    session.rollback()
    with pytest.raises(InvalidInput) as refusal:
        rounds.open_round(session, three.sec, other.id, DEADLINE, quorum=-1, now=T0)
    assert refusal.value.field == "quorum"
    assert count(session, Round) == 1


# --- consensus minus one ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (ProposalKind.SUSPENSION, PartnerStatus.SUSPENDED),
        (ProposalKind.REMOVAL, PartnerStatus.REMOVED),
    ],
)
def test_consensus_minus_one(
    session: Any, make: Any, kind: ProposalKind, status: PartnerStatus
) -> None:
    others = make.partners(2)
    subject = make.partner(name="Subject Org")
    subject_rep = make.representative(subject)
    sec = make.secretariat()
    proposal = make.proposal(sec, kind=str(kind), subject={"partner_id": subject.id})
    round_ = make.open_round(proposal, sec, quorum=1)  # silence does not count here

    assert subject.id not in round_.electorate
    assert round_.electorate == [p.id for p in others]
    with pytest.raises(NotInElectorate):
        rounds.register_position(
            session, subject_rep, round_.id, subject.id, "object", "No", now=T0
        )
    session.rollback()
    with pytest.raises(NotInElectorate):
        rounds.register_position(
            session, sec, round_.id, subject.id, "object", "No", note="Letter", now=T0
        )
    session.rollback()

    for partner in others:
        rounds.register_position(
            session, sec, round_.id, partner.id, "consent", note="E-mail", now=T0
        )
    entry = rounds.close_round(session, sec, round_.id, now=T0 + timedelta(hours=2))

    assert entry.outcome == Outcome.ADOPTED
    assert entry.effects == [
        {
            "effect": "partner_status",
            "partner_id": subject.id,
            "partner": "Subject Org",
            "from": "active",
            "to": str(status),
        }
    ]
    session.expire_all()
    assert session.get(Partner, subject.id).status == status
    assert log.verify(session).ok


def test_blocked_suspension_leaves_the_partner_active(session: Any, make: Any) -> None:
    others = make.partners(2)
    subject = make.partner()
    sec = make.secretariat()
    proposal = make.proposal(sec, kind="suspension", subject={"partner_id": subject.id})
    round_ = make.open_round(proposal, sec, quorum=1)
    rounds.register_position(
        session, sec, round_.id, others[0].id, "object", "Hear them first", note="Call", now=T0
    )
    entry = rounds.close_round(session, sec, round_.id, now=AFTER_DEADLINE)
    assert entry.outcome == Outcome.BLOCKED
    assert entry.effects == []
    session.expire_all()
    assert session.get(Partner, subject.id).status == PartnerStatus.ACTIVE


def test_effects_and_decision_commit_together_or_not_at_all(
    session: Any, make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An effect that fails undoes what it began, and the round stays open, unlogged."""
    voter = make.partners(2)[0]
    subject = make.partner()
    sec = make.secretariat()
    proposal = make.proposal(sec, kind="suspension", subject={"partner_id": subject.id})
    round_ = make.open_round(proposal, sec, quorum=1)
    rounds.register_position(session, sec, round_.id, voter.id, "consent", note="Call", now=T0)

    def suspend_then_fail(session: Any, proposal: Proposal) -> list[dict[str, Any]]:
        session.get(Partner, proposal.subject_partner_id).status = PartnerStatus.SUSPENDED
        raise RuntimeError("the effect failed half-way")

    failing = replace(kinds.RULES[ProposalKind.SUSPENSION], on_adopted=suspend_then_fail)
    monkeypatch.setitem(kinds.RULES, ProposalKind.SUSPENSION, failing)
    with pytest.raises(RuntimeError):
        rounds.close_round(session, sec, round_.id, now=AFTER_DEADLINE)
    session.rollback()

    assert session.get(Partner, subject.id).status == PartnerStatus.ACTIVE
    assert rounds.get_round(session, round_.id).is_open
    assert count(session, DecisionEntry) == 0


# --- amending and withdrawing -------------------------------------------------------------


def test_amendment_only_between_rounds(session: Any, make: Any) -> None:
    partner = make.partners(2)[0]
    sec = make.secretariat()
    proposal = make.proposal(sec, body="First text")

    proposals.amend_proposal(session, sec, proposal.id, body="Draft text", now=T0)
    assert proposal.body == "Draft text"

    first = make.open_round(proposal, sec)
    assert first.text == "Draft text"
    with pytest.raises(ProposalLocked):
        proposals.amend_proposal(session, sec, proposal.id, body="Changed mid-round", now=T0)
    session.rollback()
    assert session.get(Proposal, proposal.id).body == "Draft text"

    rounds.register_position(
        session, sec, first.id, partner.id, "object", "Say who pays", note="E-mail", now=T0
    )
    assert rounds.close_round(session, sec, first.id, now=AFTER_DEADLINE).outcome == Outcome.BLOCKED

    later = AFTER_DEADLINE + timedelta(days=1)
    proposals.amend_proposal(
        session, sec, proposal.id, title="Amended", body="The Secretariat pays", now=later
    )
    second = make.open_round(proposal, sec, now=later)
    assert second.number == 2
    assert (second.title, second.text) == ("Amended", "The Secretariat pays")
    assert first.text == "Draft text"  # the first round keeps the text it decided
    assert rounds.position_history(session, second.id, partner.id) == []
    entry = rounds.close_round(session, sec, second.id, now=later + timedelta(days=8))
    assert entry.outcome == Outcome.ADOPTED  # the old objection does not carry over
    assert entry.tally["object"] == 0

    with pytest.raises(ProposalLocked):
        proposals.amend_proposal(session, sec, proposal.id, body="After adoption", now=later)
    session.rollback()
    with pytest.raises(ProposalLocked):
        make.open_round(proposal, sec, now=later + timedelta(days=9))
    session.rollback()
    assert session.get(Proposal, proposal.id).body == "The Secretariat pays"


def test_withdrawing_closes_the_open_round_as_withdrawn(session: Any, three: Partnership) -> None:
    three.say(session, 0, "consent")
    moment = T0 + timedelta(days=2)
    proposals.withdraw_proposal(session, three.sec, three.proposal.id, now=moment)

    assert three.proposal.status == ProposalStatus.WITHDRAWN
    assert three.round.outcome == Outcome.WITHDRAWN
    assert three.round.closed_at == moment
    entry = session.scalars(select(DecisionEntry)).one()
    assert entry.outcome == Outcome.WITHDRAWN
    assert entry.round_id == three.round.id
    assert entry.tally["consent"] == 1

    with pytest.raises(ProposalLocked):
        proposals.withdraw_proposal(session, three.sec, three.proposal.id, now=moment)
    session.rollback()
    with pytest.raises(RoundNotOpen):
        three.say(session, 1, "consent", now=moment)
    assert count(session, DecisionEntry) == 1


def test_withdrawing_a_draft_makes_no_log_entry(session: Any, make: Any) -> None:
    author = make.representative(make.partner())
    proposal = make.proposal(author)
    proposals.withdraw_proposal(session, author, proposal.id, now=T0)
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert count(session, DecisionEntry) == 0
    with pytest.raises(ProposalLocked):
        proposals.withdraw_proposal(session, author, proposal.id, now=T0)


def test_only_author_or_secretariat_withdraws(session: Any, make: Any) -> None:
    author = make.representative(make.partner())
    stranger = make.representative(make.partner())
    proposal = make.proposal(author)
    with pytest.raises(NotAllowed):
        proposals.withdraw_proposal(session, stranger, proposal.id, now=T0)
    session.rollback()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.DRAFT


def test_extend_only_later_and_only_while_open(session: Any, three: Partnership) -> None:
    for earlier_or_same in (DEADLINE, DEADLINE - timedelta(days=1)):
        with pytest.raises(DeadlineNotLater):
            rounds.extend_round(session, three.sec, three.round.id, earlier_or_same, now=T0)
        session.rollback()
    assert rounds.get_round(session, three.round.id).deadline == DEADLINE

    new_deadline = DEADLINE + timedelta(days=3)
    rounds.extend_round(session, three.sec, three.round.id, new_deadline, now=T0)
    assert three.round.deadline == new_deadline
    three.say(session, 0, "consent", now=AFTER_DEADLINE)  # the old deadline no longer applies

    rounds.close_round(session, three.sec, three.round.id, now=new_deadline)
    with pytest.raises(RoundNotOpen):
        rounds.extend_round(
            session, three.sec, three.round.id, new_deadline + timedelta(days=1), now=new_deadline
        )


def test_extension_past_the_deadline_must_reach_the_future(
    session: Any, three: Partnership
) -> None:
    """A round whose deadline passed (not yet closed) may be reopened only into the future."""
    now = DEADLINE + timedelta(days=2)
    with pytest.raises(DeadlineNotInFuture):
        rounds.extend_round(
            session, three.sec, three.round.id, DEADLINE + timedelta(days=1), now=now
        )
    session.rollback()
    rounds.extend_round(session, three.sec, three.round.id, now + timedelta(days=1), now=now)
    assert three.say(session, 0, "consent", now=now).stance == "consent"


def test_default_quorum_comes_from_the_settings(session: Any, make: Any) -> None:
    make.partners(3)
    sec = make.secretariat()
    update_settings(session, sec, default_quorum=2)
    round_ = make.open_round(make.proposal(sec), sec)
    assert round_.quorum == 2
    entry = rounds.close_round(session, sec, round_.id, now=AFTER_DEADLINE)
    assert entry.outcome == Outcome.LAPSED


# --- the decision log ---------------------------------------------------------------------


def decide(make: Any, sec: Any, closed_at: datetime) -> DecisionEntry:
    """Open a round on a new proposal the day before ``closed_at`` and close it then."""
    opened = closed_at - timedelta(days=1)
    proposal = make.proposal(sec, now=opened)
    round_ = make.open_round(proposal, sec, days=1, now=opened)
    return rounds.close_round(make.session, sec, round_.id, now=closed_at)


@pytest.fixture
def three_entries(make: Any) -> list[DecisionEntry]:
    make.partners(2)
    sec = make.secretariat()
    return [
        decide(make, sec, datetime(2026, 5, 4, 12, 0, tzinfo=UTC)),
        decide(make, sec, datetime(2026, 12, 31, 23, 0, tzinfo=UTC)),
        decide(make, sec, datetime(2027, 1, 2, 8, 0, tzinfo=UTC)),
    ]


def test_log_numbers_restart_each_year_and_chain(
    session: Any, three_entries: list[DecisionEntry]
) -> None:
    assert [e.number for e in three_entries] == ["2026/001", "2026/002", "2027/001"]
    assert three_entries[0].prev_hash == log.GENESIS
    for before, after in zip(three_entries, three_entries[1:], strict=False):
        assert after.prev_hash == before.hash
    for entry in three_entries:
        assert entry.hash == log.hash_content(log.content_of(entry))
    result = log.verify(session)
    assert (result.ok, result.count, result.first_bad) == (True, 3, None)


def test_empty_log_verifies(session: Any) -> None:
    result = log.verify(session)
    assert (result.ok, result.count, result.first_bad) == (True, 0, None)


def tamper(session: Any, sql: str, **params: Any) -> None:
    """Change the table behind the app's back: plain SQL, no model, no service."""
    session.execute(text(sql), params)
    session.commit()


def test_altered_text_is_detected(session: Any, three_entries: list[DecisionEntry]) -> None:
    middle = three_entries[1].id
    tamper(session, "UPDATE decisions SET text = :text WHERE id = :id", text="Forged", id=middle)
    result = log.verify(session)
    assert (result.ok, result.count, result.first_bad) == (False, 3, middle)


def test_alteration_seen_even_by_a_session_holding_the_entries(
    session: Any, three_entries: list[DecisionEntry]
) -> None:
    first = three_entries[0]
    assert first.text  # loaded into the session before the change
    session.execute(
        text("UPDATE decisions SET outcome = 'blocked' WHERE id = :id"), {"id": first.id}
    )
    result = log.verify(session)
    assert (result.ok, result.first_bad) == (False, first.id)
    session.rollback()


def test_rehashed_entry_still_breaks_the_chain(
    session: Any, three_entries: list[DecisionEntry]
) -> None:
    """A forger who recomputes the altered entry's own hash still breaks the next link."""
    first = three_entries[0]
    content = log.content_of(first) | {"text": "Forged"}
    tamper(
        session,
        "UPDATE decisions SET text = :text, hash = :hash WHERE id = :id",
        text="Forged",
        hash=log.hash_content(content),
        id=first.id,
    )
    result = log.verify(session)
    assert (result.ok, result.first_bad) == (False, three_entries[1].id)


def test_removed_entry_is_detected(session: Any, three_entries: list[DecisionEntry]) -> None:
    tamper(session, "DELETE FROM decisions WHERE id = :id", id=three_entries[0].id)
    result = log.verify(session)
    assert (result.ok, result.count, result.first_bad) == (False, 2, three_entries[1].id)
