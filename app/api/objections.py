"""Objections a closed round left to resolve, and their answers (API.md, "Deliberation")."""

import app.api.represent as represent
from app.api.blueprint import bp
from app.api.operations import operation
from app.api.proposals import DRAFTERS
from app.api.schemas import AnswerIn, Listing, ObjectionOut, PageQuery
from decisions import objections
from decisions.db import db
from decisions.models import User


@operation(
    bp,
    "GET",
    "/proposals/{proposal_id}/objections",
    summary="A proposal's objections, oldest first",
    query=PageQuery,
    answer=Listing[ObjectionOut],
)
def list_objections(user: User, proposal_id: int, query: PageQuery) -> Listing[ObjectionOut]:
    """One for each partner whose position was ``object`` when a round closed. ``open``
    until answered; when a later round closes, ``resolved`` if the partner then consents
    or stands aside, ``maintained`` if it objects again (the new objection's
    ``previous_id`` is this one's id); a partner with no position there leaves it as it
    was."""
    page = objections.objection_page(db.session, proposal_id, query.page, query.per_page)
    return represent.listing(page, represent.objection)


@operation(
    bp,
    "POST",
    "/objections/{objection_id}/answer",
    summary="Answer an objection",
    who=DRAFTERS,
    body=AnswerIn,
    answer=ObjectionOut,
    also=(409,),
)
def answer_objection(user: User, objection_id: int, body: AnswerIn) -> ObjectionOut:
    """By the Secretariat or the proposer: how the proposal meets the objection (not
    blank, else 422). Its status becomes ``answered``; the objecting partner's
    representatives are told. An answer may be revised until a later round settles the
    objection: one ``resolved`` or ``maintained`` is 409."""
    answered = objections.answer_objection(db.session, user, objection_id, body.answer)
    return represent.objection(answered)
