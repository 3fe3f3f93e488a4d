"""What each kind of notice says, one entry per kind: its subject, its summary (the inbox
shows it; the e-mail opens with it), the details listed under it and the button's words.

``words`` holds the facts as they read for one recipient (dates in their zone); each
entry is called with the locale of the message already in force.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import ngettext

from decisions.consensus import Outcome
from notifications.models import Kind

if TYPE_CHECKING:
    from notifications.messages import Facts


@dataclass(frozen=True)
class Wording:
    subject: str
    summary: str
    action: str
    details: list[tuple[str, str]] = field(default_factory=list)


def round_opened(facts: Facts, words: dict[str, Any]) -> Wording:
    return Wording(
        subject=_("Decision round open: %(title)s", **words),
        summary=_(
            "Round %(n)d on “%(title)s” is open. Register the position of %(partner)s "
            "by %(deadline)s.",
            **words,
        ),
        action=_("Register the position"),
    )


def deadline_extended(facts: Facts, words: dict[str, Any]) -> Wording:
    return Wording(
        subject=_("Deadline extended: %(title)s", **words),
        summary=_(
            "The deadline of round %(n)d on “%(title)s” has moved from %(previous)s to "
            "%(deadline)s.",
            **words,
        ),
        action=_("Register the position"),
    )


def objection_registered(facts: Facts, words: dict[str, Any]) -> Wording:
    return Wording(
        subject=_("Objection to “%(title)s” by %(objector)s", **words),
        summary=_(
            "%(objector)s has registered an objection in round %(n)d on “%(title)s”. "
            "While it stands, the proposal is not adopted.",
            **words,
        ),
        action=_("Open the proposal"),
        details=[(_("Reason"), facts.reason or "")],
    )


def round_closed(facts: Facts, words: dict[str, Any]) -> Wording:
    words = words | {
        "outcome": outcome_label(facts.outcome),
        "number": facts.decision_number or "",
    }
    receipt = _(
        "Keep its hash as a receipt: %(hash)s. The log's page checks at any time that "
        "the entry is still there, unchanged.",
        hash=facts.decision_hash or "",
    )
    return Wording(
        subject=_("%(outcome)s: %(title)s", **words),
        summary=_(
            "Round %(n)d on “%(title)s” has closed. Outcome: %(outcome)s. It is decision "
            "%(number)s of the decision log.",
            **words,
        )
        + " "
        + receipt,
        action=_("Open the proposal"),
        details=[
            *tally_lines(facts.tally),
            (_("Decision"), facts.decision_number or ""),
            (_("Receipt (the entry's hash)"), facts.decision_hash or ""),
            (_("Check the receipt"), facts.receipt_link or ""),
        ],
    )


def application_received(facts: Facts, words: dict[str, Any]) -> Wording:
    return Wording(
        subject=_("Application for membership: %(title)s", **words),
        summary=_(
            "%(title)s has applied for membership. Its eligibility is on the application's "
            "page; the Secretariat's recommendation is awaited.",
            **words,
        ),
        action=_("Review the application"),
        details=[
            (_("Category applied for"), facts.category or ""),
            (_("Headquarters"), facts.country or ""),
        ],
    )


def reminder(facts: Facts, words: dict[str, Any]) -> Wording:
    words = words | {"left": time_left(facts.deadline, facts.now)}
    return Wording(
        subject=_("Reminder: position due %(left)s on “%(title)s”", **words),
        summary=_(
            "%(partner)s has not yet registered its position on “%(title)s” (round %(n)d). "
            "The deadline is %(deadline)s, %(left)s. A partner that does not answer by then "
            "has no say in this round.",
            **words,
        ),
        action=_("Register the position"),
    )


def comment(facts: Facts, words: dict[str, Any]) -> Wording:
    # No organisation: the author spoke for the Secretariat.
    organisation = facts.organisation or _("Secretariat")
    words = words | {"author": facts.author or "", "organisation": organisation}
    return Wording(
        subject=_("New comment on “%(title)s”", **words),
        summary=_("%(author)s (%(organisation)s) commented on “%(title)s”.", **words),
        action=_("Open the discussion"),
        details=[(_("Comment"), facts.excerpt or "")],
    )


def objection_answered(facts: Facts, words: dict[str, Any]) -> Wording:
    words = words | {"name": facts.answered_by or ""}
    if facts.answered_by:
        summary = _(
            "%(name)s answered the objection of %(objector)s to “%(title)s” (round %(n)d).",
            **words,
        )
    else:
        summary = _(
            "The Secretariat answered the objection of %(objector)s to “%(title)s” (round %(n)d).",
            **words,
        )
    return Wording(
        subject=_("Answer to your objection: %(title)s", **words),
        summary=summary,
        action=_("Read the answer"),
        details=[(_("Your reason"), facts.reason or ""), (_("Answer"), facts.answer or "")],
    )


#: the wording of each kind of notice; an applicant's e-mails are worded in
#: notifications.applicant_mail
WORDING: dict[Kind, Callable[[Facts, dict[str, Any]], Wording]] = {
    Kind.ROUND_OPENED: round_opened,
    Kind.DEADLINE_EXTENDED: deadline_extended,
    Kind.OBJECTION_REGISTERED: objection_registered,
    Kind.ROUND_CLOSED: round_closed,
    Kind.APPLICATION_RECEIVED: application_received,
    Kind.REMINDER: reminder,
    Kind.COMMENT: comment,
    Kind.OBJECTION_ANSWERED: objection_answered,
}


def outcome_label(outcome: Outcome | None) -> str:
    labels = {
        Outcome.ADOPTED: _("Adopted"),
        Outcome.BLOCKED: _("Blocked"),
        Outcome.LAPSED: _("Lapsed"),
        Outcome.WITHDRAWN: _("Withdrawn"),
    }
    return labels.get(outcome, "") if outcome else ""


def stance_names() -> dict[str, str]:
    """Each stance's word, and pending's, in the language in force."""
    return {
        "consent": _("Consent"),
        "stand_aside": _("Stand aside"),
        "object": _("Object"),
        "pending": _("Pending"),  # the same word as the pages (app/labels.py)
    }


def tally_lines(tally: dict[str, int]) -> list[tuple[str, str]]:
    return [(label, str(tally.get(key, 0))) for key, label in stance_names().items()]


def time_left(deadline: datetime | None, now: datetime | None) -> str:
    if deadline is None or now is None:
        return ""
    hours = max(0, int((deadline - now).total_seconds() // 3600))
    if hours < 1:
        return _("in less than an hour")
    # Counted, not spelled "%(hours)d hours": the noun agrees with the number (Arabic has
    # six forms).
    if hours < 48:
        return ngettext("in %(num)d hour", "in %(num)d hours", hours)
    return ngettext("in %(num)d day", "in %(num)d days", hours // 24)
