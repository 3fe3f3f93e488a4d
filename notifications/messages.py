"""What a notice says: its subject, a summary for the inbox, and the e-mail in text and
HTML, rendered for one recipient, in the recipient's time zone: the words of each kind
from notifications.wording, the e-mail's frame from app/templates/mail/notice.*."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import force_locale
from flask_babel import gettext as _

from decisions.clock import as_utc
from decisions.consensus import Outcome
from decisions.languages import direction
from decisions.models import EmailEvents, Proposal, Role, Round
from notifications.models import Kind
from notifications.naming import put_names
from notifications.settings import Settings
from notifications.wording import WORDING


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
    #: the recipient's language (decisions.languages): their own, else the partnership's
    locale: str = "en"


@dataclass(frozen=True)
class Facts:
    """What the event is about, the same for every recipient."""

    kind: Kind
    title: str
    round_number: int
    #: the page the notice is about (absolute: settings.url_for)
    link: str
    #: the title in other languages (the proposal's translations), by language code:
    #: a recipient reads it in theirs when there is one
    titles: dict[str, str] = field(default_factory=dict)
    deadline: datetime | None = None
    previous_deadline: datetime | None = None
    outcome: Outcome | None = None
    decision_number: str | None = None
    #: for an outcome: the log entry's hash, the recipient's receipt, and the page
    #: that checks it
    decision_hash: str | None = None
    receipt_link: str | None = None
    tally: dict[str, int] = field(default_factory=dict)
    objector: str | None = None
    reason: str | None = None
    #: for a reminder: the moment it is sent
    now: datetime | None = None
    #: for an application: the category applied for and the headquarters' country
    category: str | None = None
    country: str | None = None
    #: for a comment: who wrote it, the partner they spoke for (None: the Secretariat),
    #: and the start of its text as plain text
    author: str | None = None
    organisation: str | None = None
    excerpt: str | None = None
    #: for an answer to an objection: the answer, and who wrote it (None: the Secretariat)
    answer: str | None = None
    answered_by: str | None = None
    #: for a notice its representatives may answer by reply (notifications.mail_in): the
    #: round; each representative's e-mail then carries their own reply address
    reply_round_id: int | None = None


@dataclass(frozen=True)
class Content:
    subject: str
    summary: str
    text: str
    html: str
    link: str


def proposal_link(settings: Settings, round_: Round, anchor: str) -> str:
    return settings.url_for("proposals.show", proposal_id=round_.proposal_id, _anchor=anchor)


def translated_titles(proposal: Proposal) -> dict[str, str]:
    """The proposal's title in each language it is translated into, for ``Facts.titles``."""
    return {code: parts["title"] for code, parts in (proposal.translations or {}).items()}


def deadline_in_zone(moment: datetime, zone: str, locale: str) -> str:
    """ "Monday 9 March 2026, 17:00 (Asia/Singapore, UTC+08:00)": the zone always named, so
    nobody mistakes whose clock it is."""
    local = as_utc(moment).astimezone(ZoneInfo(zone))
    text = format_datetime(local, "EEEE d MMMM y, HH:mm", locale=locale)
    offset = local.strftime("%z")
    return f"{text} ({zone}, UTC{offset[:3]}:{offset[3:]})"


def render(settings: Settings, facts: Facts, recipient: Recipient) -> Content:
    with force_locale(recipient.locale):
        return _render(settings, facts, recipient)


#: stand-ins for the recipient's and their partner's names in a message rendered once for
#: many recipients: letters and digits only, so that no escaping or wording changes them
_NAME = f"accordname{uuid.uuid4().hex}"
_PARTNER = f"accordpartner{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Marked:
    """A message rendered once for every recipient who reads it alike, with marks where
    each one's names go (notifications.naming); no marks: a message for one recipient,
    named already."""

    content: Content
    name_mark: str = ""
    partner_mark: str = ""

    def put(self, text: str, recipient: Recipient, *, html: bool = False) -> str:
        """``text`` (a part of ``content``) with the recipient's names put in."""
        marks = (self.name_mark, self.partner_mark)
        return put_names(text, marks, (recipient.name, recipient.partner_name or ""), html=html)

    def named(self, recipient: Recipient) -> Content:
        content = self.content
        return Content(
            subject=self.put(content.subject, recipient),
            summary=self.put(content.summary, recipient),
            text=self.put(content.text, recipient),
            html=self.put(content.html, recipient, html=True),
            link=content.link,
        )


