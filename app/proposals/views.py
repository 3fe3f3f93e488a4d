"""Proposals and their decision rounds in the browser.

Each view parses a form, calls one service of ``decisions`` and renders or redirects. What
the reader may do on a proposal's page is worked out here (``Actions``), never in Jinja.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from app import labels
from app.access import role_required, secretariat_required
from app.formatting import reader_zone
from app.forms import ButtonForm, show_domain_error
from app.proposals import bp
from app.proposals.forms import (
    AmendForm,
    ExtendForm,
    OnBehalfForm,
    OpenRoundForm,
    PositionForm,
    ProposalForm,
    in_zone_to_utc,
    utc_to_zone,
)
from decisions import partners as partners_domain
from decisions import proposals, queries, rounds, settings
from decisions.clock import now
from decisions.db import db
from decisions.errors import DomainError
from decisions.models import Partnership, PartnerStatus, Role, User

#: who may submit proposals and speak in rounds
SPEAKERS = (Role.SECRETARIAT, Role.PARTNER)
LABELS = {
    "kind": labels.KIND,
    "status": labels.PROPOSAL_STATUS,
    "stance": labels.STANCE,
    "outcome": labels.OUTCOME,
}
#: a form whose shape is wrong (a missing field) is answered like a service's InvalidInput
INVALID = 422
#: the forms of a proposal's page, by the name the page and ``Actions`` give them
PAGE_FORMS: dict[str, type[FlaskForm]] = {
    "position": PositionForm,
    "on_behalf": OnBehalfForm,
    "open_round": OpenRoundForm,
    "extend": ExtendForm,
    "close": ButtonForm,
}
#: where a refused form of the proposal's page waits, in the session, to be shown once
REFUSED = "refused_form"
#: how much of a refused form the session cookie may carry (it holds ~4 kB in all); a
#: larger one is shown at once instead, so that nothing typed is ever lost
REFUSED_ROOM = 2000


@dataclass(frozen=True)
class Actions:
    """What the reader may do on a proposal's page now; each flag but the last shows the
    form of the same name."""

    position: bool
    on_behalf: bool
    open_round: bool
    extend: bool
    close: bool
    amend: bool
    withdraw: bool
    #: the open round no longer takes positions: its deadline has passed
    deadline_passed: bool


def _refused(form: FlaskForm, error: DomainError) -> int:
    """Put the refused service's message on the form (it kept nothing of the change)."""
    show_domain_error(form, error)
    return error.status


def _show(proposal_id: int, anchor: str = "", code: int = 302) -> Any:
    return redirect(url_for("proposals.show", proposal_id=proposal_id) + anchor, code)


def _refuse(proposal_id: int, key: str, form: FlaskForm, status: int) -> Any:
    """Post/redirect/get for a refused form of the proposal's page: what was typed and
    why it was refused wait in the session, and the browser is sent back to the page,
    which shows them once. The address stays the page's, and reloading it is harmless.

    A form too large for the session cookie (a very long reason) is shown at once, at
    the address it was sent to, rather than lose what was typed."""
    kept = {
        "proposal": proposal_id,
        "form": key,
        "data": {name: value for name, value in request.form.items() if name != "csrf_token"},
        "errors": {f.name: [str(e) for e in f.errors] for f in form if f.errors},
        "form_errors": [str(e) for e in form.form_errors],
    }
    if len(json.dumps(kept)) > REFUSED_ROOM:
        return _page(proposal_id, status, **{key: form})
    session[REFUSED] = kept
    return _show(proposal_id, "#error-summary", 303)


def _kept_refusal(proposal_id: int) -> dict[str, FlaskForm]:
    """The refused form waiting for this page, rebuilt with what was typed and its
    errors; it is shown once."""
    kept = session.pop(REFUSED, None)
    if not kept or kept.get("proposal") != proposal_id or kept.get("form") not in PAGE_FORMS:
        return {}
    form = PAGE_FORMS[kept["form"]](formdata=MultiDict(kept["data"]))
    for name, errors in kept["errors"].items():
        if name in form:
            form[name].errors = list(errors)
    form.form_errors = list(kept["form_errors"])
    return {kept["form"]: form}


