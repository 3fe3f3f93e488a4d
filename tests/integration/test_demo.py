"""The demo partnership: filled through the services, a valid log, refused twice."""

import pytest
from sqlalchemy import func, select

from app.demo import PARTNERSHIP, DemoRefused, fill
from decisions import applications, comments, log_search, objections, passwords, settings
from decisions import partners as partners_domain
from decisions.application_models import ApplicationStatus
from decisions.clock import now
from decisions.consensus import Outcome
from decisions.deliberation_models import ObjectionStatus
from decisions.log import verify
from decisions.models import (
    DecisionEntry,
    Partner,
    PartnerStatus,
    Position,
    Proposal,
    ProposalStatus,
    Role,
    Round,
    User,
)
from notifications.models import OutboxMessage


@pytest.fixture
def logins(session):  # type: ignore[no-untyped-def]
    return fill(session)


def test_demo_has_every_status_every_outcome_and_an_intact_log(session, logins):  # type: ignore[no-untyped-def]
    statuses = set(session.scalars(select(Proposal.status)))
    assert statuses == set(ProposalStatus)  # draft, open, adopted, not_adopted, withdrawn
    outcomes = set(session.scalars(select(DecisionEntry.outcome)))
    assert {Outcome.ADOPTED, Outcome.BLOCKED, Outcome.LAPSED, Outcome.WITHDRAWN} <= outcomes
    result = verify(session)
    assert result.ok and result.count >= 5
    numbers = [
        entry.number for entry in session.scalars(select(DecisionEntry).order_by(DecisionEntry.id))
    ]
    assert len(set(numbers)) == len(numbers)
    blocked = log_search.search_log(session, outcome="blocked").items[0]
    objection = next(p for p in blocked.positions if p["stance"] == "object")
    assert objection["reason"]


def test_demo_suspends_a_partner_by_consensus_minus_one(session, logins):  # type: ignore[no-untyped-def]
    suspended = session.scalars(
        select(Partner).where(Partner.status == PartnerStatus.SUSPENDED)
    ).all()
    assert len(suspended) == 1
    entry = log_search.search_log(session, kind="suspension").items[0]
    assert entry.outcome == Outcome.ADOPTED
    assert entry.effects[0]["partner_id"] == suspended[0].id
    assert suspended[0].id not in {p["partner_id"] for p in entry.positions}


def test_demo_open_round_is_open_with_positions_in(session, logins):  # type: ignore[no-untyped-def]
    round_ = session.scalar(select(Round).where(Round.closed_at.is_(None)).order_by(Round.id))
    assert round_ is not None
    assert round_.deadline > now() and round_.opened_at < now()
    positions = session.scalars(select(Position).where(Position.round_id == round_.id)).all()
    assert any(p.stance == "stand_aside" and p.reason for p in positions)
    assert any(p.on_behalf and p.note for p in positions)
    assert any(p.channel == "email" for p in positions)  # a reply to the round's e-mail
    assert len({p.partner_id for p in positions}) < len(round_.electorate)  # some pending


def test_demo_shows_the_whole_cycle_of_deliberation(session, logins):  # type: ignore[no-untyped-def]
    """A first round blocked, a discussion with a reply, the objection answered, the text
    amended and a second round open; and elsewhere an objection resolved by a later round."""
    talked = [
        proposal
        for proposal in session.scalars(select(Proposal).order_by(Proposal.id))
        if len(proposal.rounds) == 2 and proposal.open_round is not None
    ]
    assert len(talked) == 1
    proposal = talked[0]
    assert proposal.rounds[0].outcome == Outcome.BLOCKED
    discussion = comments.comments_of(session, proposal.id)
    assert len(discussion) >= 3 and any(c.reply_to_id for c in discussion)
    (objection,) = objections.objections_of(session, proposal.id)
    assert objection.status == ObjectionStatus.ANSWERED and objection.answer
    resolved = [
        o
        for entry in log_search.search_log(session, outcome="adopted").items
        for o in objections.resolved_by_round(session, entry.round_id)
    ]
    assert resolved and all(o.status == ObjectionStatus.RESOLVED and o.answer for o in resolved)


def test_demo_people_and_partners(session, logins):  # type: ignore[no-untyped-def]
    partnership = settings.get_partnership(session)
    assert partnership.name == PARTNERSHIP
    assert partnership.time_zone == "Asia/Singapore"
    partners = partners_domain.partners(session)
    assert len(partners) >= 10
    assert len({p.country for p in partners}) == len(partners)
    assert set(partnership.regional_focus) == {p.country for p in partners}
    categories = [p.category.slug for p in partners]
    assert categories.count("supporter") == 1 and categories.count("focal_point") == 1
    roles = {role: session.scalar(select(func.count()).where(User.role == role)) for role in Role}
    assert roles[Role.SECRETARIAT] == 1 and roles[Role.OBSERVER] == 1
    members = [p for p in partners if p.category.slug == "member"]
    reps = session.scalars(select(User).where(User.role == Role.PARTNER)).all()
    assert {u.partner_id for u in reps} == {p.id for p in members}
    assert len(reps) == len(members) + 1  # one partner has two representatives
    assert len(logins) == len(reps) + 2
    for _role, email, password in logins:
        assert passwords.authenticate(session, email, password) is not None


def test_demo_has_applications_for_the_secretariat_to_review(session, logins):  # type: ignore[no-untyped-def]
    waiting = applications.applications(session)
    assert [a.status for a in waiting] == [ApplicationStatus.RECEIVED] * 2
    verdicts = {a.organisation_name: applications.eligibility(session, a) for a in waiting}
    assert sorted(v.eligible for v in verdicts.values()) == [False, True]
    refused = next(v for v in verdicts.values() if not v.eligible)
    assert [r.code for r in refused.reasons] == ["government_controlled"]
    # Told to the Secretariat's inbox, but no e-mail goes to the invented applicants.
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_second_fill_is_refused_and_changes_nothing(session, logins):  # type: ignore[no-untyped-def]
    before = session.scalar(select(func.count()).select_from(Partner))
    with pytest.raises(DemoRefused):
        fill(session)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Partner)) == before


def test_cli_demo_prints_the_logins_and_refuses_twice(ctx):  # type: ignore[no-untyped-def]
    runner = ctx.test_cli_runner()
    result = runner.invoke(args=["accord", "demo"])
    assert result.exit_code == 0, result.output
    assert "secretariat@coral-sea.example" in result.output
    assert "demo-secretariat" in result.output
    assert "demo-partner" in result.output and "demo-observer" in result.output
    again = runner.invoke(args=["accord", "demo"])
    assert again.exit_code != 0
    assert "already holds partners" in again.output
    verified = runner.invoke(args=["accord", "verify-log"])
    assert verified.exit_code == 0 and "intact" in verified.output
