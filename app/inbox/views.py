"""The in-app inbox, the Secretariat's outbox page and the personal calendar feed.

Each view parses, calls one function of ``notifications`` and renders or redirects.
"""

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.access import secretariat_required
from app.forms import ButtonForm
from decisions.clock import now
from decisions.db import db
from decisions.errors import InvalidInput
from notifications import admin, calendar, inbox
from notifications.mail_in import refusal_text
from notifications.settings import Settings

bp = Blueprint("inbox", __name__)


@bp.app_context_processor
def unread_notices() -> dict[str, int]:
    """The header's unread count: one query, on pages of a signed-in user only."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_count": inbox.unread_count(db.session, current_user.id)}


@bp.get("/inbox")
@login_required
def index():  # type: ignore[no-untyped-def]
    try:
        page = inbox.notifications_of(
            db.session,
            current_user,
            request.args.get("page"),
            current_app.config["ACCORD_PAGE_SIZE"],
        )
    except InvalidInput:
        abort(404)  # a page number that is no page
    return render_template(
        "inbox/index.html",
        items=page.items,
        total=page.total,
        form=ButtonForm(),
        previous_url=url_for("inbox.index", page=page.number - 1) if page.has_previous else None,
        next_url=url_for("inbox.index", page=page.number + 1) if page.has_next else None,
    )


@bp.post("/inbox/<int:entry_id>/read")
@login_required
def mark_read(entry_id: int):  # type: ignore[no-untyped-def]
    if not ButtonForm().validate_on_submit():
        abort(400)
    # A notice that is not the user's is NotFound: the error handler shows a 404.
    inbox.mark_read(db.session, current_user, entry_id)
    page = request.args.get("page", "")
    back = url_for("inbox.index", page=page if page.isdigit() else None)
    return redirect(back + f"#notice-{entry_id}")


@bp.post("/inbox/read")
@login_required
def mark_all_read():  # type: ignore[no-untyped-def]
    if not ButtonForm().validate_on_submit():
        abort(400)
    inbox.mark_all_read(db.session, current_user)
    flash(_("Every notice is marked read."))
    return redirect(url_for("inbox.index"))


@bp.get("/outbox")
@secretariat_required
def outbox():  # type: ignore[no-untyped-def]
    return render_template(
        "inbox/outbox.html",
        overview=admin.outbox_overview(db.session),
        refusal_text=refusal_text,
        form=ButtonForm(),
        by_smtp=bool(current_app.config.get("ACCORD_SMTP_HOST")),
    )


@bp.post("/outbox/<int:message_id>/retry")
@secretariat_required
def retry(message_id: int):  # type: ignore[no-untyped-def]
    if not ButtonForm().validate_on_submit():
        abort(400)
    admin.retry(db.session, current_user, message_id)
    flash(_("The message will be sent again within a minute."))
    return redirect(url_for("inbox.outbox"))


@bp.post("/account/calendar")
@login_required
def new_calendar_address():  # type: ignore[no-untyped-def]
    if not ButtonForm().validate_on_submit():
        abort(400)
    calendar.issue_token(db.session, current_user)
    flash(_("Your calendar has a new address; the old one no longer works."))
    return redirect(url_for("auth.account") + "#calendar")


@bp.post("/account/calendar/revoke")
@login_required
def revoke_calendar_address():  # type: ignore[no-untyped-def]
    if not ButtonForm().validate_on_submit():
        abort(400)
    calendar.revoke_token(db.session, current_user)
    flash(_("Your calendar address no longer works."))
    return redirect(url_for("auth.account") + "#calendar")


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str) -> Any:
    """No sign-in: calendar programs cannot sign in, the secret address is the key."""
    user = calendar.user_for_token(db.session, token)
    if user is None:
        abort(404)
    body = calendar.feed(db.session, Settings.of_app(), user, now())
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def calendar_address() -> str | None:
    """The signed-in user's feed address, for the account page."""
    token = current_user.calendar_token
    return Settings.of_app().url_for("inbox.calendar_feed", token=token) if token else None


@bp.app_context_processor
def calendar_context() -> dict[str, Any]:
    return {"calendar_address": calendar_address}
