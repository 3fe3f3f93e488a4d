"""Answering an objection in the browser. The forms are on the proposal's page
(app/proposals/page.py, the partial proposals/_objections.html), where the answer leads
back, to the objection it answered."""

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user

from app.access import role_required
from app.proposals.objection_forms import AnswerForm
from app.proposals.page import INVALID, SPEAKERS, refuse_on_page, to_page
from app.proposals.views import bp
from app.refusal import refusal_on
from decisions import objections
from decisions.db import db


@bp.post("/objections/<int:objection_id>/answer")
@role_required(*SPEAKERS)
def answer_objection(objection_id: int):  # type: ignore[no-untyped-def]
    # an unknown objection is a 404, not a form error
    proposal_id = objections.get_objection(db.session, objection_id).proposal_id
    form = AnswerForm()
    if not form.validate_on_submit():
        return refuse_on_page(proposal_id, "answer", form, INVALID)
    with refusal_on(form) as refusal:
        objections.answer_objection(db.session, current_user, objection_id, form.answer.data)
        flash(_("The answer is saved; the objecting partner’s representatives are told."))
        return to_page(proposal_id, f"#objection-{objection_id}")
    return refuse_on_page(proposal_id, "answer", form, refusal.page_status())
