"""The decision log."""

from collections.abc import Iterable

from flask import Response

import app.api.represent as represent
from app.api.blueprint import bp
from app.api.operations import operation
from app.api.schemas import (
    DecisionFilters,
    DecisionOut,
    DecisionQuery,
    ExportOut,
    Listing,
    VerificationOut,
    VerifyQuery,
)
from app.log.exports import export_response
from decisions import log, log_search, objections
from decisions.db import db
from decisions.models import DecisionEntry, User


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
    ``before`` pages by the last entry seen; ``positions=false`` leaves each entry's
    positions out. The answer is written entry by entry: with 10 000 partners an entry's
    positions are megabytes."""
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
    listed: Iterable[tuple[DecisionEntry, str | None]] = (
        log_search.with_positions_json(db.session, page.items)
        if query.positions
        else ((entry, None) for entry in page.items)
    )
    return represent.streamed_listing(
        page,
        (
            represent.decision_json(entry, resolved[entry.round_id], positions)
            for entry, positions in listed
        ),
    )


@operation(
    bp,
    "GET",
    "/decisions/verify",
    summary="Check the log's hash chain",
    query=VerifyQuery,
    answer=VerificationOut,
)
def verify_log(user: User, query: VerifyQuery) -> VerificationOut:
    """``first_bad`` is the id of the first entry whose hash or link does not hold.
    ``receipt``, an entry's hash, asks also whether that entry is in the intact chain
    (``receipt_found``): after a deletion of the newest entries, their receipts are not."""
    receipt = None if query.receipt is None else log.receipt_hash(query.receipt)
    result = log.verify(db.session, receipt)
    return VerificationOut(
        ok=result.ok,
        count=result.count,
        first_bad=result.first_bad,
        receipt_found=result.receipt_found,
    )


@operation(
    bp,
    "GET",
    "/decisions/export.csv",
    summary="The decision log as CSV, oldest first",
    query=DecisionFilters,
    media_type="text/csv",
)
def export_csv(user: User, query: DecisionFilters) -> Response:
    """UTF-8 with a byte order mark, a header line
    ``number,title,kind,outcome,closed_at,consent,stand_aside,object,pending,hash`` and a
    line per entry that meets the filters (those of the list), in the chain's order.
    Times are ISO 8601 in UTC; a cell that a spreadsheet would run as a formula (starting
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) starts with an
    apostrophe."""
    return export_response("csv", query.model_dump(exclude_none=True))


@operation(
    bp,
    "GET",
    "/decisions/export.json",
    summary="The decision log with everything its hashes cover, oldest first",
    query=DecisionFilters,
    answer=ExportOut,
)
def export_json(user: User, query: DecisionFilters) -> Response:
    """Every entry that meets the filters (those of the list), in the chain's order, with
    every field its hash covers: ``accord verify-log --file`` or tools/verify_export.py
    recomputes the chain from it alone. ``head`` is the hash of the last entry, ``count``
    how many there are: a whole export (no filter) verifies from its first entry."""
    return export_response("json", query.model_dump(exclude_none=True))


@operation(
    bp, "GET", "/decisions/{decision_id}", summary="A decision log entry", answer=DecisionOut
)
def get_decision(user: User, decision_id: int) -> DecisionOut:
    entry = log_search.get_entry(db.session, decision_id)
    resolved = objections.resolved_ids_by_round(db.session, [entry.round_id])
    return represent.decision(entry, resolved[entry.round_id], entry.positions)
