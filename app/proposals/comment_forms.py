"""The forms of a proposal's discussion: a comment (or a reply), and its author's edit.
They check the shape; who may comment, and whether the discussion is open, is the
service's question (decisions.comments)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from decisions.deliberation_models import COMMENT_MAX


class CommentForm(FlaskForm):
    #: an id of its own: the proposal's page holds other forms with a text
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(), Length(max=COMMENT_MAX)],
        id="comment-body",
    )
    #: the comment answered, for a reply (the reply page sets it)
    reply_to = IntegerField(widget=HiddenInput(), validators=[Optional()])


class EditCommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(), Length(max=COMMENT_MAX)],
        id="comment-body",
    )
