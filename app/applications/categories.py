"""The membership categories, kept by the Secretariat: each has a name and a voice in
decisions or none; a new one gets a slug made from its name, and one that is retired
leaves the application form but stays on its partners. Rounds freeze their electorate
when they open, so a change reaches only the rounds opened afterwards."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import secretariat_required
from app.applications.blueprint import bp
from app.applications.forms import CategoryForm, RetireCategoryForm
from app.refusal import refusal_on
from decisions import categories as categories_domain
from decisions.db import db

Page = str | tuple[str, int] | Response


@bp.route("/settings/categories", methods=["GET", "POST"])
@secretariat_required
def categories() -> Page:
    """The categories, and the form that adds one."""
    form = CategoryForm() if request.method == "POST" else CategoryForm(formdata=None)
    refusal = refusal_on(form)
    if form.validate_on_submit():
        with refusal:
            added = categories_domain.add_category(
                db.session, current_user, form.name.data or "", bool(form.has_standing.data)
            )
            flash(_("The category %(name)s is added.", name=added.name))
            return redirect(url_for("applications.categories", _anchor=f"category-{added.id}"))
    return render_template(
        "applications/categories.html",
        categories=categories_domain.categories(db.session),
        form=form,
    ), refusal.page_status()


@bp.route("/settings/categories/<int:category_id>", methods=["GET", "POST"])
@secretariat_required
def edit_category(category_id: int) -> Page:
    category = categories_domain.get_category(db.session, category_id)
    form = CategoryForm(obj=category)
    if form.validate_on_submit():
        with refusal_on(form):
            categories_domain.update_category(
                db.session,
                current_user,
                category_id,
                name=form.name.data,
                has_standing=bool(form.has_standing.data),
            )
            flash(_("The category %(name)s is saved.", name=form.name.data))
            return redirect(url_for("applications.categories"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("applications/category_form.html", form=form, category=category), status


@bp.route("/settings/categories/<int:category_id>/retire", methods=["GET", "POST"])
@secretariat_required
def retire_category(category_id: int) -> Page:
    """Retiring a category, or bringing it back, asks once more: GET shows the question
    for the change on offer, POST (``retired`` yes or no) makes it."""
    category = categories_domain.get_category(db.session, category_id)
    offered = "no" if category.retired else "yes"
    if request.method == "GET":
        form = RetireCategoryForm(formdata=None, retired=offered)
        return render_template("applications/category_retire.html", form=form, category=category)
    form = RetireCategoryForm()
    refusal = refusal_on(form)
    if form.validate_on_submit():
        retired = form.retired.data == "yes"
        with refusal:
            categories_domain.update_category(
                db.session, current_user, category_id, retired=retired
            )
            flash(
                _(
                    "%(name)s is retired: it is no longer on the application form.",
                    name=category.name,
                )
                if retired
                else _("%(name)s is back on the application form.", name=category.name)
            )
            return redirect(url_for("applications.categories", _anchor=f"category-{category_id}"))
    category = categories_domain.get_category(db.session, category_id)
    return render_template(
        "applications/category_retire.html", form=form, category=category
    ), refusal.page_status()
