"""Rounds on a real database: opening, positions, closing, the log."""

from datetime import timedelta

import pytest

from decisions import rounds
from decisions.consensus import Outcome
from decisions.errors import (
    DeadlineNotInFuture,
    DeadlinePassed,
    NoteRequired,
    NotInElectorate,
    PartnersPending,
    ReasonRequired,
    RoundAlreadyOpen,
    RoundClosed,
)
from decisions.models import Position, ProposalStatus
from tests.conftest import T0


@pytest.fixture
def three(make):  # type: ignore[no-untyped-def]
    partners = make.partners(3)
    reps = [make.representative(p) for p in partners]
    sec = make.secretariat()
    proposal = make.proposal(sec)
    round_ = make.open_round(proposal, sec)
    return partners, reps, sec, proposal, round_


def test_round_adopts_when_everyone_consents(session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    for partner, rep in zip(partners, reps, strict=True):
        rounds.register_position(session, rep, round_.id, partner.id, "consent", now=T0)
    entry = rounds.close_round(session, sec, round_.id, now=T0 + timedelta(hours=1))
    assert entry.outcome == Outcome.ADOPTED
    assert entry.number == "2026/001"
    assert proposal.status == ProposalStatus.ADOPTED


def test_close_before_deadline_refused_while_pending(session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    rounds.register_position(session, reps[0], round_.id, partners[0].id, "consent", now=T0)
    with pytest.raises(PartnersPending):
        rounds.close_round(session, sec, round_.id, now=T0 + timedelta(days=1))
    after = T0 + timedelta(days=8)
    entry = rounds.close_round(session, sec, round_.id, now=after)
    assert entry.outcome == Outcome.ADOPTED  # silence procedure: quorum 0


def test_objection_needs_reason_and_blocks(session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    with pytest.raises(ReasonRequired):
        rounds.register_position(session, reps[0], round_.id, partners[0].id, "object", "  ", now=T0)
    session.rollback()
    assert session.query(Position).count() == 0
    rounds.register_position(session, reps[0], round_.id, partners[0].id, "object", "Too soon", now=T0)
    entry = rounds.close_round(session, sec, round_.id, now=T0 + timedelta(days=8))
    assert entry.outcome == Outcome.BLOCKED
    assert proposal.status == ProposalStatus.NOT_ADOPTED


def test_position_after_deadline_refused(session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    with pytest.raises(DeadlinePassed):
        rounds.register_position(
            session, reps[0], round_.id, partners[0].id, "consent", now=T0 + timedelta(days=7)
        )


def test_on_behalf_needs_note(session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    with pytest.raises(NoteRequired):
        rounds.register_position(session, sec, round_.id, partners[0].id, "consent", now=T0)
    session.rollback()
    position = rounds.register_position(
        session, sec, round_.id, partners[0].id, "consent", note="Letter of 1 March", now=T0
    )
    assert position.on_behalf and position.note == "Letter of 1 March"


def test_electorate_frozen_and_second_round(session, make, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    late = make.partner()
    with pytest.raises(NotInElectorate):
        rounds.register_position(session, sec, round_.id, late.id, "consent", note="x", now=T0)
    session.rollback()
    with pytest.raises(RoundAlreadyOpen):
        make.open_round(proposal, sec)
    session.rollback()
    other = make.proposal(sec)
    with pytest.raises(DeadlineNotInFuture):
        rounds.open_round(session, sec, other.id, T0, now=T0)


def test_closed_round_refuses(session, three):  # type: ignore[no-untyped-def]
    partners, reps, sec, proposal, round_ = three
    rounds.close_round(session, sec, round_.id, now=T0 + timedelta(days=8))
    with pytest.raises(RoundClosed):
        rounds.register_position(session, reps[0], round_.id, partners[0].id, "consent", now=T0)