def renderer(settings: Settings, facts: Facts) -> Callable[[Recipient], Content]:
    """``render(settings, facts, ·)`` for the many recipients of one event, the same
    messages, rendered once for each distinct reader rather than once for each recipient
    (``marked_renderer``), each recipient's names put in."""
    marked_for = marked_renderer(settings, facts)
    return lambda recipient: marked_for(recipient).named(recipient)


def marked_renderer(settings: Settings, facts: Facts) -> Callable[[Recipient], Marked]:
    """For each of the many recipients of one event, the message of their reader: the
    same object for recipients who read alike, so that it is rendered, and stored
    (notifications.outbox), once for them all.

    What a message takes from its recipient is their language and time zone, whether
    they are of the Secretariat or speak for a partner (the closing line), their name and
    their partner's name. Names are the only part that differs from one representative to
    the next: a message is rendered with stand-ins for them, which are put in later
    (``Marked.named``; escaped for HTML, as the template escapes them)."""
    rendered: dict[tuple[str, str, Role, bool], Marked] = {}

    def for_recipient(recipient: Recipient) -> Marked:
        reader = (recipient.locale, recipient.zone, recipient.role, bool(recipient.partner_name))
        marked = rendered.get(reader)
        if marked is None:
            partner_mark = _PARTNER if recipient.partner_name else ""
            stand_in = replace(recipient, name=_NAME, partner_name=partner_mark or None)
            content = render(settings, facts, stand_in)
            marked = rendered[reader] = Marked(content, _NAME, partner_mark)
        return marked

    return for_recipient


def _render(settings: Settings, facts: Facts, recipient: Recipient) -> Content:
    def when(moment: datetime | None) -> str:
        return deadline_in_zone(moment, recipient.zone, recipient.locale) if moment else ""

    link = facts.link
    words: dict[str, Any] = {
        "title": facts.titles.get(recipient.locale, facts.title),
        "n": facts.round_number,
        "deadline": when(facts.deadline),
        "previous": when(facts.previous_deadline),
        "partner": recipient.partner_name or "",
        "objector": facts.objector or "",
    }
    wording = WORDING[facts.kind](facts, words)
    context = {
        "recipient": recipient,
        "summary": wording.summary,
        "details": wording.details,
        "action": wording.action,
        "link": link,
        "account_link": settings.url_for("auth.account"),
        "why": _why(recipient),
        "reply_hint": _reply_hint(facts, recipient),
        "lang": recipient.locale,
        "dir": direction(recipient.locale),
    }
    env = settings.templates
    # get_template().render(), not render_template(): no context processors (no queries
    # for the reader's inbox), for a message that is not a page.
    text = env.get_template("mail/notice.txt").render(context)
    html = env.get_template("mail/notice.html").render(context)
    return Content(
        subject=wording.subject, summary=wording.summary, text=text, html=html, link=link
    )


def _reply_hint(facts: Facts, recipient: Recipient) -> str:
    """The line that says how to answer by reply, to a representative (whose e-mail
    carries a reply address: notifications.outbox), in their language."""
    if facts.reply_round_id is None or not recipient.partner_name:
        return ""
    return _(
        "You may also answer by e-mail: reply with “consent”, “stand aside” or “object” "
        "on the first line, and your reason on the lines after it."
    )


def _why(recipient: Recipient) -> str:
    if recipient.role == Role.SECRETARIAT:
        return _("You receive this as a member of the Secretariat.")
    if recipient.partner_name:
        return _(
            "You receive this as a representative of %(partner)s.", partner=recipient.partner_name
        )
    return _("You receive this as the author of the proposal.")
