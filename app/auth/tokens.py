"""A signed-in person's own API tokens: create one, see it once, revoke it (after a
confirmation step).

The token itself exists only in the response to the POST that created it: never in a
flash message, the session or an address, which would keep it in cookies, logs or
history. Only its SHA-256 is stored (``decisions.tokens.create_token``).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth.token_forms import RevokeTokenForm, TokenForm
from app.auth.views import bp
from app.refusal import refusal_on
from app.secret_pages import private
from decisions import tokens as tokens_domain
from decisions.db import db


@bp.get("/account/tokens")
@login_required
def tokens() -> Response:
    return _tokens_page(TokenForm(), 200)


@bp.post("/account/tokens")
@login_required
def create_token() -> Response:
    form = TokenForm()
    if form.validate_on_submit():
        with refusal_on(form):
            _row, token = tokens_domain.create_token(
                db.session, current_user, form.label.data or ""
            )
            return _tokens_page(TokenForm(formdata=None), 201, new_token=token)
    return _tokens_page(form, 422)


@bp.get("/account/tokens/<int:token_id>/revoke")
@login_required
def confirm_revoke(token_id: int) -> Response:
    """Revoking cannot be undone: the button on the list leads here, to ask once more."""
    # Another person's token is a NotFound: the error page.
    token = tokens_domain.own_token(db.session, current_user, token_id)
    if token.revoked_at is not None:
        return redirect(url_for("auth.tokens"))
    html = render_template("auth/revoke_token.html", token=token, form=RevokeTokenForm())
    return private(html)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    # CSRFProtect refuses a forged post before this view; the form says so here too.
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    # Another person's token is a NotFound: the error page, and nothing changes.
    tokens_domain.revoke_token(db.session, current_user, token_id)
    flash(_("The token is revoked: it no longer opens the API."))
    return redirect(url_for("auth.tokens"))


def _tokens_page(form: TokenForm, status: int, new_token: str | None = None) -> Response:
    html = render_template(
        "auth/tokens.html",
        form=form,
        tokens=tokens_domain.tokens_of(db.session, current_user),
        new_token=new_token,
        me_url=request.url_root.rstrip("/") + "/api/v1/me",
    )
    return private(html, status)
