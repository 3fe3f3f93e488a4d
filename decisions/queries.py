"""Read models for pages and the API: each loads what it shows in a fixed number of
queries, however many partners or positions there are."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from decisions.clock import now as clock_now
from decisions.closing import CurrentPosition, current_positions, tally_of
from decisions.consensus import Outcome, Stance, Tally, tally
from decisions.errors import NotFound
from decisions.lookup import is_row_id
from decisions.models import Channel, DecisionEntry, Elector, Partner, Position, Proposal, Round
from decisions.paging import DEFAULT_PER_PAGE, Page, paginate
from decisions.position_groups import Grouped, Said, grouped
from decisions.proposals import proposals_query


@dataclass(frozen=True)
class OpenRound:
    round: Round
    tally: Tally


def open_rounds(session: Session) -> list[OpenRound]:
    """Every open round, soonest deadline first, with its tally so far."""
    found = session.scalars(
        select(Round)
        .where(Round.closed_at.is_(None))
        .options(selectinload(Round.proposal), selectinload(Round.electors))
        .order_by(Round.deadline)
    ).all()
    positions = current_positions(session, [r.id for r in found])
    return [OpenRound(r, tally_of(r, positions[r.id])) for r in found]


def rounds_awaiting(
    session: Session, partner_id: int, now: datetime | None = None
) -> Sequence[Round]:
    """Open rounds in whose electorate the partner is, where it has not yet spoken and
    may still speak: a round whose deadline has passed no longer takes a position."""
    moment = now or clock_now()
    spoken = select(Position.round_id).where(Position.partner_id == partner_id)
    return session.scalars(
        select(Round)
        .join(Elector, Elector.round_id == Round.id)
        .where(
            Round.closed_at.is_(None),
            Round.deadline > moment,
            Elector.partner_id == partner_id,
            Round.id.not_in(spoken),
        )
        .options(selectinload(Round.proposal))
        .order_by(Round.deadline)
    ).all()


class PartnerName(NamedTuple):
    """A partner of a round's electorate, as the round's table names it."""

    id: int
    name: str


@dataclass(frozen=True)
class ElectorRow:
    """One partner of a round's electorate and its current position (None: pending)."""

    partner: PartnerName
    position: CurrentPosition | None

    @property
    def stance(self) -> str:
        return str(self.position.stance) if self.position else "pending"


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    tally: Tally
    #: every elector, by partner name
    rows: list[ElectorRow]
    #: the decision log entry, once the round is closed
    decision_id: int | None
    #: the partners' ids, as Round.electorate has them
    electorate: list[int]

    @property
    def pending(self) -> list[PartnerName]:
        return [row.partner for row in self.rows if row.position is None]

    @property
    def objections(self) -> list[ElectorRow]:
        """The partners who object (or objected, once closed), with their reasons."""
        return [row for row in self.rows if row.stance == Stance.OBJECT]

    @cached_property
    def grouped(self) -> Grouped[ElectorRow]:
        """The positions to show whole, and the partners to name by stance alone."""
        return grouped(self.rows, _said)


def _said(row: ElectorRow) -> Said:
    position = row.position
    if position is None:
        return Said("pending", "", on_behalf=False)
    by_email = position.channel == Channel.EMAIL
    return Said(str(position.stance), position.reason, position.on_behalf, by_email)


@dataclass(frozen=True)
class ProposalOverview:
    """A proposal with its rounds and their tallies: what its page and the API show."""

    proposal: Proposal
    #: newest first
    rounds: list[RoundSummary]
    #: the partner a suspension or removal is about
    subject_partner: Partner | None

    @property
    def open_round(self) -> RoundSummary | None:
        return next((summary for summary in self.rounds if summary.round.is_open), None)

    @property
    def blocked_round(self) -> RoundSummary | None:
        """The latest round, when it closed blocked: who blocked the proposal and why
        is what its page says first. None once a new round is open."""
        latest = self.rounds[0] if self.rounds else None
        if latest is None or latest.round.outcome != Outcome.BLOCKED:
            return None
        return latest


#: what a proposal is loaded with: its author and its rounds (their electors, positions
#: and decisions are read as columns by ``_overviews_of``)
_IN_FULL = (joinedload(Proposal.created_by), selectinload(Proposal.rounds))


