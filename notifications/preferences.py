"""A user's choice of which notices also reach them by e-mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decisions import validation
from decisions.errors import InvalidInput
from decisions.models import EmailEvents, Role, User


class LastRepresentative(InvalidInput):
    code = "last_representative"
    field = "email_events"
    default_message = _l(
        "You are the only representative of your organisation who receives reminders by "
        "e-mail: a partner that misses a deadline loses its say. Keep at least reminders "
        "and outcomes."
    )


def set_email_events(session: Session, user: User, choice: object) -> EmailEvents:
    """Set the user's choice; the caller commits. ``none`` is refused to a partner's last
    active representative who still takes reminders by e-mail."""
    chosen = validation.choice(EmailEvents, choice, "email_events")
    if chosen == EmailEvents.NONE and user.role == Role.PARTNER and user.partner_id:
        others = session.scalar(
            select(func.count())
            .select_from(User)
            .where(
                User.partner_id == user.partner_id,
                User.role == Role.PARTNER,
                User.active.is_(True),
                User.id != user.id,
                User.email_events != EmailEvents.NONE,
            )
        )
        if not others:
            raise LastRepresentative()
    user.email_events = chosen
    return chosen
