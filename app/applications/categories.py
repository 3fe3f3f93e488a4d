"""The membership categories, editable by the Secretariat: a name, and whether partners in
the category have a voice. Rounds freeze their electorate when they open, so a change
reaches only the rounds opened afterwards."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import secretariat_required
from app.applications.blueprint import bp
from app.applications.forms import CategoryForm
from app.refusal import refusal_on
from decisions import categories as categories_domain
from decisions.db import db

Page = str | tuple[str, int] | Response


@bp.get("/settings/categories")
@secretariat_required
def categories() -> Page:
    return render_template(
        "applications/categories.html", categories=categories_domain.categories(db.session)
    )


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