def proposal_overview(session: Session, proposal_id: int) -> ProposalOverview:
    """A proposal with its rounds, tallies and every elector's current position.

    The statement count does not grow with the partners or rounds: the proposal, its
    rounds, then one statement each for their electors' names, their positions and their
    decisions' ids, and one for the subject partner when there is one.
    """
    if not is_row_id(proposal_id):  # never sent to the database: it would overflow there
        raise NotFound(_l("No such proposal."))
    proposal = session.scalar(select(Proposal).where(Proposal.id == proposal_id).options(*_IN_FULL))
    if proposal is None:
        raise NotFound(_l("No such proposal."))
    overview = _overviews_of(session, [proposal])[0]
    if proposal.subject_partner_id is None:
        return overview
    subject_partner = session.scalar(
        select(Partner).where(Partner.id == proposal.subject_partner_id)
    )
    return ProposalOverview(
        proposal=proposal, rounds=overview.rounds, subject_partner=subject_partner
    )


def proposal_list(
    session: Session,
    status: str | None = None,
    page: object = 1,
    per_page: object = None,
    default_per_page: int = DEFAULT_PER_PAGE,
) -> Page[ProposalOverview]:
    """A page of proposals, newest first, each with its rounds as ``proposal_overview`` has
    them (without the subject partner), in a fixed number of statements."""
    found = paginate(
        session, proposals_query(status).options(*_IN_FULL), page, per_page, default_per_page
    )
    return Page(
        items=_overviews_of(session, found.items),
        number=found.number,
        per_page=found.per_page,
        total=found.total,
    )


def round_summary(session: Session, round_id: int) -> RoundSummary:
    """One round as the proposal page shows it."""
    if not is_row_id(round_id):
        raise NotFound(_l("No such round."))
    round_ = session.scalar(select(Round).where(Round.id == round_id))
    if round_ is None:
        raise NotFound(_l("No such round."))
    return _summaries(session, [round_])[round_.id]


def _overviews_of(session: Session, proposals: Sequence[Proposal]) -> list[ProposalOverview]:
    """Rounds newest first, with the electors, positions and decisions of all of them
    in one statement each."""
    summaries = _summaries(session, [r for p in proposals for r in p.rounds])
    return [
        ProposalOverview(
            proposal=proposal,
            rounds=[summaries[r.id] for r in reversed(proposal.rounds)],
            subject_partner=None,
        )
        for proposal in proposals
    ]


def _summaries(session: Session, rounds: Sequence[Round]) -> dict[int, RoundSummary]:
    ids = [r.id for r in rounds]
    electors: dict[int, list[PartnerName]] = {round_id: [] for round_id in ids}
    positions = current_positions(session, ids)
    decisions: dict[int, int] = {}
    if ids:
        for round_id, partner_id, name in session.execute(
            select(Elector.round_id, Partner.id, Partner.name)
            .join(Partner, Partner.id == Elector.partner_id)
            .where(Elector.round_id.in_(ids))
            .order_by(Elector.partner_id)
        ):
            electors[round_id].append(PartnerName(partner_id, name))
        decided = select(DecisionEntry.round_id, DecisionEntry.id)
        for round_id, decision_id in session.execute(
            decided.where(DecisionEntry.round_id.in_(ids))
        ):
            decisions[round_id] = decision_id
    return {r.id: _summary(r, electors[r.id], positions[r.id], decisions.get(r.id)) for r in rounds}


def _summary(
    round_: Round,
    electors: list[PartnerName],
    positions: dict[int, CurrentPosition],
    decision_id: int | None,
) -> RoundSummary:
    rows = sorted(
        (ElectorRow(partner, positions.get(partner.id)) for partner in electors),
        key=lambda row: row.partner.name.casefold(),
    )
    electorate = [partner.id for partner in electors]
    stances = {partner_id: position.stance for partner_id, position in positions.items()}
    return RoundSummary(
        round=round_,
        tally=tally(electorate, stances, round_.quorum),
        rows=rows,
        decision_id=decision_id,
        electorate=electorate,
    )
