"""What waits for whom: the Secretariat's to-do list and a partner's or observer's home.

Read-only. Each function loads what it shows in a fixed number of statements, however
many rounds, partners or positions there are: the open rounds, their proposals, their
electors with their partners, the current positions of all of them, and, for the
Secretariat, the applications, the drafts and the objections without an answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from decisions import objections
from decisions.application_models import Application, ApplicationStatus
from decisions.clock import as_utc
from decisions.closing import CurrentPosition, current_positions, tally_of
from decisions.consensus import Stance, Tally
from decisions.deliberation_models import Objection
from decisions.models import Elector, Partner, Proposal, ProposalStatus, Round

#: a round whose deadline comes within this time, with partners pending, is flagged
SOON = timedelta(hours=24)
#: partners named in one item; the rest are counted ("and 12 more")
NAMED = 8


@dataclass(frozen=True)
class RoundItem:
    """An open round, its tally, and who has not spoken or objects."""

    round: Round
    tally: Tally
    #: partner id -> current position, for the partners who have spoken
    positions: dict[int, CurrentPosition]
    #: electors without a position, by name
    pending: list[Partner]
    #: electors whose current position is an objection, by name
    objectors: list[Partner]

    @property
    def pending_named(self) -> list[Partner]:
        return self.pending[:NAMED]

    @property
    def pending_unnamed(self) -> int:
        return max(len(self.pending) - NAMED, 0)

    def stance_of(self, partner_id: int) -> str | None:
        """The partner's current stance, None when it has not spoken."""
        position = self.positions.get(partner_id)
        return str(position.stance) if position else None


@dataclass(frozen=True)
class SecretariatTodo:
    """What waits for the Secretariat, group by group, each oldest or most urgent first."""

    #: open rounds whose deadline has passed: only closing them records the decision
    to_close: list[RoundItem]
    #: open rounds, deadline not passed, in which a partner objects
    objected: list[RoundItem]
    #: open rounds whose deadline comes within ``SOON`` with partners still pending
    closing_soon: list[RoundItem]
    #: applications with no recommendation yet, oldest first
    applications: Sequence[Application]
    #: proposals drafted and not put to a round yet, oldest first
    drafts: Sequence[Proposal]
    #: objections left by closed rounds that nobody has answered yet, oldest first
    unanswered_objections: Sequence[Objection]
    #: every open round, soonest deadline first (the overview under the list)
    open_rounds: list[RoundItem]

    @property
    def waiting(self) -> int:
        """How many things wait, all groups together."""
        return (
            len(self.to_close)
            + len(self.objected)
            + len(self.closing_soon)
            + len(self.applications)
            + len(self.drafts)
            + len(self.unanswered_objections)
        )


@dataclass(frozen=True)
class ReaderHome:
    """A partner representative's or an observer's home."""

    #: open rounds in which the partner may still speak and has not: first on the page
    awaiting: list[RoundItem]
    #: every other open round, soonest deadline first
    others: list[RoundItem]


def open_round_items(session: Session) -> list[RoundItem]:
    """Every open round, soonest deadline first, with its proposal, electors (with their
    partners) and current positions: four statements whatever their number."""
    found = session.scalars(
        select(Round)
        .where(Round.closed_at.is_(None))
        .options(
            selectinload(Round.proposal),
            selectinload(Round.electors).joinedload(Elector.partner),
        )
        .order_by(Round.deadline, Round.id)
    ).all()
    positions = current_positions(session, [r.id for r in found])
    return [_item(r, positions[r.id]) for r in found]


def _item(round_: Round, positions: dict[int, CurrentPosition]) -> RoundItem:
    electors = sorted((e.partner for e in round_.electors), key=lambda p: p.name.casefold())
    return RoundItem(
        round=round_,
        tally=tally_of(round_, positions),
        positions=positions,
        pending=[p for p in electors if p.id not in positions],
        objectors=[
            p for p in electors if p.id in positions and positions[p.id].stance == Stance.OBJECT
        ],
    )


def secretariat_todo(session: Session, now: datetime) -> SecretariatTodo:
    """The Secretariat's to-do list at ``now``: seven statements whatever the numbers."""
    moment = as_utc(now)
    items = open_round_items(session)
    passed = [i for i in items if as_utc(i.round.deadline) <= moment]
    running = [i for i in items if as_utc(i.round.deadline) > moment]
    waiting_applications = session.scalars(
        select(Application)
        .where(Application.status == ApplicationStatus.RECEIVED)
        .order_by(Application.created_at, Application.id)
    ).all()
    drafts = session.scalars(
        select(Proposal)
        .where(Proposal.status == ProposalStatus.DRAFT)
        .options(joinedload(Proposal.created_by))
        .order_by(Proposal.created_at, Proposal.id)
    ).all()
    return SecretariatTodo(
        to_close=passed,
        objected=[i for i in running if i.objectors],
        closing_soon=[
            i for i in running if i.pending and as_utc(i.round.deadline) - moment <= SOON
        ],
        applications=waiting_applications,
        drafts=drafts,
        unanswered_objections=objections.unanswered(session),
        open_rounds=items,
    )


def reader_home(session: Session, partner_id: int | None, now: datetime) -> ReaderHome:
    """The open rounds as a partner's representative (``partner_id``) or an observer
    (None) sees them at ``now``: those waiting for the partner's position first."""
    moment = as_utc(now)
    items = open_round_items(session)
    awaiting = [
        i
        for i in items
        if partner_id is not None
        and partner_id in i.round.electorate
        and partner_id not in i.positions
        and as_utc(i.round.deadline) > moment
    ]
    waiting_ids = {i.round.id for i in awaiting}
    return ReaderHome(awaiting=awaiting, others=[i for i in items if i.round.id not in waiting_ids])
