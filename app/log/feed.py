"""The decision log's Atom feed (notifications/log_feed.py): at a member's secret address,
or, when the log is public, at a plain one; and the account page's buttons that make,
renew and stop a member's address, as for the calendar (app/inbox/views.py)."""

from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.formatting import current_partnership
from app.forms import ButtonForm
from app.log.public import log_is_public, signed_in
from app.log.views import bp
from decisions.clock import now
from decisions.db import db
from notifications import feed_tokens, log_feed
from notifications.settings import Settings

#: where the account page shows the log feed's address
ACCOUNT_SECTION = "log-feed"
#: the user's column that holds the secret of their feed's address
FEED: feed_tokens.Feed = "log_feed_token"


@bp.get("/decisions/feed.atom")
def public_feed() -> Any:
    """The public log's feed; while the log is not public there is no such feed (404)."""
    if not log_is_public():
        abort(404)
    settings = Settings.of_app()
    partnership = current_partnership()
    address = settings.url_for("log.public_feed")
    return _answer(_feed(settings, partnership.language, address), "public")


@bp.get("/decisions/feed/<token>.atom")
def private_feed(token: str) -> Any:
    """No sign-in: feed readers cannot sign in, the secret address is the key. A wrong,
    renewed or revoked address is no page (404), as for the calendar."""
    user = feed_tokens.user_for(db.session, FEED, token)
    if user is None:
        abort(404)
    settings = Settings.of_app()
    locale = user.locale or current_partnership().language
    address = settings.url_for("log.private_feed", token=token)
    return _answer(_feed(settings, locale, address), "private")


def _feed(settings: Settings, locale: str, address: str) -> bytes:
    return log_feed.feed(
        db.session,
        settings,
        name=current_partnership().name,
        locale=locale,
        address=address,
        now=now(),
    )


def _answer(body: bytes, cache: str) -> Response:
    response = Response(body, mimetype=log_feed.MIMETYPE)
    response.headers["Cache-Control"] = f"{cache}, max-age=300"
    return response


@bp.post("/account/log-feed")
@login_required
def new_feed_address():  # type: ignore[no-untyped-def]
    return _change_address(
        lambda: feed_tokens.issue(db.session, current_user, FEED),
        _("Your feed of the decision log has a new address; the old one no longer works."),
    )


@bp.post("/account/log-feed/revoke")
@login_required
def revoke_feed_address():  # type: ignore[no-untyped-def]
    return _change_address(
        lambda: feed_tokens.revoke(db.session, current_user, FEED),
        _("Your feed address of the decision log no longer works."),
    )


def _change_address(change: Callable[[], object], done: str) -> Any:
    """A button of the account page's feed section: ``change`` the address, say so."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    change()
    flash(done)
    return redirect(url_for("auth.account", _anchor=ACCOUNT_SECTION))


def personal_address() -> str | None:
    """The signed-in user's own feed address, for the account page."""
    token = current_user.log_feed_token if signed_in() else None
    return Settings.of_app().url_for("log.private_feed", token=token) if token else None


def feed_address() -> str | None:
    """The feed a log page links to: the public one when the log is public, else the
    reader's own; None when the reader has none yet."""
    if log_is_public():
        return Settings.of_app().url_for("log.public_feed")
    return personal_address()


@bp.app_context_processor
def feed_context() -> dict[str, Any]:
    return {"log_feed_address": feed_address, "personal_log_feed_address": personal_address}
