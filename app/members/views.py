"""The Secretariat's administration pages: partners, users and the partnership's settings.

Each view parses its form, calls one domain service (``decisions.partners``, ``users``,
``settings``…) and renders or redirects; a refusal from the service is shown next to
its field with status 422.
"""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app import labels
from app.access import secretariat_required
from app.applications.places import by_subregion
from app.forms import ButtonForm
from app.members.forms import (
    KindRulesForm,
    PartnerForm,
    PartnerStatusForm,
    SettingsForm,
    UserEditForm,
    UserForm,
)
from app.refusal import refusal_on
from decisions import categories, invitations
from decisions import kind_rules as kind_rules_domain
from decisions import partners as partners_domain
from decisions import settings as settings_domain
from decisions import users as users_domain
from decisions.db import db
from decisions.models import Partner, PartnerStatus, ProposalKind

bp = Blueprint("members", __name__)

Page = str | tuple[str, int] | Response


def _status_of(form: FlaskForm) -> int:
    return 422 if form.errors else 200


# Partners ------------------------------------------------------------------------------


def _status_toggle(partner: Partner) -> tuple[str, str] | None:
    """The status change offered for a partner: (new status, button label). Removal, and
    a removed partner's return, happen only by decision."""
    if partner.status == PartnerStatus.ACTIVE:
        return PartnerStatus.SUSPENDED.value, _("Suspend")
    if partner.status == PartnerStatus.SUSPENDED:
        return PartnerStatus.ACTIVE.value, _("Reactivate")
    return None


@bp.get("/partners")
@secretariat_required
def partners() -> Page:
    rows = partners_domain.partners(db.session)
    return render_template(
        "members/partners.html",
        partners=rows,
        toggles={p.id: _status_toggle(p) for p in rows},
    )


@bp.route("/partners/new", methods=["GET", "POST"])
@secretariat_required
def new_partner() -> Page:
    form = PartnerForm(category="member")
    form.offer(categories.categories(db.session))
    if form.validate_on_submit():
        with refusal_on(form):
            partner = partners_domain.create_partner(
                db.session, current_user, form.name.data, form.country.data, form.category.data
            )
            flash(_("%(name)s is registered.", name=partner.name))
            return redirect(url_for("members.partners"))
    return render_template("members/partner_form.html", form=form), _status_of(form)


