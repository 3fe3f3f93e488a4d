"""A proposal's translations in the browser: one language's title and text, added,
corrected or removed by whoever may amend the proposal, and only when it may be amended
(between rounds), since readers take a translation for the text they decide on."""

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.access import role_required
from app.forms import ButtonForm
from app.proposals.forms import TranslationForm
from app.proposals.page import SPEAKERS, to_page
from app.proposals.views import bp
from app.refusal import refusal_on
from decisions import proposals
from decisions.db import db
from decisions.languages import LANGUAGES
from decisions.models import Proposal


@bp.route("/proposals/<int:proposal_id>/translations/<code>", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def translation(proposal_id: int, code: str):  # type: ignore[no-untyped-def]
    proposal = _translatable(proposal_id, code)
    if request.method == "GET" and not proposals.can_amend(current_user, proposal):
        flash(_("This proposal cannot be amended now."))
        return to_page(proposal_id)
    form = TranslationForm(data=(proposal.translations or {}).get(code, {}))
    for typed in (form.title, form.body):  # typed in the translation's language, not the page's
        typed.render_kw = {"lang": code, "dir": "auto"}
    refusal = refusal_on(form, {f"translations.{code}.{name}": name for name in ("title", "body")})
    if form.validate_on_submit():
        with refusal:
            rendering = {"title": form.title.data, "body": form.body.data}
            proposals.amend_proposal(
                db.session, current_user, proposal_id, translations={code: rendering}
            )
            flash(_("The translation is saved."))
            return to_page(proposal_id, "#text")
    html = render_template(
        "proposals/translation.html",
        form=form,
        remove=ButtonForm(formdata=None),
        proposal=proposal,
        code=code,
        exists=code in (proposal.translations or {}),
    )
    return html, refusal.page_status()


@bp.post("/proposals/<int:proposal_id>/translations/<code>/remove")
@role_required(*SPEAKERS)
def remove_translation(proposal_id: int, code: str):  # type: ignore[no-untyped-def]
    _translatable(proposal_id, code)
    # The button's form holds only its CSRF token, which the app checks before any view.
    with refusal_on(ButtonForm()) as refusal:
        proposals.amend_proposal(db.session, current_user, proposal_id, translations={code: None})
        flash(_("The translation is removed."))
    if refusal.error is not None:
        flash(refusal.error.message)
    return to_page(proposal_id, "#text", 303)


def _translatable(proposal_id: int, code: str) -> Proposal:
    """The proposal, if ``code`` is a language it can be translated into; else 404."""
    proposal = proposals.get_proposal(db.session, proposal_id)
    if code not in LANGUAGES or code == proposal.language:
        abort(404)
    return proposal
