"""What a notice says: its subject, a summary for the inbox, and the e-mail in text and
HTML, rendered from app/templates/mail/ for one recipient, in the recipient's time zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from decisions.clock import as_utc
from decisions.consensus import Outcome
from decisions.models import EmailEvents, Role
from notifications.models import Kind
from notifications.settings import Settings


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    name: str
    role: Role
    #: the recipient's own zone, else the partnership's
    zone: str
    email_events: EmailEvents
    partner_id: int | None = None
    partner_name: str | None = None


@dataclass(frozen=True)
class Facts:
    """What the event is about, the same for every recipient."""

    kind: Kind
    title: str
    round_number: int
    #: the proposal's page, relative to the base URL
    path: str
    deadline: datetime | None = None
    previous_deadline: datetime | None = None
    outcome: Outcome | None = None
    decision_number: str | None = None
    tally: dict[str, int] = field(default_factory=dict)
    objector: str | None = None
    reason: str | None = None
    #: for a reminder: the moment it is sent
    now: datetime | None = None
    #: for an application: the category applied for and the headquarters' country
    category: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Content:
    subject: str
    summary: str
    text: str
    html: str
    link: str


def deadline_in_zone(moment: datetime, zone: str, locale: str) -> str:
    """ "Monday 9 March 2026, 17:00 (Asia/Singapore, UTC+08:00)": the zone always named, so
    nobody mistakes whose clock it is."""
    local = as_utc(moment).astimezone(ZoneInfo(zone))
    text = format_datetime(local, "EEEE d MMMM y, HH:mm", locale=locale)
    offset = local.strftime("%z")
    return f"{text} ({zone}, UTC{offset[:3]}:{offset[3:]})"


def render(settings: Settings, facts: Facts, recipient: Recipient) -> Content:
    with force_locale(settings.locale):
        return _render(settings, facts, recipient)


def _render(settings: Settings, facts: Facts, recipient: Recipient) -> Content:
    def when(moment: datetime | None) -> str:
        return deadline_in_zone(moment, recipient.zone, settings.locale) if moment else ""

    link = settings.link(facts.path)
    words: dict[str, Any] = {
        "title": facts.title,
        "n": facts.round_number,
        "deadline": when(facts.deadline),
        "previous": when(facts.previous_deadline),
        "partner": recipient.partner_name or "",
        "objector": facts.objector or "",
    }
    details: list[tuple[str, str]] = []
    action = _("Open the proposal")
    if facts.kind == Kind.ROUND_OPENED:
        subject = _("Decision round open: %(title)s", **words)
        summary = _(
            "Round %(n)d on “%(title)s” is open. Register the position of %(partner)s "
            "by %(deadline)s.",
            **words,
        )
        action = _("Register the position")
    elif facts.kind == Kind.DEADLINE_EXTENDED:
        subject = _("Deadline extended: %(title)s", **words)
        summary = _(
            "The deadline of round %(n)d on “%(title)s” has moved from %(previous)s to "
            "%(deadline)s.",
            **words,
        )
        action = _("Register the position")
    elif facts.kind == Kind.OBJECTION_REGISTERED:
        subject = _("Objection to “%(title)s” by %(objector)s", **words)
        summary = _(
            "%(objector)s has registered an objection in round %(n)d on “%(title)s”. "
            "While it stands, the proposal is not adopted.",
            **words,
        )
        details.append((_("Reason"), facts.reason or ""))
    elif facts.kind == Kind.ROUND_CLOSED:
        words["outcome"] = _outcome_label(facts.outcome)
        words["number"] = facts.decision_number or ""
        subject = _("%(outcome)s: %(title)s", **words)
        summary = _(
            "Round %(n)d on “%(title)s” has closed. Outcome: %(outcome)s. It is decision "
            "%(number)s of the decision log.",
            **words,
        )
        details.extend(_tally_lines(facts.tally))
    elif facts.kind == Kind.APPLICATION_RECEIVED:
        subject = _("Application for membership: %(title)s", **words)
        summary = _(
            "%(title)s has applied for membership. Its eligibility is on the application's "
            "page; the Secretariat's recommendation is awaited.",
            **words,
        )
        details.extend(
            [
                (_("Category applied for"), facts.category or ""),
                (_("Headquarters"), facts.country or ""),
            ]
        )
        action = _("Review the application")
    else:
        words["left"] = _time_left(facts.deadline, facts.now)
        subject = _("Reminder: position due %(left)s on “%(title)s”", **words)
        summary = _(
            "%(partner)s has not yet registered its position on “%(title)s” (round %(n)d). "
            "The deadline is %(deadline)s, %(left)s. A partner that does not answer by then "
            "has no say in this round.",
            **words,
        )
        action = _("Register the position")
    context = {
        "recipient": recipient,
        "summary": summary,
        "details": details,
        "action": action,
        "link": link,
        "account_link": settings.link("/account"),
        "why": _why(facts.kind, recipient),
        "lang": settings.locale,
    }
    env = current_app.jinja_env
    # get_template().render(), not render_template(): no context processors (no queries
    # for the reader's inbox), for a message that is not a page.
    text = env.get_template("mail/notice.txt").render(context)
    html = env.get_template("mail/notice.html").render(context)
    return Content(subject=subject, summary=summary, text=text, html=html, link=link)


def _outcome_label(outcome: Outcome | None) -> str:
    labels = {
        Outcome.ADOPTED: _("Adopted"),
        Outcome.BLOCKED: _("Blocked"),
        Outcome.LAPSED: _("Lapsed"),
        Outcome.WITHDRAWN: _("Withdrawn"),
    }
    return labels.get(outcome, "") if outcome else ""


def _tally_lines(tally: dict[str, int]) -> list[tuple[str, str]]:
    names = {
        "consent": _("Consent"),
        "stand_aside": _("Stand aside"),
        "object": _("Object"),
        "pending": _("No answer"),
    }
    return [(label, str(tally.get(key, 0))) for key, label in names.items()]


def _time_left(deadline: datetime | None, now: datetime | None) -> str:
    if deadline is None or now is None:
        return ""
    hours = max(0, int((deadline - now).total_seconds() // 3600))
    if hours < 1:
        return _("in less than an hour")
    if hours < 48:
        return _("in %(hours)d hours", hours=hours)
    return _("in %(days)d days", days=hours // 24)


def _why(kind: Kind, recipient: Recipient) -> str:
    if recipient.role == Role.SECRETARIAT:
        return _("You receive this as a member of the Secretariat.")
    if recipient.partner_name:
        return _(
            "You receive this as a representative of %(partner)s.", partner=recipient.partner_name
        )
    return _("You receive this as the author of the proposal.")
