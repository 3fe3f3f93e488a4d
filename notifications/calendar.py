"""The personal calendar feed: an iCalendar event for each open deadline of the user's
partner (every open round for the Secretariat), at a secret address the user can renew
or revoke. An event keeps its UID while its deadline moves; its SEQUENCE counts the moves,
so calendar programs replace the old time instead of adding a second event."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decisions.models import Elector, Role, Round, User
from notifications import feed_tokens
from notifications.messages import proposal_link
from notifications.models import DeadlineSet
from notifications.settings import Settings


def issue_token(session: Session, user: User) -> str:
    """A new secret for the user's feed; the old address stops working."""
    return feed_tokens.issue(session, user, "calendar_token")


def revoke_token(session: Session, user: User) -> None:
    feed_tokens.revoke(session, user, "calendar_token")


def user_for_token(session: Session, token: str) -> User | None:
    return feed_tokens.user_for(session, "calendar_token", token)


def open_rounds_of(session: Session, user: User) -> list[Round]:
    query = select(Round).where(Round.closed_at.is_(None)).order_by(Round.deadline, Round.id)
    if user.role == Role.PARTNER and user.partner_id is not None:
        query = query.join(Elector, Elector.round_id == Round.id).where(
            Elector.partner_id == user.partner_id
        )
    elif user.role != Role.SECRETARIAT:
        return []
    return list(session.scalars(query))


def feed(session: Session, settings: Settings, user: User, now: datetime) -> bytes:
    rounds = open_rounds_of(session, user)
    moves: dict[int, int] = {
        round_id: count
        for round_id, count in session.execute(
            select(DeadlineSet.round_id, func.count())
            .where(DeadlineSet.round_id.in_([round_.id for round_ in rounds]))
            .group_by(DeadlineSet.round_id)
        )
    }
    calendar = Calendar()
    calendar.add("prodid", "-//Accord//Decision deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Accord: deadlines"))
    for round_ in rounds:
        link = proposal_link(settings, round_, f"round-{round_.id}")
        event = Event()
        event.add("uid", f"round-{round_.id}@{settings.mail_domain}")
        event.add("dtstamp", now)
        event.add("dtstart", round_.deadline)
        # One DeadlineSet row per deadline the round has had: the first is sequence 0.
        event.add("sequence", max(moves.get(round_.id, 1) - 1, 0))
        event.add(
            "summary", _("Deadline: %(title)s (round %(n)d)", title=round_.title, n=round_.number)
        )
        event.add("description", _("Positions are taken until this time.") + f"\n{link}")
        event.add("url", link)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
