"""A proposal's discussion (shared API.md, "Deliberation"): comments in Markdown by the
Secretariat and the representatives of active partners, with one level of replies.

A reply to a reply is attached to the comment that opened the thread, so that a
discussion is never deeper than a comment and its replies; the reply still names,
in its text, whom it answers if its author wishes. An author may edit a comment for
EDIT_MINUTES after posting it (the page then marks it edited). Once the proposal is
adopted or withdrawn the discussion is closed: it is read, no longer added to.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from decisions import access, events, validation
from decisions.clock import as_utc
from decisions.clock import now as clock_now
from decisions.deliberation_models import COMMENT_MAX, Comment
from decisions.errors import CommentFixed, DiscussionClosed, InvalidInput, NotAllowed
from decisions.lookup import get_row, is_row_id
from decisions.models import Proposal, ProposalStatus, Role, User
from decisions.paging import Page, paginate
from decisions.proposals import get_proposal
from decisions.unit_of_work import unit_of_work

#: how long the author may still edit a comment after posting it
EDIT_MINUTES = 15
#: a proposal in one of these states has a closed discussion
CLOSED = (ProposalStatus.ADOPTED, ProposalStatus.WITHDRAWN)


def is_open(proposal: Proposal) -> bool:
    return proposal.status not in CLOSED


def can_comment(actor: User, proposal: Proposal) -> bool:
    return is_open(proposal) and access.has_a_say(actor)


def can_edit(actor: User, comment: Comment, proposal: Proposal, moment: datetime) -> bool:
    return (
        comment.author_id == actor.id
        and can_comment(actor, proposal)
        and as_utc(moment) <= _editable_until(comment)
    )


def post_comment(
    session: Session,
    actor: User,
    proposal_id: int,
    body: object,
    reply_to: object = None,
    now: datetime | None = None,
) -> Comment:
    """Add ``body`` to the proposal's discussion, as a reply to ``reply_to`` if given (a
    reply to a reply joins the thread of the comment that opened it)."""
    with unit_of_work(session):
        # Locked, so that no comment lands after a withdrawal or an adoption committed.
        proposal = get_proposal(session, proposal_id, lock=True)
        _check_may_speak(actor)
        _check_open(proposal)
        text = validation.text(body, "body", COMMENT_MAX)
        parent = _thread_of(session, proposal.id, reply_to) if reply_to is not None else None
        comment = Comment(
            proposal_id=proposal.id,
            author_id=actor.id,
            partner_id=actor.partner_id if actor.role == Role.PARTNER else None,
            reply_to_id=parent,
            body=text,
            created_at=now or clock_now(),
        )
        session.add(comment)
        session.flush()
        events.publish(session, events.CommentPosted(comment_id=comment.id))
        return comment


def edit_comment(
    session: Session, actor: User, comment_id: int, body: object, now: datetime | None = None
) -> Comment:
    """The author's correction, within EDIT_MINUTES of posting; the comment is marked edited."""
    moment = now or clock_now()
    with unit_of_work(session):
        comment = get_comment(session, comment_id, lock=True)
        if comment.author_id != actor.id:
            raise NotAllowed(_l("Only its author may edit a comment."))
        _check_may_speak(actor)
        _check_open(get_proposal(session, comment.proposal_id))
        if as_utc(moment) > _editable_until(comment):
            raise CommentFixed(
                lazy_ngettext(
                    "A comment can be edited only in the first %(num)d minute after it is posted.",
                    "A comment can be edited only in the first %(num)d minutes after it is posted.",
                    EDIT_MINUTES,
                )
            )
        comment.body = validation.text(body, "body", COMMENT_MAX)
        comment.edited_at = moment
        return comment


def get_comment(session: Session, comment_id: object, *, lock: bool = False) -> Comment:
    return get_row(session, Comment, comment_id, _l("No such comment."), lock=lock)


def comments_query(proposal_id: int) -> Select[Any]:
    """The proposal's comments, oldest first, with author and partner in the same
    statement (the author's own partner and its category come joined with the author)."""
    return (
        select(Comment)
        .where(Comment.proposal_id == proposal_id)
        .options(joinedload(Comment.author), joinedload(Comment.partner))
        .order_by(Comment.id)
    )


def comments_of(session: Session, proposal_id: int) -> Sequence[Comment]:
    """Every comment of the proposal, oldest first: one statement, however many."""
    return session.scalars(comments_query(proposal_id)).unique().all()


def comments_page(
    session: Session, proposal_id: int, page: Any = 1, per_page: Any = None
) -> Page[Comment]:
    """One page of the discussion, oldest first; NotFound for an unknown proposal."""
    get_proposal(session, proposal_id)
    return paginate(session, comments_query(proposal_id), page, per_page)


@dataclass(frozen=True)
class Thread:
    """A comment that is not a reply, and its replies, oldest first."""

    comment: Comment
    replies: list[Comment]


@dataclass(frozen=True)
class Discussion:
    """A proposal's discussion as one reader sees it now."""

    threads: list[Thread]
    count: int
    #: the proposal's status when it closed the discussion (adopted, withdrawn); None: open
    closed_as: ProposalStatus | None
    #: the reader may add a comment (and reply)
    may_comment: bool
    #: the ids of the comments the reader may still edit
    editable: frozenset[int]


def discussion(session: Session, proposal: Proposal, reader: User, moment: datetime) -> Discussion:
    """The proposal's comments in threads, and what ``reader`` may do with them."""
    rows = comments_of(session, proposal.id)
    threads: dict[int, Thread] = {}
    for row in rows:
        if row.reply_to_id is None:
            threads[row.id] = Thread(row, [])
        elif row.reply_to_id in threads:
            threads[row.reply_to_id].replies.append(row)
    return Discussion(
        threads=list(threads.values()),
        count=len(rows),
        closed_as=None if is_open(proposal) else proposal.status,
        may_comment=can_comment(reader, proposal),
        editable=frozenset(row.id for row in rows if can_edit(reader, row, proposal, moment)),
    )


def _check_may_speak(actor: User) -> None:
    if actor.role not in (Role.SECRETARIAT, Role.PARTNER):
        raise NotAllowed(_l("Only the Secretariat and partner representatives comment."))
    if not access.has_a_say(actor):
        raise NotAllowed(_l("Your organisation is suspended or removed: it cannot comment."))


def _check_open(proposal: Proposal) -> None:
    if not is_open(proposal):
        if proposal.status == ProposalStatus.ADOPTED:
            raise DiscussionClosed(_l("The discussion is closed: the proposal was adopted."))
        raise DiscussionClosed(_l("The discussion is closed: the proposal was withdrawn."))


def _thread_of(session: Session, proposal_id: int, reply_to: object) -> int:
    """The id of the comment a reply joins: ``reply_to`` itself, or the comment that
    opened its thread when ``reply_to`` is a reply."""
    target = session.get(Comment, reply_to) if is_row_id(reply_to) else None
    if target is None or target.proposal_id != proposal_id:
        raise InvalidInput(_l("Not a comment of this proposal."), field="reply_to")
    return target.reply_to_id if target.reply_to_id is not None else target.id


def _editable_until(comment: Comment) -> datetime:
    return as_utc(comment.created_at) + timedelta(minutes=EDIT_MINUTES)
