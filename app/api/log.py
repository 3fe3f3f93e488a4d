"""The decision log."""

from flask import Response

import app.api.represent as represent
from app.api.blueprint import bp
from app.api.operations import operation
from app.api.schemas import DecisionOut, DecisionQuery, Listing, VerificationOut
from decisions import log, log_search, objections
from decisions.db import db
from decisions.models import User


@operation(
    bp,
    "GET",
    "/decisions",
    summary="Decision log entries, newest first",
    query=DecisionQuery,
    answer=Listing[DecisionOut],
)
def list_decisions(user: User, query: DecisionQuery) -> Response:
    """``q`` looks for words in titles and texts (each word of it begins a word there, in
    any order, whatever the case); ``since`` and ``until`` bound the closing time;
    ``before`` pages by the last entry seen. The answer is written entry by entry: with
    10 000 partners an entry's positions are megabytes."""
    page = log_search.search_log(
        db.session,
        outcome=query.outcome,
        kind=query.kind,
        year=query.year,
        q=query.q,
        since=query.since,
        until=query.until,
        page=query.page,
        per_page=query.per_page,
        before=query.before,
        with_texts=True,
    )
    resolved = objections.resolved_ids_by_round(db.session, [e.round_id for e in page.items])
    return represent.streamed_listing(
        page,
        (
            represent.decision(entry, resolved[entry.round_id], positions)
            for entry, positions in log_search.with_positions(db.session, page.items)
        ),
    )


@operation(
    bp, "GET", "/decisions/verify", summary="Check the log's hash chain", answer=VerificationOut
)
def verify_log(user: User) -> VerificationOut:
    """``first_bad`` is the id of the first entry whose hash or link does not hold."""
    result = log.verify(db.session)
    return VerificationOut(ok=result.ok, count=result.count, first_bad=result.first_bad)


@operation(
    bp, "GET", "/decisions/{decision_id}", summary="A decision log entry", answer=DecisionOut
)
def get_decision(user: User, decision_id: int) -> DecisionOut:
    entry = log_search.get_entry(db.session, decision_id)
    resolved = objections.resolved_ids_by_round(db.session, [entry.round_id])
    return represent.decision(entry, resolved[entry.round_id])
