"""A proposal's page, where its rounds are held too: what the reader may do there now
(``Actions``, worked out here and never in Jinja), its forms, and the refused form that
waits in the session to be shown there once (post/redirect/get). The proposals' views and
the rounds' views both answer with this page."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from app.formatting import reader_zone
from app.forms import ButtonForm
from app.proposals.comment_forms import CommentForm
from app.proposals.forms import (
    ExtendForm,
    OnBehalfForm,
    OpenRoundForm,
    PositionForm,
    utc_to_zone,
)
from app.proposals.objection_forms import AnswerForm, answer_forms
from decisions import (
    access,
    comments,
    kind_rules,
    objections,
    proposal_texts,
    proposals,
    queries,
    rounds,
    settings,
)
from decisions.clock import now
from decisions.db import db
from decisions.models import Partnership, Proposal, Role, User

#: who may submit proposals and speak in rounds
SPEAKERS = (Role.SECRETARIAT, Role.PARTNER)
#: a form whose shape is wrong (a missing field) is answered like a service's InvalidInput
INVALID = 422
#: the forms of a proposal's page, by the name the page and ``Actions`` give them
PAGE_FORMS: dict[str, type[FlaskForm]] = {
    "position": PositionForm,
    "on_behalf": OnBehalfForm,
    "open_round": OpenRoundForm,
    "extend": ExtendForm,
    "close": ButtonForm,
    "answer": AnswerForm,
    "comment": CommentForm,
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
    #: the answer forms of the objections to address: the Secretariat and the proposer
    answer: bool
    #: the discussion's comment box: the reader may comment, and the discussion is open
    comment: bool
    amend: bool
    withdraw: bool
    #: the open round no longer takes positions: its deadline has passed
    deadline_passed: bool


def to_page(proposal_id: int, anchor: str = "", code: int = 302) -> Any:
    return redirect(url_for("proposals.show", proposal_id=proposal_id) + anchor, code)


def refuse_on_page(proposal_id: int, key: str, form: FlaskForm, status: int) -> Any:
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
        return render_page(proposal_id, status, **{key: form})
    session[REFUSED] = kept
    return to_page(proposal_id, "#error-summary", 303)


def kept_refusal(proposal_id: int) -> dict[str, FlaskForm]:
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


def render_page(proposal_id: int, status: int = 200, **bound: FlaskForm) -> Any:
    """The proposal's page; ``bound`` holds a submitted form to show with its errors."""
    page = queries.proposal_overview(db.session, proposal_id)
    # Held for the whole rendering: the session's identity map keeps objects weakly, and
    # every ``localtime`` may ask for the partnership's zone.
    partnership = settings.get_partnership(db.session)
    zone = reader_zone()
    actions = _actions(page, current_user, now())
    objected = objections.proposal_objections(db.session, proposal_id)
    round_rule = kind_rules.rule_for(partnership, page.proposal.kind)
    return (
        render_template(
            "proposals/show.html",
            page=page,
            proposal=page.proposal,
            text=proposal_texts.text_in(page.proposal, _text_language(page.proposal)),
            text_languages=proposal_texts.languages_of(page.proposal),
            actions=actions,
            forms=_forms(page, partnership, bound),
            refused=[form for key, form in bound.items() if getattr(actions, key)],
            refusals=_refusals(bound, actions),
            zone=zone,
            round_rule=round_rule,
            decision_urls={s.round.id: _decision_url(s.decision_id) for s in page.rounds},
            objections=objected,
            answer_forms=answer_forms(objected.objections, bound.get("answer")),
            discussion=comments.discussion(db.session, page.proposal, current_user, now()),
        ),
        status,
    )


def _text_language(proposal: Proposal) -> str:
    """The language the reader asked for with the page's links (``?text=fr``), else the
    page's own: a French reader reads the French translation, when there is one."""
    asked = request.args.get("text", "")
    return asked if asked in proposal_texts.languages_of(proposal) else str(get_locale())


def _actions(page: queries.ProposalOverview, user: User, moment: datetime) -> Actions:
    current = page.open_round
    secretariat = user.role == Role.SECRETARIAT
    accepting = current is not None and rounds.accepts_positions(current.round, moment)
    electorate = {row.partner.id for row in current.rows} if current else set()
    return Actions(
        position=(
            accepting
            and user.role == Role.PARTNER
            and user.partner_id in electorate
            and access.may_speak_for(user, user.partner_id)
        ),
        on_behalf=accepting and secretariat,
        open_round=secretariat and page.proposal.status in proposals.AMENDABLE,
        extend=secretariat and current is not None,
        close=(
            secretariat
            and current is not None
            and rounds.can_close_now(current.round, current.tally.pending, moment)
        ),
        comment=comments.can_comment(user, page.proposal),
        answer=objections.may_answer(user, page.proposal),
        amend=proposals.can_amend(user, page.proposal),
        withdraw=proposals.can_withdraw(user, page.proposal),
        deadline_passed=current is not None and not accepting,
    )


def _forms(
    page: queries.ProposalOverview, partnership: Partnership, bound: dict[str, FlaskForm]
) -> dict[str, Any]:
    """Blank forms for the page's actions; a submitted one replaces its blank twin."""
    current = page.open_round
    # Entered and prefilled in the zone the page shows the deadline in: the reader's.
    deadline = utc_to_zone(current.round.deadline, reader_zone()) if current else None
    rule = kind_rules.rule_for(partnership, page.proposal.kind)
    forms: dict[str, Any] = {
        "position": _own_position_form(current),
        "on_behalf": OnBehalfForm(formdata=None),
        "open_round": OpenRoundForm(
            formdata=None,
            quorum=kind_rules.suggested_quorum(rule, partnership.default_quorum),
            deadline=utc_to_zone(
                kind_rules.suggested_deadline(rule, now(), reader_zone()), reader_zone()
            ),
        ),
        "extend": ExtendForm(formdata=None, deadline=deadline),
        "close": ButtonForm(formdata=None),
        "comment": CommentForm(formdata=None),
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
