"""A proposal's discussion: its comments, a new one, and the author's edit."""

import app.api.represent as represent
from app.api.blueprint import bp
from app.api.operations import operation
from app.api.schemas import CommentIn, CommentOut, CommentPatch, Listing, PageQuery
from decisions import comments
from decisions.db import db
from decisions.models import Role, User

SPEAKERS = (Role.SECRETARIAT, Role.PARTNER)


@operation(
    bp,
    "GET",
    "/proposals/{proposal_id}/comments",
    summary="The discussion of a proposal, oldest first",
    query=PageQuery,
    answer=Listing[CommentOut],
)
def list_comments(user: User, proposal_id: int, query: PageQuery) -> Listing[CommentOut]:
    """Replies come in the order they were posted, like every comment; ``reply_to`` says
    which comment each one answers."""
    page = comments.comments_page(db.session, proposal_id, query.page, query.per_page)
    return represent.listing(page, represent.comment)


@operation(
    bp,
    "POST",
    "/proposals/{proposal_id}/comments",
    summary="Comment on a proposal, or reply to a comment",
    who=SPEAKERS,
    body=CommentIn,
    status=201,
    answer=CommentOut,
    also=(409,),
)
def post_comment(user: User, proposal_id: int, body: CommentIn) -> CommentOut:
    """By the Secretariat or a representative of an active partner (403 for a suspended
    or removed partner's). A reply to a reply joins the thread of the comment that
    opened it: one level of replies. 422 (``reply_to``) for a comment that is not of
    this proposal; 409 once the proposal is adopted or withdrawn. Those who follow the
    discussion (the proposer, the Secretariat, earlier commenters) are notified."""
    posted = comments.post_comment(db.session, user, proposal_id, body.body, body.reply_to)
    return represent.comment(posted)


@operation(
    bp,
    "PATCH",
    "/comments/{comment_id}",
    summary="Correct one's own comment",
    who=SPEAKERS,
    body=CommentPatch,
    answer=CommentOut,
    also=(409,),
)
def edit_comment(user: User, comment_id: int, body: CommentPatch) -> CommentOut:
    """By its author only (403 for anyone else), within 15 minutes of posting it (409
    after, and once the proposal is adopted or withdrawn); ``edited_at`` is set."""
    edited = comments.edit_comment(db.session, user, comment_id, body.body)
    return represent.comment(edited)
