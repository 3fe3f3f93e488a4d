"""The decision log's downloads, the same for the log page and the API: CSV or JSON,
written as the entries are read (decisions/log_export.py)."""

from collections.abc import Mapping
from typing import Any, Literal

from flask import Response, stream_with_context

from decisions import clock, log, log_export, log_search, settings
from decisions.db import db

MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


def export_response(form: Literal["csv", "json"], filters: Mapping[str, Any]) -> Response:
    """The log's entries that meet ``filters`` (the list's, as ``log_search`` reads
    them), oldest first. A bad filter raises ``InvalidInput`` here, before anything is
    sent; the entries are read while the answer goes out."""
    session = db.session
    conditions = log_search.filter_conditions(session, **filters)
    entries = log.in_chain_order(session, conditions)
    now = clock.now()
    if form == "csv":
        body = log_export.csv_text(entries)
    else:
        name = settings.get_partnership(session).name
        body = log_export.json_text(entries, name, now)
    response = Response(stream_with_context(body), mimetype=MEDIA_TYPES[form])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="decision-log-{now:%Y-%m-%d}.{form}"'
    )
    return response
