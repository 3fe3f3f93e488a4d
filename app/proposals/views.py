"""Proposals in the browser: the list, drafting, a proposal's page, amending and
withdrawing. The rounds held on that page are app/rounds/.

Each view parses a form, calls one service of ``decisions`` and renders or redirects.
"""

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app import labels
from app.access import role_required
from app.formatting import reader_zone
from app.forms import ButtonForm
from app.proposals.forms import (
    AmendForm,
    ProposalForm,
)
from app.proposals.page import (
    SPEAKERS,
    kept_refusal,
    render_page,
    to_page,
)
from app.refusal import refusal_on
from decisions import objections, proposals, settings
from decisions import partners as partners_domain
from decisions.access import has_a_say
from decisions.db import db
from decisions.models import PartnerStatus

bp = Blueprint("proposals", __name__)


# --- the list and a new proposal ------------------------------------------------------


@bp.get("/proposals")
@login_required
def index():  # type: ignore[no-untyped-def]
    status = request.args.get("status", "")
    return render_template(
        "proposals/index.html",
        proposals=proposals.proposals(db.session, status or None),
        status=status,
        zone=reader_zone(),
        can_draft=has_a_say(current_user),
    )


@bp.route("/proposals/new", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def new():  # type: ignore[no-untyped-def]
    # ?kind=regional_focus (the settings page's link) opens the form on that kind.
    asked = request.args.get("kind", "")
    form = ProposalForm(
        kind=asked if asked in labels.KIND else "general",
        language=settings.get_partnership(db.session).language,
    )
    form.partner_id.choices = _subject_partner_choices()
    # The service names one subject; the form asks for it in the field of its kind.
    refusal = refusal_on(form, {"subject": form.subject_field()})
    if form.validate_on_submit():
        with refusal:
            proposal = proposals.draft_proposal(
                db.session,
                current_user,
                form.title.data,
                form.body.data,
                form.kind.data,
                form.subject(),
                language=form.language.data,
            )
            flash(_("The proposal is saved as a draft."))
            return to_page(proposal.id)
    return render_template("proposals/new.html", form=form), refusal.page_status()


def _subject_partner_choices() -> list[SelectChoice]:
    partners = partners_domain.partners(db.session)
    return [SelectChoice(value="", label=_("— none —"))] + [
        SelectChoice(value=str(p.id), label=p.name)
        for p in partners
        if p.status != PartnerStatus.REMOVED
    ]


# --- a proposal's page ----------------------------------------------------------------


@bp.get("/proposals/<int:proposal_id>")
@login_required
def show(proposal_id: int):  # type: ignore[no-untyped-def]
    return render_page(proposal_id, **kept_refusal(proposal_id))


# --- amending and withdrawing ---------------------------------------------------------


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def edit(proposal_id: int):  # type: ignore[no-untyped-def]
    proposal = proposals.get_proposal(db.session, proposal_id)
    form = AmendForm(obj=proposal)
    if request.method == "GET" and not proposals.can_amend(current_user, proposal):
        flash(_("This proposal cannot be amended now."))
        return to_page(proposal_id)
    # A translation into the language chosen for the text is refused at the choice.
    refusal = refusal_on(form, {f"translations.{form.language.data}": "language"})
    if form.validate_on_submit():
        with refusal:
            proposals.amend_proposal(
                db.session,
                current_user,
                proposal_id,
                title=form.title.data,
                body=form.body.data,
                language=form.language.data,
            )
            flash(_("The proposal is amended."))
            return to_page(proposal_id)
    html = render_template(
        "proposals/edit.html",
        form=form,
        proposal=proposal,
        objections=objections.open_objections(db.session, proposal_id),
    )
    return html, refusal.page_status()


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def withdraw(proposal_id: int):  # type: ignore[no-untyped-def]
    proposal = proposals.get_proposal(db.session, proposal_id)
    form = ButtonForm()
    if request.method == "GET" and not proposals.can_withdraw(current_user, proposal):
        flash(_("This proposal cannot be withdrawn now."))
        return to_page(proposal_id)
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            proposals.withdraw_proposal(db.session, current_user, proposal_id)
            flash(_("The proposal is withdrawn."))
            return to_page(proposal_id)
    html = render_template(
        "proposals/withdraw.html", form=form, proposal=proposal, open_round=proposal.open_round
    )
    return html, refusal.page_status()
