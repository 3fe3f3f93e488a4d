"""Proposals: drafting, amending between rounds, withdrawing."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from decisions import access, languages, proposal_texts, round_lock, validation
from decisions.clock import now as clock_now
from decisions.closing import record_outcome
from decisions.collector import collector_paused
from decisions.consensus import Outcome
from decisions.errors import InvalidInput, NotAllowed, ProposalLocked
from decisions.kinds import RULES
from decisions.lookup import get_row
from decisions.models import (
    BODY_MAX,
    TITLE_MAX,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Role,
    Round,
    User,
)
from decisions.settings import get_partnership
from decisions.unit_of_work import unit_of_work

AMENDABLE = (ProposalStatus.DRAFT, ProposalStatus.NOT_ADOPTED)


def get_proposal(session: Session, proposal_id: int, *, lock: bool = False) -> Proposal:
    return get_row(session, Proposal, proposal_id, _l("No such proposal."), lock=lock)


def proposals_query(status: str | None = None) -> Select[Proposal]:
    """Proposals, newest first; only those with ``status`` when one is given."""
    query = select(Proposal).order_by(Proposal.id.desc())
    if status:
        query = query.where(Proposal.status == validation.choice(ProposalStatus, status, "status"))
    return query


def proposals(session: Session, status: str | None = None) -> Sequence[Proposal]:
    return session.scalars(proposals_query(status)).all()


def can_amend(actor: User, proposal: Proposal) -> bool:
    return _may_manage(actor, proposal) and proposal.status in AMENDABLE


def can_withdraw(actor: User, proposal: Proposal) -> bool:
    return _may_manage(actor, proposal) and proposal.status in (*AMENDABLE, ProposalStatus.OPEN)


def _may_manage(actor: User, proposal: Proposal) -> bool:
    return actor.role == Role.SECRETARIAT or actor.id == proposal.created_by_id


def draft_proposal(
    session: Session,
    actor: User,
    title: str,
    body: str,
    kind: str = "general",
    subject: dict[str, Any] | None = None,
    now: datetime | None = None,
    *,
    language: str | None = None,
    translations: Mapping[str, Any] | None = None,
) -> Proposal:
    """A draft by ``actor``, its text in ``language`` (the partnership's when None) with
    ``translations`` into others."""
    with unit_of_work(session):
        if actor.role not in (Role.SECRETARIAT, Role.PARTNER):
            raise NotAllowed(
                _l("Only the Secretariat and partner representatives submit proposals.")
            )
        if not access.has_a_say(actor):
            raise NotAllowed(
                _l("Your organisation is suspended or removed: it cannot submit proposals.")
            )
        proposal = new_draft(session, actor, title, body, kind, subject, now or clock_now())
        if language is not None:
            proposal.language = languages.language(language, field="language")
        proposal.translations = proposal_texts.revised({}, translations or {}, proposal.language)
        return proposal


def new_draft(
    session: Session,
    author: User,
    title: str,
    body: str,
    kind: str,
    subject: dict[str, Any] | None,
    moment: datetime,
) -> Proposal:
    """A checked draft, added and flushed; the caller decides who may, and commits."""
    proposal_kind = validation.choice(ProposalKind, kind, "kind")
    proposal = Proposal(
        title=validation.line(title, "title", TITLE_MAX),
        body=validation.text(body, "body", BODY_MAX),
        kind=proposal_kind,
        subject=checked_subject(session, proposal_kind, subject),
        status=ProposalStatus.DRAFT,
        created_by_id=author.id,
        created_at=moment,
        updated_at=moment,
        # Written, until the author says otherwise, in the language the partnership works in.
        language=get_partnership(session).language,
        translations={},
    )
    session.add(proposal)
    session.flush()
    return proposal


def checked_subject(
    session: Session, kind: ProposalKind, subject: dict[str, Any] | None
) -> dict[str, Any] | None:
    """What the proposal acts on, checked for its kind: when it is drafted, and again
    when a round opens on it, since the partner concerned may have changed meanwhile
    (a partner already suspended or removed by another decision)."""
    subject = subject or {}
    if not isinstance(subject, dict):
        raise InvalidInput(_l("Not a valid subject."), field="subject")
    return RULES[kind].check_subject(session, subject)


def amend_proposal(
    session: Session,
    actor: User,
    proposal_id: int,
    *,
    title: str | None = None,
    body: str | None = None,
    language: str | None = None,
    translations: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Proposal:
    """Amend the text, its language or its translations (a language given None loses its
    translation); only before the first round or after one that did not adopt it: a
    translation is read as the text partners decide on, so it changes as the text does."""
    with unit_of_work(session):
        proposal = get_proposal(session, proposal_id, lock=True)
        if not _may_manage(actor, proposal):
            raise NotAllowed()
        if proposal.status not in AMENDABLE:
            raise ProposalLocked(
                _l(
                    "A proposal can be amended only between rounds, "
                    "never once adopted or withdrawn."
                )
            )
        if title is not None:
            proposal.title = validation.line(title, "title", TITLE_MAX)
        if body is not None:
            proposal.body = validation.text(body, "body", BODY_MAX)
        if language is not None:
            proposal.language = languages.language(language, field="language")
        if language is not None or translations is not None:
            proposal.translations = proposal_texts.revised(
                proposal.translations or {}, translations or {}, proposal.language
            )
        proposal.updated_at = now or clock_now()
        return proposal


@collector_paused()  # a round's thousands of rows: decisions/collector.py
def withdraw_proposal(
    session: Session, actor: User, proposal_id: int, now: datetime | None = None
) -> Proposal:
    """Withdraw; an open round closes as withdrawn and is entered in the log."""
    with unit_of_work(session):
        # Lock order, in every service: round, then proposal, then partnership (the log's
        # lock, in log.append_entry). Closing a round takes them in that order, so must this,
        # or two transactions could each wait for the other (a deadlock, on PostgreSQL).
        round_id = session.scalar(
            select(Round.id).where(Round.proposal_id == proposal_id, Round.closed_at.is_(None))
        )
        open_round = None
        if round_id is not None:
            open_round = round_lock.exclusive(session, round_id)
        proposal = get_proposal(session, proposal_id, lock=True)
        if not _may_manage(actor, proposal):
            raise NotAllowed()
        if proposal.status in (ProposalStatus.ADOPTED, ProposalStatus.WITHDRAWN):
            raise ProposalLocked(_l("An adopted or withdrawn proposal cannot be withdrawn."))
        if open_round is not None and not open_round.is_open:
            open_round = None  # closed before its lock was ours; the proposal says how
        if proposal.status == ProposalStatus.OPEN and open_round is None:
            # A round was opened between the look and the locks: let the author see it first.
            raise ProposalLocked(_l("A round has just opened on this proposal; reload the page."))
        moment = now or clock_now()  # read once the locks are held: times follow their order
        if open_round is not None:
            record_outcome(session, open_round, Outcome.WITHDRAWN, moment)
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.updated_at = moment
        return proposal
