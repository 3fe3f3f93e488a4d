"""A new comment becomes a notice (shared API.md, "Deliberation"): in the inbox of the
proposer, of every Secretariat user and of everyone who commented on the proposal
before, the author excepted, each once; by e-mail only to those who chose every notice
(notifications.recipients.wants_email). It runs in the transaction of the comment.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from decisions import events
from decisions.deliberation_models import Comment
from notifications import excerpts, recipients
from notifications.messages import Facts
from notifications.models import Kind
from notifications.outbox import drafts_for, queue
from notifications.settings import Settings

_markdown = MarkdownIt("commonmark", {"html": False})


def notify_comment(session: Session, event: events.CommentPosted, settings: Settings) -> None:
    comment = session.get_one(Comment, event.comment_id)
    proposal = comment.proposal
    facts = Facts(
        kind=Kind.COMMENT,
        title=proposal.title,
        round_number=0,
        link=settings.url_for(
            "proposals.show", proposal_id=proposal.id, _anchor=f"comment-{comment.id}"
        ),
        author=comment.author.name,
        organisation=comment.partner.name if comment.partner else None,
        excerpt=excerpt(comment.body),
    )
    people = recipients.each_once(
        recipients.user(session, proposal.created_by_id),
        recipients.secretariat(session),
        recipients.commenters(session, proposal.id, comment.id),
    )
    people = [person for person in people if person.id != comment.author_id]
    drafts = drafts_for(f"comment:{comment.id}", facts.kind, people)
    queue(session, settings, facts, drafts, comment.created_at)


def excerpt(markdown: str, length: int = excerpts.EXCERPT) -> str:
    """The comment's text as plain text (its Markdown marks, links' addresses and
    images left out), on one line, cut after about ``length`` characters."""
    words: list[str] = []
    for token in _markdown.parse(markdown):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
        elif token.type.endswith("_close") and token.block:
            words.append(" ")
        elif token.type in ("code_block", "fence"):
            words.append(token.content)
    return excerpts.excerpt("".join(words), length, trim=" ,;:.")
