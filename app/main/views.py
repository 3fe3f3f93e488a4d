from flask import render_template
from flask_login import current_user, login_required

from app.main import bp
from decisions import queries
from decisions.clock import now
from decisions.db import db


@bp.get("/")
@login_required
def home():  # type: ignore[no-untyped-def]
    awaiting = (
        queries.rounds_awaiting(db.session, current_user.partner_id)
        if current_user.partner_id
        else []
    )
    return render_template(
        "main/home.html",
        awaiting=awaiting,
        open_rounds=queries.open_rounds(db.session),
        now=now(),
    )
