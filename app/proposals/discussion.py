"""A proposal's discussion in the browser: a comment from the box on the proposal's page,
a reply from the reply page of a comment, and the author's edit within 15 minutes.

Each view parses a form, calls one service of ``decisions.comments`` and sends the
browser back to the comment on the proposal's page (post/redirect/get). A refusal is
shown on the form that was sent, with what was typed: on the proposal's page through
``refuse_on_page``, on the reply and edit pages at once.
"""

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.access import role_required
from app.proposals.comment_forms import CommentForm, EditCommentForm
from app.proposals.page import INVALID, SPEAKERS, refuse_on_page, to_page
from app.refusal import refusal_on
from decisions import comments, proposals
from decisions.clock import now
from decisions.db import db
from decisions.deliberation_models import Comment

bp = Blueprint("discussion", __name__)


def _to_comment(comment: Comment) -> object:
    return to_page(comment.proposal_id, f"#comment-{comment.id}")


@bp.post("/proposals/<int:proposal_id>/comments")
@role_required(*SPEAKERS)
def post_comment(proposal_id: int):  # type: ignore[no-untyped-def]
    """The comment box of the proposal's page."""
    form = CommentForm()
    if not form.validate_on_submit():
        return refuse_on_page(proposal_id, "comment", form, INVALID)
    refusal = refusal_on(form)
    with refusal:
        posted = comments.post_comment(db.session, current_user, proposal_id, form.body.data)
        flash(_("Your comment is posted."))
        return _to_comment(posted)
    if refusal.status == 404:  # no such proposal: no page to go back to
        abort(404)
    return refuse_on_page(proposal_id, "comment", form, refusal.page_status())


@bp.route("/proposals/<int:proposal_id>/comments/new", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def reply(proposal_id: int):  # type: ignore[no-untyped-def]
    """A reply to ``?reply_to=<comment>``, on a page of its own (no script needed)."""
    proposal = proposals.get_proposal(db.session, proposal_id)
    answered = comments.get_comment(db.session, request.args.get("reply_to", type=int))
    if answered.proposal_id != proposal_id:
        abort(404)
    if request.method == "GET" and not comments.can_comment(current_user, proposal):
        flash(_("You cannot comment on this proposal now."))
        return _to_comment(answered)
    form = CommentForm(reply_to=answered.id)
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            posted = comments.post_comment(
                db.session, current_user, proposal_id, form.body.data, form.reply_to.data
            )
            flash(_("Your reply is posted."))
            return _to_comment(posted)
    html = render_template(
        "proposals/comment_reply.html", form=form, proposal=proposal, answered=answered
    )
    return html, refusal.page_status()


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def edit(comment_id: int):  # type: ignore[no-untyped-def]
    """The author's correction, within 15 minutes of posting."""
    comment = comments.get_comment(db.session, comment_id)
    proposal = proposals.get_proposal(db.session, comment.proposal_id)
    if request.method == "GET" and not comments.can_edit(current_user, comment, proposal, now()):
        flash(_("This comment can no longer be edited."))
        return _to_comment(comment)
    form = EditCommentForm(obj=comment)
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            comments.edit_comment(db.session, current_user, comment_id, form.body.data)
            flash(_("Your comment is corrected."))
            return _to_comment(comment)
    html = render_template(
        "proposals/comment_edit.html",
        form=form,
        proposal=proposal,
        comment=comment,
        minutes=comments.EDIT_MINUTES,
    )
    return html, refusal.page_status()