@bp.route("/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_partner(partner_id: int) -> Page:
    """The partner's details; its status changes only through the confirmed step below."""
    partner = partners_domain.get_partner(db.session, partner_id)
    form = PartnerForm(obj=partner, category=partner.category.slug)
    form.offer(categories.categories(db.session), partner.country)
    if form.validate_on_submit():
        with refusal_on(form):
            partners_domain.update_partner(
                db.session,
                current_user,
                partner_id,
                name=form.name.data,
                country=form.country.data,
                category=form.category.data,
            )
            flash(_("%(name)s is saved.", name=form.name.data))
            return redirect(url_for("members.partners"))
    # Read after a possible rollback, so the page shows what is stored.
    partner = partners_domain.get_partner(db.session, partner_id)
    return render_template(
        "members/partner_form.html",
        form=form,
        partner=partner,
        toggle=_status_toggle(partner),
        status_label=labels.PARTNER_STATUS[partner.status.value],
    ), _status_of(form)


@bp.route("/partners/<int:partner_id>/status", methods=["GET", "POST"])
@secretariat_required
def partner_status(partner_id: int) -> Page:
    """Suspending or reactivating changes who decides: it asks once more. GET
    (?status=suspended or active) shows the question, POST makes the change."""
    form = PartnerStatusForm() if request.method == "POST" else PartnerStatusForm(request.args)
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            partner = partners_domain.update_partner(
                db.session, current_user, partner_id, status=form.status.data
            )
            flash(_status_message(partner))
            return redirect(url_for("members.partners"))
    status = refusal.page_status()
    partner = partners_domain.get_partner(db.session, partner_id)
    toggle = _status_toggle(partner)
    offered = toggle is not None and toggle[0] == form.status.data
    if not offered and status == 200:
        status = 409  # a stale or hand-made link: the change is not on offer
    return render_template(
        "members/partner_status.html",
        partner=partner,
        form=form,
        suspend=form.status.data == PartnerStatus.SUSPENDED.value,
        offered=offered,
        status_label=labels.PARTNER_STATUS[partner.status.value],
    ), status


def _status_message(partner: Partner) -> str:
    if partner.status == PartnerStatus.ACTIVE:
        return _("%(name)s is active again.", name=partner.name)
    return _("%(name)s is suspended.", name=partner.name)


# Users ---------------------------------------------------------------------------------


@bp.get("/users")
@secretariat_required
def users() -> Page:
    return render_template("members/users.html", users=users_domain.users(db.session))


@bp.route("/users/new", methods=["GET", "POST"])
@secretariat_required
def new_user() -> Page:
    form = UserForm()
    form.offer(partners_domain.partners(db.session))
    if form.validate_on_submit():
        with refusal_on(form):
            user = users_domain.create_user(
                db.session,
                current_user,
                form.email.data,
                form.name.data,
                form.role.data,
                form.partner_id.data,
                form.password.data or None,
                form.time_zone.data or None,
            )
            flash(_("%(name)s is added.", name=user.name))
            return redirect(url_for("members.users"))
    return render_template("members/user_form.html", form=form), _status_of(form)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_user(user_id: int) -> Page:
    user = users_domain.get_user(db.session, user_id)
    form = UserEditForm(obj=user, time_zone=user.time_zone or "")
    form.offer(partners_domain.partners(db.session))
    if form.validate_on_submit():
        with refusal_on(form):
            users_domain.update_user(
                db.session,
                current_user,
                user_id,
                name=form.name.data,
                role=form.role.data,
                partner_id=form.partner_id.data,
                time_zone=form.time_zone.data or "",
                active=form.active.data,
                password=form.password.data or None,
            )
            flash(_("%(name)s is saved.", name=form.name.data))
            return redirect(url_for("members.users"))
    return render_template("members/user_form.html", form=form, user=user), _status_of(form)


@bp.post("/users/<int:user_id>/invite")
@secretariat_required
def invite_user(user_id: int) -> Page:
    """A new set-password link for someone who has no password yet."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    user = invitations.invite_again(db.session, current_user, user_id)
    flash(_("A new invitation is on its way to %(email)s.", email=user.email))
    return redirect(url_for("members.users"))


# Settings ------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@secretariat_required
def settings() -> Page:
    partnership = settings_domain.get_partnership(db.session)
    form = SettingsForm(obj=partnership)
    form.offer()
    if form.validate_on_submit():
        with refusal_on(form):
            settings_domain.update_settings(db.session, current_user, **_settings_changes(form))
            flash(_("The settings are saved."))
            return redirect(url_for("members.settings"))
    return _settings_page(form, _kind_rules_form(formdata=None)), _status_of(form)


@bp.route("/settings/kind-rules", methods=["GET", "POST"])
@secretariat_required
def kind_rules() -> Page:
    """The rules per kind of proposal, a form of their own on the settings page."""
    if request.method == "GET":
        return redirect(url_for("members.settings", _anchor="kind-rules"))
    form = _kind_rules_form()
    if form.validate_on_submit():
        with refusal_on(form):
            settings_domain.update_settings(db.session, current_user, kind_rules=form.rules())
            flash(_("The rules per kind of proposal are saved."))
            return redirect(url_for("members.settings", _anchor="kind-rules"))
    partnership = settings_domain.get_partnership(db.session)
    return _settings_page(SettingsForm(obj=partnership, formdata=None), form), _status_of(form)


def _kind_rules_form(**kwargs: Any) -> KindRulesForm:
    rules = kind_rules_domain.rules_of(settings_domain.get_partnership(db.session))
    return KindRulesForm(data=KindRulesForm.data_of(rules), **kwargs)


def _settings_page(form: SettingsForm, rules_form: KindRulesForm) -> str:
    form.offer()
    return render_template(
        "members/settings.html",
        form=form,
        rules_form=rules_form,
        kinds=list(ProposalKind),
        # Read after a possible rollback, so the page shows what is stored.
        focus=by_subregion(settings_domain.get_partnership(db.session).regional_focus or []),
        focus_locked=not settings_domain.log_is_empty(db.session),
        categories=categories.categories(db.session),
    )


def _settings_changes(form: SettingsForm) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "name": form.name.data,
        "time_zone": form.time_zone.data,
        "default_quorum": form.default_quorum.data,
        "reminder_offsets_hours": form.reminder_offsets_hours.data,
        "public_log": bool(form.public_log.data),
    }
    # Once the decision log has an entry the page shows the focus read-only and sends
    # none; the service accepts an unchanged focus and refuses a changed one.
    focus = form.focus()
    if focus is not None:
        changes["regional_focus"] = focus
    return changes
