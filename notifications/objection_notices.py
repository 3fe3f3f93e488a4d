"""An answer to an objection becomes a notice to the objecting partner's representatives
(inbox, and e-mail unless they chose no e-mail at all: an answer to one's own objection
is, like an outcome, what a representative acts on).

Runs in the transaction of the answer (see notifications.handlers). The key names the
objection, the recipient and the answer's time: a revised answer is told again, the same
answer once.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from decisions import events
from decisions.deliberation_models import Objection
from decisions.models import Role
from notifications import recipients
from notifications.excerpts import excerpt
from notifications.messages import Facts
from notifications.models import Kind
from notifications.outbox import drafts_for, queue, stamp
from notifications.settings import Settings


def notify_objection_answered(
    session: Session, event: events.ObjectionAnswered, settings: Settings
) -> None:
    objection = session.get_one(Objection, event.objection_id)
    round_ = objection.round
    answerer = objection.answered_by
    assert objection.answered_at is not None and answerer is not None
    facts = Facts(
        kind=Kind.OBJECTION_ANSWERED,
        title=round_.title,
        round_number=round_.number,
        link=settings.url_for(
            "proposals.show",
            proposal_id=objection.proposal_id,
            _anchor=f"objection-{objection.id}",
        ),
        objector=objection.partner.name,
        reason=excerpt(objection.reason),
        answer=objection.answer,
        # None: the Secretariat answered (whoever of it wrote the answer)
        answered_by=None if answerer.role == Role.SECRETARIAT else answerer.name,
    )
    drafts = drafts_for(
        f"objection_answered:{objection.id}",
        facts.kind,
        recipients.partner_representatives(session, objection.partner_id),
        suffix=f":{stamp(objection.answered_at)}",
    )
    queue(session, settings, facts, drafts, objection.answered_at)
