"""The decision log in the browser: the list with its filters, one entry, the chain check."""

from typing import Any, Literal

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import login_required

from app.formatting import reader_zone
from app.forms import show_domain_error
from app.log.exports import export_response
from app.log.forms import LogFilterForm, ReceiptForm
from app.log.public import log_reader_required, signed_in
from decisions import log as decision_log
from decisions import log_pages, log_search, objections
from decisions.db import db
from decisions.errors import InvalidInput
from decisions.models import DecisionEntry
from decisions.paging import Page

bp = Blueprint("log", __name__)

#: query-string filters the list understands; since/until have no field in the form
#: but work in a URL (as in the API) and are kept across pages
FILTERS = ("outcome", "kind", "year", "q", "since", "until")


@bp.context_processor
def log_labels() -> dict[str, Any]:
    return {
        #: times in tables are shown on this clock, named once in the column's header
        "zone": reader_zone(),
        #: the list's "check a receipt", empty
        "receipt_check": ReceiptForm(formdata=None),
    }


@bp.get("/decisions")
@log_reader_required
def index():  # type: ignore[no-untyped-def]
    facts = log_pages.log_facts(db.session)
    form = _filter_form(facts)
    filters = _filters()
    try:
        page = log_search.search_log(
            db.session,
            **filters,
            page=request.args.get("page", "1"),
            per_page=current_app.config["ACCORD_PAGE_SIZE"],
            before=request.args.get("before"),
            after=request.args.get("after"),
            facts=facts,
        )
    except InvalidInput as error:
        return _refused(form, error)
    previous_url, next_url = _neighbours(page, filters)
    return render_template(
        "log/index.html",
        form=form,
        page=page,
        filters=filters,
        filtered=bool(filters),
        previous_url=previous_url,
        next_url=next_url,
    )


def _filters() -> dict[str, str]:
    return {name: request.args[name] for name in FILTERS if request.args.get(name)}


def _filter_form(facts: log_pages.LogFacts) -> LogFilterForm:
    form = LogFilterForm(formdata=request.args)
    form.offer_years(facts.years)
    return form


def _refused(form: LogFilterForm, error: InvalidInput) -> tuple[str, int]:
    """The list's page with the filter at fault marked, and no entry."""
    show_domain_error(form, error)
    return render_template("log/index.html", form=form, page=None), 422


def _neighbours(
    page: Page[DecisionEntry], filters: dict[str, str]
) -> tuple[str | None, str | None]:
    """The previous and the next page's links: by the entry they come before or after,
    so that a page deep in the log costs what the first does; the page number they
    carry only numbers them. Beyond the last page, back to it by its number."""
    previous_url = next_url = None
    if page.has_previous:
        previous_url = (
            url_for("log.index", **filters, page=min(page.number - 1, page.last))
            if page.number == 2 or not page.items
            else url_for("log.index", **filters, after=page.items[0].id, page=page.number - 1)
        )
    if page.has_next and page.items:
        next_url = url_for("log.index", **filters, before=page.items[-1].id, page=page.number + 1)
    return previous_url, next_url


@bp.get("/decisions/<int:decision_id>")
@log_reader_required
def show(decision_id: int):  # type: ignore[no-untyped-def]
    # An unknown id raises NotFound, which the app's error handler shows as a 404 page.
    entry = log_search.get_entry(db.session, decision_id)
    if not signed_in():
        # A public log's reader: the entry without its positions, which hold what the
        # partners said and who registered it.
        return render_template("log/show.html", entry=entry, positions=None, resolved=[])
    return render_template(
        "log/show.html",
        entry=entry,
        positions=log_search.grouped_positions(entry),
        resolved=objections.resolved_by_round(db.session, entry.round_id),
    )


@bp.get("/decisions/verify")
@log_reader_required
def verify():  # type: ignore[no-untyped-def]
    """The chain's check and, given ``?receipt=``, whether that entry is in it."""
    form = ReceiptForm(formdata=request.args)
    receipt, status = None, 200
    if request.args.get("receipt", "").strip():
        try:
            receipt = decision_log.receipt_hash(request.args["receipt"])
        except InvalidInput as error:
            show_domain_error(form, error)
            status = 422
    result = decision_log.verify(db.session, receipt)
    found = decision_log.with_hash(db.session, receipt) if result.receipt_found else None
    return render_template(
        "log/verify.html", result=result, form=form, receipt=receipt, receipt_entry=found
    ), status


@bp.get("/decisions/export.csv")
@login_required
def export_csv():  # type: ignore[no-untyped-def]
    return _export("csv")


@bp.get("/decisions/export.json")
@login_required
def export_json():  # type: ignore[no-untyped-def]
    return _export("json")


def _export(form: Literal["csv", "json"]):  # type: ignore[no-untyped-def]
    """The entries the list shows with these filters, to download: signed-in members
    only, as the JSON holds what partners said."""
    try:
        return export_response(form, _filters())
    except InvalidInput as error:
        return _refused(_filter_form(log_pages.log_facts(db.session)), error)
