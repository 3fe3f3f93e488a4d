"""The answer to an objection, one form per objection on the proposal's page. It checks
the shape; who may answer, and whether the objection is still open to an answer, is the
service's question (decisions.objections)."""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from decisions.deliberation_models import ANSWER_MAX, Objection


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("How the amended text meets this objection"),
        validators=[DataRequired(), Length(max=ANSWER_MAX)],
    )
    #: which objection the form answers: the address says it to the view; this says it
    #: to the page that shows a refused form again
    objection_id = IntegerField(widget=HiddenInput(), validators=[Optional()])


def _for(form: AnswerForm, objection_id: int) -> AnswerForm:
    """The form with ids of its own: the page holds one per objection."""
    form.answer.id = form.answer.label.field_id = f"answer-{objection_id}"
    return form


def answer_forms(
    objections: Iterable[Objection], refused: FlaskForm | None
) -> dict[int, AnswerForm]:
    """objection id -> its answer form: the refused one with what was typed and why it
    was refused, else a blank one holding the answer given so far (to revise it). A
    settled objection keeps a refused form too: what was typed is shown, to be kept."""
    refused_id = refused.objection_id.data if isinstance(refused, AnswerForm) else None
    if isinstance(refused, AnswerForm):
        _for(refused, refused_id or 0)
    forms: dict[int, AnswerForm] = {}
    for objection in objections:
        if objection.id == refused_id and isinstance(refused, AnswerForm):
            forms[objection.id] = refused
        else:
            blank = AnswerForm(formdata=None, objection_id=objection.id, answer=objection.answer)
            forms[objection.id] = _for(blank, objection.id)
    return forms