# --- the list and a new proposal -------------------------------------------------------


@bp.get("/proposals")
@login_required
def index():  # type: ignore[no-untyped-def]
    status = request.args.get("status", "")
    return render_template(
        "proposals/index.html",
        proposals=proposals.proposals(db.session, status or None),
        status=status,
        labels=LABELS,
        zone=reader_zone(),
        can_draft=proposals.may_draft(current_user),
    )


@bp.route("/proposals/new", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def new():  # type: ignore[no-untyped-def]
    # ?kind=regional_focus (the settings page's link) opens the form on that kind.
    asked = request.args.get("kind", "")
    form = ProposalForm(kind=asked if asked in labels.KIND else "general")
    form.partner_id.choices = _subject_partner_choices()
    status = INVALID if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            proposal = proposals.draft_proposal(
                db.session,
                current_user,
                form.title.data,
                form.body.data,
                form.kind.data,
                form.subject(),
            )
        except DomainError as error:
            if error.field == "subject":
                error.field = form.subject_field()
            status = _refused(form, error)
        else:
            flash(_("The proposal is saved as a draft."))
            return _show(proposal.id)
    return render_template("proposals/new.html", form=form), status


def _subject_partner_choices() -> list[SelectChoice]:
    partners = partners_domain.partners(db.session)
    return [SelectChoice(value="", label=_("— none —"))] + [
        SelectChoice(value=str(p.id), label=p.name)
        for p in partners
        if p.status != PartnerStatus.REMOVED
    ]


# --- a proposal's page -----------------------------------------------------------------


@bp.get("/proposals/<int:proposal_id>")
@login_required
def show(proposal_id: int):  # type: ignore[no-untyped-def]
    return _page(proposal_id, **_kept_refusal(proposal_id))


def _page(proposal_id: int, status: int = 200, **bound: FlaskForm) -> Any:
    """The proposal's page; ``bound`` holds a submitted form to show with its errors."""
    page = queries.proposal_page(db.session, proposal_id)
    # Held for the whole rendering: the session's identity map keeps objects weakly, and
    # every ``localtime`` may ask for the partnership's zone.
    partnership = settings.get_partnership(db.session)
    zone = reader_zone()
    actions = _actions(page, current_user, now())
    return (
        render_template(
            "proposals/show.html",
            page=page,
            proposal=page.proposal,
            actions=actions,
            forms=_forms(page, partnership, bound),
            refused=[form for key, form in bound.items() if getattr(actions, key)],
            refusals=_refusals(bound, actions),
            zone=zone,
            labels=LABELS,
            stance_meaning=labels.STANCE_MEANING,
            decision_urls={s.round.id: _decision_url(s.decision_id) for s in page.rounds},
        ),
        status,
    )


def _actions(page: queries.ProposalPage, user: User, moment: datetime) -> Actions:
    current = page.open_round
    secretariat = user.role == Role.SECRETARIAT
    accepting = current is not None and rounds.accepts_positions(current.round, moment)
    electorate = {row.partner.id for row in current.rows} if current else set()
    return Actions(
        position=(
            accepting
            and user.role == Role.PARTNER
            and user.partner_id in electorate
            and rounds.may_speak_for(user, user.partner_id)
        ),
        on_behalf=accepting and secretariat,
        open_round=secretariat and page.proposal.status in proposals.AMENDABLE,
        extend=secretariat and current is not None,
        close=(
            secretariat
            and current is not None
            and rounds.can_close_now(current.round, current.tally.pending, moment)
        ),
        amend=proposals.can_amend(user, page.proposal),
        withdraw=proposals.can_withdraw(user, page.proposal),
        deadline_passed=current is not None and not accepting,
    )


def _forms(
    page: queries.ProposalPage, partnership: Partnership, bound: dict[str, FlaskForm]
) -> dict[str, Any]:
    """Blank forms for the page's actions; a submitted one replaces its blank twin."""
    current = page.open_round
    # Entered and prefilled in the zone the page shows the deadline in: the reader's.
    deadline = utc_to_zone(current.round.deadline, reader_zone()) if current else None
    forms: dict[str, Any] = {
        "position": _own_position_form(current),
        "on_behalf": OnBehalfForm(formdata=None),
        "open_round": OpenRoundForm(
            formdata=None,
            quorum=partnership.default_quorum,
            deadline=utc_to_zone(rounds.suggested_deadline(now(), reader_zone()), reader_zone()),
        ),
        "extend": ExtendForm(formdata=None, deadline=deadline),
        "close": ButtonForm(formdata=None),
    }
    forms.update(bound)
    if current is not None:
        forms["on_behalf"].partner_id.choices = [
            SelectChoice(value="", label=_("Choose a partner"))
        ] + [
            SelectChoice(value=str(row.partner.id), label=row.partner.name) for row in current.rows
        ]
    return forms


def _own_position_form(current: queries.RoundSummary | None) -> PositionForm:
    """The representative's form, filled with its partner's current position."""
    mine = None
    if current is not None and current_user.partner_id is not None:
        mine = next(
            (row.position for row in current.rows if row.partner.id == current_user.partner_id),
            None,
        )
    return PositionForm(
        formdata=None,
        partner_id=current_user.partner_id,
        stance=str(mine.stance) if mine else None,
        reason=mine.reason if mine else "",
    )


def _refusals(bound: dict[str, FlaskForm], actions: Actions) -> list[str]:
    """Every error of a refused form the page no longer shows (the deadline passed, the
    round closed meanwhile), for the error summary; a shown form's errors link to its
    fields there."""
    messages: list[str] = []
    for key, form in bound.items():
        if not getattr(actions, key):
            messages.extend(str(message) for message in form.form_errors)
            messages.extend(str(error) for field in form for error in field.errors)
    return messages


def _decision_url(decision_id: int | None) -> str | None:
    return url_for("log.show", decision_id=decision_id) if decision_id is not None else None


# --- positions -------------------------------------------------------------------------


@bp.post("/rounds/<int:round_id>/position")
@role_required(*SPEAKERS)
def register_position(round_id: int):  # type: ignore[no-untyped-def]
    proposal_id = rounds.get_round(db.session, round_id).proposal_id
    on_behalf = current_user.role == Role.SECRETARIAT
    form = OnBehalfForm() if on_behalf else PositionForm()
    key = "on_behalf" if on_behalf else "position"
    if not form.validate_on_submit():
        return _refuse(proposal_id, key, form, INVALID)
    try:
        rounds.register_position(
            db.session,
            current_user,
            round_id,
            form.partner_id.data,
            form.stance.data,
            form.reason.data or "",
            form.note.data if on_behalf else "",
        )
    except DomainError as error:
        return _refuse(proposal_id, key, form, _refused(form, error))
    flash(_("The position is registered."))
    return _show(proposal_id, f"#round-{round_id}")


@bp.get("/rounds/<int:round_id>/positions/<int:partner_id>/history")
@login_required
def position_history(round_id: int, partner_id: int):  # type: ignore[no-untyped-def]
    history = rounds.position_history(db.session, round_id, partner_id)
    return render_template(
        "proposals/history.html",
        round=rounds.get_round(db.session, round_id),
        partner=partners_domain.get_partner(db.session, partner_id),
        history=list(reversed(history)),
        labels=LABELS,
        zone=reader_zone(),
    )


# --- rounds: open, extend, close -------------------------------------------------------


@bp.post("/proposals/<int:proposal_id>/rounds")
@secretariat_required
def open_round(proposal_id: int):  # type: ignore[no-untyped-def]
    proposals.get_proposal(db.session, proposal_id)  # an unknown one is a 404, not a form error
    form = OpenRoundForm()
    if not form.validate_on_submit():
        return _refuse(proposal_id, "open_round", form, INVALID)
    try:
        round_ = rounds.open_round(
            db.session,
            current_user,
            proposal_id,
            in_zone_to_utc(form.deadline.data, reader_zone()),
            form.quorum.data,
            form.auto_close.data,
        )
    except DomainError as error:
        return _refuse(proposal_id, "open_round", form, _refused(form, error))
    flash(_("Round %(n)d is open.", n=round_.number))
    return _show(proposal_id, f"#round-{round_.id}")


@bp.post("/rounds/<int:round_id>/extend")
@secretariat_required
def extend_round(round_id: int):  # type: ignore[no-untyped-def]
    proposal_id = rounds.get_round(db.session, round_id).proposal_id
    form = ExtendForm()
    if not form.validate_on_submit():
        return _refuse(proposal_id, "extend", form, INVALID)
    try:
        rounds.extend_round(
            db.session,
            current_user,
            round_id,
            in_zone_to_utc(form.deadline.data, reader_zone()),
        )
    except DomainError as error:
        return _refuse(proposal_id, "extend", form, _refused(form, error))
    flash(_("The deadline is extended."))
    return _show(proposal_id, f"#round-{round_id}")


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
        return _show(summary.round.proposal_id, f"#round-{round_id}")
    return render_template(
        "proposals/close.html",
        summary=summary,
        round=summary.round,
        form=ButtonForm(formdata=None),
        labels=LABELS,
    )


@bp.post("/rounds/<int:round_id>/close")
@secretariat_required
def close_round(round_id: int):  # type: ignore[no-untyped-def]
    proposal_id = rounds.get_round(db.session, round_id).proposal_id
    form = ButtonForm()
    if not form.validate_on_submit():
        return _refuse(proposal_id, "close", form, INVALID)
    try:
        entry = rounds.close_round(db.session, current_user, round_id)
    except DomainError as error:
        return _refuse(proposal_id, "close", form, _refused(form, error))
    flash(_("The round is closed; decision %(number)s is in the log.", number=entry.number))
    return _show(proposal_id, f"#round-{round_id}")


@bp.get("/rounds/<int:round_id>/position")
@bp.get("/rounds/<int:round_id>/extend")
@login_required
def round_form(round_id: int):  # type: ignore[no-untyped-def]
    """These addresses take a form; asked for as a page (a reload, a bookmark), they lead
    to the proposal's page, where the form is."""
    return _show(rounds.get_round(db.session, round_id).proposal_id, f"#round-{round_id}")


@bp.get("/proposals/<int:proposal_id>/rounds")
@login_required
def rounds_form(proposal_id: int):  # type: ignore[no-untyped-def]
    return _show(proposals.get_proposal(db.session, proposal_id).id)


# --- amending and withdrawing ----------------------------------------------------------


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def edit(proposal_id: int):  # type: ignore[no-untyped-def]
    proposal = proposals.get_proposal(db.session, proposal_id)
    form = AmendForm(obj=proposal)
    if request.method == "GET" and not proposals.can_amend(current_user, proposal):
        flash(_("This proposal cannot be amended now."))
        return _show(proposal_id)
    status = INVALID if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            proposals.amend_proposal(
                db.session, current_user, proposal_id, title=form.title.data, body=form.body.data
            )
        except DomainError as error:
            status = _refused(form, error)
        else:
            flash(_("The proposal is amended."))
            return _show(proposal_id)
    return render_template("proposals/edit.html", form=form, proposal=proposal), status


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["GET", "POST"])
@role_required(*SPEAKERS)
def withdraw(proposal_id: int):  # type: ignore[no-untyped-def]
    proposal = proposals.get_proposal(db.session, proposal_id)
    form = ButtonForm()
    if request.method == "GET" and not proposals.can_withdraw(current_user, proposal):
        flash(_("This proposal cannot be withdrawn now."))
        return _show(proposal_id)
    status = INVALID if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            proposals.withdraw_proposal(db.session, current_user, proposal_id)
        except DomainError as error:
            status = _refused(form, error)
        else:
            flash(_("The proposal is withdrawn."))
            return _show(proposal_id)
    return (
        render_template(
            "proposals/withdraw.html",
            form=form,
            proposal=proposal,
            open_round=proposal.open_round,
        ),
        status,
    )
