"""A round's events become notices (inbox, and e-mail as each recipient's preference
allows): its opening and a new deadline to the electorate's representatives, an
objection to the Secretariat and the proposer, the outcome to all of them.

Each handler runs in the transaction of the change (see notifications.handlers); keys
name the event and the recipient, so a notice is queued once (see notifications.outbox).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from decisions import events
from decisions.clock import now as clock_now
from decisions.models import DecisionEntry, Partner, Position, Round
from notifications import recipients
from notifications.messages import Facts, proposal_link, translated_titles
from notifications.models import Kind
from notifications.outbox import drafts_for, queue, stamp
from notifications.settings import Settings


def notify_round_opened(session: Session, event: events.RoundOpened, settings: Settings) -> None:
    round_ = session.get_one(Round, event.round_id)
    facts = Facts(
        kind=Kind.ROUND_OPENED,
        title=round_.title,
        titles=translated_titles(round_.proposal),
        round_number=round_.number,
        link=proposal_link(settings, round_, "own-position"),
        deadline=round_.deadline,
        reply_round_id=round_.id,
    )
    drafts = drafts_for(
        f"round_opened:{round_.id}", facts.kind, recipients.representatives(session, round_.id)
    )
    queue(session, settings, facts, drafts, round_.opened_at)


def notify_deadline_extended(
    session: Session, event: events.DeadlineExtended, settings: Settings
) -> None:
    round_ = session.get_one(Round, event.round_id)
    facts = Facts(
        kind=Kind.DEADLINE_EXTENDED,
        title=round_.title,
        titles=translated_titles(round_.proposal),
        round_number=round_.number,
        link=proposal_link(settings, round_, "own-position"),
        deadline=round_.deadline,
        previous_deadline=event.previous_deadline,
        reply_round_id=round_.id,
    )
    drafts = drafts_for(
        f"deadline_extended:{round_.id}",
        facts.kind,
        recipients.representatives(session, round_.id),
        suffix=f":{stamp(round_.deadline)}",
    )
    queue(session, settings, facts, drafts, clock_now())


def notify_objection(
    session: Session, event: events.ObjectionRegistered, settings: Settings
) -> None:
    round_ = session.get_one(Round, event.round_id)
    position = session.get_one(Position, event.position_id)
    objector = session.get_one(Partner, event.partner_id)
    facts = Facts(
        kind=Kind.OBJECTION_REGISTERED,
        title=round_.title,
        titles=translated_titles(round_.proposal),
        round_number=round_.number,
        link=proposal_link(settings, round_, f"round-{round_.id}"),
        objector=objector.name,
        reason=position.reason,
    )
    people = recipients.each_once(
        recipients.secretariat(session),
        recipients.user(session, round_.proposal.created_by_id),
    )
    drafts = drafts_for(f"objection:{position.id}", facts.kind, people)
    queue(session, settings, facts, drafts, position.registered_at)


def notify_outcome(session: Session, event: events.RoundClosed, settings: Settings) -> None:
    round_ = session.get_one(Round, event.round_id)
    entry = session.get_one(DecisionEntry, event.decision_id)
    facts = Facts(
        kind=Kind.ROUND_CLOSED,
        title=round_.title,
        titles=translated_titles(round_.proposal),
        round_number=round_.number,
        link=proposal_link(settings, round_, f"round-{round_.id}"),
        outcome=entry.outcome,
        decision_number=entry.number,
        decision_hash=entry.hash,
        receipt_link=settings.url_for("log.verify", receipt=entry.hash),
        tally=dict(entry.tally),
    )
    # The proposer hears the outcome too, even from a partner outside the electorate.
    people = recipients.each_once(
        recipients.representatives(session, round_.id),
        recipients.secretariat(session),
        recipients.user(session, round_.proposal.created_by_id),
    )
    drafts = drafts_for(f"round_closed:{round_.id}", facts.kind, people)
    queue(session, settings, facts, drafts, entry.closed_at)
