"""Decision rounds in the browser: a partner's position (registered by its representative,
or by the Secretariat on its behalf) and its history; opening, extending and closing a
round, closing through a confirmation page. The forms are on the proposal's page
(app/proposals/page.py), where every answer leads back.
"""

from flask import Blueprint, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.access import role_required, secretariat_required
from app.formatting import reader_zone
from app.forms import ButtonForm
from app.proposals.forms import (
    ExtendForm,
    OnBehalfForm,
    OpenRoundForm,
    PositionForm,
    in_zone_to_utc,
)
from app.proposals.page import (
    INVALID,
    SPEAKERS,
    refuse_on_page,
    to_page,
)
from app.refusal import refusal_on
from decisions import partners as partners_domain
from decisions import proposals, queries, rounds
from decisions.clock import now
from decisions.db import db
from decisions.models import Channel, Role

bp = Blueprint("rounds", __name__)


# --- positions ------------------------------------------------------------------------


@bp.post("/rounds/<int:round_id>/position")
@role_required(*SPEAKERS)
def register_position(round_id: int):  # type: ignore[no-untyped-def]
    proposal_id = rounds.get_round(db.session, round_id).proposal_id
    on_behalf = current_user.role == Role.SECRETARIAT
    form = OnBehalfForm() if on_behalf else PositionForm()
    key = "on_behalf" if on_behalf else "position"
    if not form.validate_on_submit():
        return refuse_on_page(proposal_id, key, form, INVALID)
    with refusal_on(form) as refusal:
        rounds.register_position(
            db.session,
            current_user,
            round_id,
            form.partner_id.data,
            form.stance.data,
            form.reason.data or "",
            form.note.data if on_behalf else "",
            channel=Channel.WEB,
        )
        flash(_("The position is registered."))
        return to_page(proposal_id, f"#round-{round_id}")
    return refuse_on_page(proposal_id, key, form, refusal.page_status())


@bp.get("/rounds/<int:round_id>/positions/<int:partner_id>/history")
@login_required
def position_history(round_id: int, partner_id: int):  # type: ignore[no-untyped-def]
    history = rounds.position_history(db.session, round_id, partner_id)
    return render_template(
        "rounds/history.html",
        round=rounds.get_round(db.session, round_id),
        partner=partners_domain.get_partner(db.session, partner_id),
        history=list(reversed(history)),
        zone=reader_zone(),
    )


# --- rounds: open, extend, close ------------------------------------------------------


@bp.post("/proposals/<int:proposal_id>/rounds")
@secretariat_required
def open_round(proposal_id: int):  # type: ignore[no-untyped-def]
    proposals.get_proposal(db.session, proposal_id)  # an unknown one is a 404, not a form error
    form = OpenRoundForm()
    if not form.validate_on_submit():
        return refuse_on_page(proposal_id, "open_round", form, INVALID)
    with refusal_on(form) as refusal:
        round_ = rounds.open_round(
            db.session,
            current_user,
            proposal_id,
            in_zone_to_utc(form.deadline.data, reader_zone()),
            form.quorum.data,
            form.auto_close.data,
            zone=reader_zone(),
        )
        flash(_("Round %(n)d is open.", n=round_.number))
        return to_page(proposal_id, f"#round-{round_.id}")
    return refuse_on_page(proposal_id, "open_round", form, refusal.page_status())


@bp.post("/rounds/<int:round_id>/extend")
@secretariat_required
def extend_round(round_id: int):  # type: ignore[no-untyped-def]
    proposal_id = rounds.get_round(db.session, round_id).proposal_id
    form = ExtendForm()
    if not form.validate_on_submit():
        return refuse_on_page(proposal_id, "extend", form, INVALID)
    with refusal_on(form) as refusal:
        rounds.extend_round(
            db.session,
            current_user,
            round_id,
            in_zone_to_utc(form.deadline.data, reader_zone()),
        )
        flash(_("The deadline is extended."))
        return to_page(proposal_id, f"#round-{round_id}")
    return refuse_on_page(proposal_id, "extend", form, refusal.page_status())


@bp.get("/rounds/<int:round_id>/close")
@secretariat_required
def confirm_close(round_id: int):  # type: ignore[no-untyped-def]
    """Closing cannot be undone: this page says what the decision will be and asks once
    more; its button sends the POST below."""
    summary = queries.round_summary(db.session, round_id)
    if not rounds.can_close_now(summary.round, summary.tally.pending, now()):
        flash(
            _("This round is closed already.")
            if not summary.round.is_open
            else _("Before the deadline the round can be closed only when no partner is pending.")
        )
        return to_page(summary.round.proposal_id, f"#round-{round_id}")
    return render_template(
        "rounds/close.html",
        summary=summary,
        round=summary.round,
        form=ButtonForm(formdata=None),
    )


@bp.post("/rounds/<int:round_id>/close")
@secretariat_required
def close_round(round_id: int):  # type: ignore[no-untyped-def]
    proposal_id = rounds.get_round(db.session, round_id).proposal_id
    form = ButtonForm()
    if not form.validate_on_submit():
        return refuse_on_page(proposal_id, "close", form, INVALID)
    with refusal_on(form) as refusal:
        entry = rounds.close_round(db.session, current_user, round_id)
        flash(_("The round is closed; decision %(number)s is in the log.", number=entry.number))
        return to_page(proposal_id, f"#round-{round_id}")
    return refuse_on_page(proposal_id, "close", form, refusal.page_status())


@bp.get("/rounds/<int:round_id>/position")
@bp.get("/rounds/<int:round_id>/extend")
@login_required
def round_form(round_id: int):  # type: ignore[no-untyped-def]
    """These addresses take a form; asked for as a page (a reload, a bookmark), they lead
    to the proposal's page, where the form is."""
    return to_page(rounds.get_round(db.session, round_id).proposal_id, f"#round-{round_id}")


@bp.get("/proposals/<int:proposal_id>/rounds")
@login_required
def rounds_form(proposal_id: int):  # type: ignore[no-untyped-def]
    return to_page(proposals.get_proposal(db.session, proposal_id).id)
