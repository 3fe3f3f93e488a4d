"""The decision log in the browser: the list with its filters, one entry, the chain check."""

from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import login_required

from app.formatting import reader_zone
from app.forms import show_domain_error
from app.log.forms import LogFilterForm
from decisions import log as decision_log
from decisions import log_search, objections
from decisions.db import db
from decisions.errors import InvalidInput

bp = Blueprint("log", __name__)

#: query-string filters the list understands; since/until have no field in the form
#: but work in a URL (as in the API) and are kept across pages
FILTERS = ("outcome", "kind", "year", "q", "since", "until")


@bp.context_processor
def log_labels() -> dict[str, Any]:
    return {
        #: times in tables are shown on this clock, named once in the column's header
        "zone": reader_zone(),
    }


@bp.get("/decisions")
@login_required
def index():  # type: ignore[no-untyped-def]
    form = LogFilterForm(formdata=request.args)
    form.offer_years(log_search.years(db.session))
    filters = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    try:
        page = log_search.search_log(
            db.session,
            **filters,
            page=request.args.get("page", "1"),
            per_page=current_app.config["ACCORD_PAGE_SIZE"],
        )
    except InvalidInput as error:
        show_domain_error(form, error)
        return render_template("log/index.html", form=form, page=None), 422
    return render_template(
        "log/index.html",
        form=form,
        page=page,
        filtered=bool(filters),
        previous_url=(
            url_for("log.index", **filters, page=min(page.number - 1, page.last))
            if page.has_previous
            else None
        ),
        next_url=url_for("log.index", **filters, page=page.number + 1) if page.has_next else None,
    )


@bp.get("/decisions/<int:decision_id>")
@login_required
def show(decision_id: int):  # type: ignore[no-untyped-def]
    # An unknown id raises NotFound, which the app's error handler shows as a 404 page.
    entry = log_search.get_entry(db.session, decision_id)
    return render_template(
        "log/show.html",
        entry=entry,
        positions=log_search.recorded_positions(entry),
        resolved=objections.resolved_by_round(db.session, entry.round_id),
    )


@bp.get("/decisions/verify")
@login_required
def verify():  # type: ignore[no-untyped-def]
    return render_template("log/verify.html", result=decision_log.verify(db.session))
