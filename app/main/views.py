"""The home page: the Secretariat's to-do list; for a partner's representative the rounds
waiting for its position first; for an observer the open rounds."""

from datetime import datetime

from flask import Blueprint, render_template
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decisions import todo
from decisions.clock import as_utc, now
from decisions.db import db
from decisions.models import Role
from notifications.models import Delivery, OutboxMessage

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():  # type: ignore[no-untyped-def]
    moment = now()
    shown = {"now": moment}
    if current_user.role == Role.SECRETARIAT:
        return render_template(
            "main/secretariat.html",
            todo=todo.secretariat_todo(db.session, moment),
            failed_emails=failed_emails(db.session),
            **shown,
        )
    return render_template(
        "main/home.html",
        home=todo.reader_home(db.session, current_user.partner_id, moment),
        **shown,
    )


def failed_emails(session: Session) -> int:
    """How many e-mails the mail server refused for good (the outbox page lists them).

    Counted here because ``decisions`` never imports ``notifications``; its natural home
    is ``notifications.admin``."""
    return (
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == Delivery.FAILED)
        )
        or 0
    )


@bp.app_template_filter("until")
def until(deadline: datetime, moment: datetime) -> str:
    """A deadline in words, from ``moment``: "closes in 3 days", "deadline passed 5 hours
    ago"."""
    left = as_utc(deadline) - as_utc(moment)
    # threshold 1: 23 hours stay "23 hours", not "1 day", in a list of what closes within 24 h
    words = format_timedelta(left, add_direction=True, threshold=1)
    if left.total_seconds() > 0:
        return _("closes %(in_time)s", in_time=words)
    return _("deadline passed %(time_ago)s", time_ago=words)
