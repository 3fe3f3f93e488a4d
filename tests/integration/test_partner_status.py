"""A partner's status: the Secretariat suspends and reactivates, but removal, and a removed
partner's return, happen only by a decision of the partnership. A suspension decided
after a removal never brings the removed partner back."""

from datetime import timedelta
from typing import Any

import pytest

from decisions import log, partners, rounds, settings
from decisions.consensus import Outcome
from decisions.errors import InvalidInput
from decisions.models import (
    DecisionEntry,
    Partner,
    PartnerStatus,
    Proposal,
    ProposalStatus,
    Round,
)
from tests.conftest import T0

CLOSING = T0 + timedelta(days=8)  # after the factory's seven-day deadline


def status_of(session: Any, partner: Partner) -> PartnerStatus:
    session.expire_all()
    return session.get(Partner, partner.id).status


def adopt(session: Any, sec: Any, proposal: Proposal) -> DecisionEntry:
    """Close the proposal's open round after its deadline: with quorum 0 silence adopts."""
    round_ = proposal.open_round
    assert round_ is not None
    return rounds.close_round(session, sec, round_.id, now=CLOSING)


@pytest.fixture(autouse=True)
def silence_counts(session: Any) -> None:
    """These tests are about the partner's status, and their rounds adopt by silence: the
    partnership allows it on suspensions and removals (its rules per kind)."""
    settings.update_settings(
        session,
        None,
        kind_rules={"suspension": {"allow_silence": True}, "removal": {"allow_silence": True}},
    )


@pytest.fixture
def subject(make: Any) -> Partner:
    make.partners(2)
    return make.partner("Subject Org")


def test_a_suspension_adopted_after_a_removal_leaves_the_partner_removed(
    session: Any, make: Any, login: Any, subject: Partner
) -> None:
    sec = make.secretariat()
    on_partner = {"partner_id": subject.id}
    suspension = make.proposal(sec, kind="suspension", subject=on_partner)
    removal = make.proposal(sec, kind="removal", subject=on_partner)
    make.open_round(suspension, sec)
    make.open_round(removal, sec)  # both open at once: each was checked while it was active

    adopt(session, sec, removal)
    assert status_of(session, subject) == PartnerStatus.REMOVED
    entry = adopt(session, sec, session.get(Proposal, suspension.id))

    assert entry.outcome == Outcome.ADOPTED
    assert status_of(session, subject) == PartnerStatus.REMOVED
    assert entry.effects == [
        {
            "effect": "partner_status",
            "partner_id": subject.id,
            "partner": "Subject Org",
            "from": "removed",
            "to": "removed",
            "unchanged": True,
        }
    ]
    assert log.verify(session).ok
    page = login(sec).page(f"/decisions/{entry.id}").get_text(" ", strip=True)
    assert "Subject Org: no change, the partner is Removed already." in page


@pytest.mark.parametrize(
    ("kind", "decided_first", "message"),
    [
        ("suspension", "suspension", "This partner is not active."),
        ("suspension", "removal", "This partner is removed already."),
        ("removal", "removal", "This partner is removed already."),
    ],
)
def test_a_round_opens_only_while_the_subject_still_fits(
    session: Any, make: Any, subject: Partner, kind: str, decided_first: str, message: str
) -> None:
    """Drafted while the partner was active; another decision changed it meanwhile."""
    sec = make.secretariat()
    later = make.proposal(sec, kind=kind, subject={"partner_id": subject.id})
    first = make.proposal(sec, kind=decided_first, subject={"partner_id": subject.id})
    make.open_round(first, sec)
    adopt(session, sec, first)

    with pytest.raises(InvalidInput, match=message) as refused:
        make.open_round(session.get(Proposal, later.id), sec, now=CLOSING)
    assert refused.value.field == "subject"
    session.rollback()
    assert session.get(Proposal, later.id).status == ProposalStatus.DRAFT
    assert session.query(Round).filter_by(proposal_id=later.id).count() == 0


def test_a_removal_may_still_open_on_a_suspended_partner(
    session: Any, make: Any, subject: Partner
) -> None:
    sec = make.secretariat()
    removal = make.proposal(sec, kind="removal", subject={"partner_id": subject.id})
    partners.update_partner(session, sec, subject.id, status="suspended")
    round_ = make.open_round(removal, sec)
    assert round_.is_open and subject.id not in round_.electorate


def test_the_secretariat_suspends_and_reactivates(
    session: Any, make: Any, subject: Partner
) -> None:
    sec = make.secretariat()
    partners.update_partner(session, sec, subject.id, status="suspended")
    assert status_of(session, subject) == PartnerStatus.SUSPENDED
    partners.update_partner(session, sec, subject.id, status="active")
    assert status_of(session, subject) == PartnerStatus.ACTIVE


@pytest.mark.parametrize("start", ["active", "suspended"])
def test_the_secretariat_cannot_remove_by_an_edit(
    session: Any, make: Any, subject: Partner, start: str
) -> None:
    sec = make.secretariat()
    partners.update_partner(session, sec, subject.id, status=start)
    with pytest.raises(InvalidInput, match="removed only by decision") as refused:
        partners.update_partner(session, sec, subject.id, name="Renamed", status="removed")
    assert refused.value.field == "status"
    session.rollback()
    partner = session.get(Partner, subject.id)
    assert (partner.name, partner.status) == ("Subject Org", PartnerStatus(start))


@pytest.mark.parametrize("wanted", ["active", "suspended"])
def test_a_removed_partner_returns_only_by_decision(
    session: Any, make: Any, subject: Partner, wanted: str
) -> None:
    sec = make.secretariat()
    removal = make.proposal(sec, kind="removal", subject={"partner_id": subject.id})
    make.open_round(removal, sec)
    adopt(session, sec, removal)
    with pytest.raises(InvalidInput, match="returns only by decision") as refused:
        partners.update_partner(session, sec, subject.id, status=wanted)
    assert refused.value.field == "status"
    session.rollback()
    assert status_of(session, subject) == PartnerStatus.REMOVED
    # Its other details may still be corrected; its status stays what the decision made it.
    partners.update_partner(session, sec, subject.id, name="Subject Org (former)")
    partners.update_partner(session, sec, subject.id, status="removed")
    partner = session.get(Partner, subject.id)
    assert (partner.name, partner.status) == ("Subject Org (former)", PartnerStatus.REMOVED)
