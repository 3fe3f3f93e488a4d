"""Domain events, handed to their handlers inside the transaction that causes them.

A service calls ``publish(session, event)`` before it commits. Which handlers run is
the table the application hands in at start-up (``notifications.handlers``, one entry
per event type), so that notices are written in the same transaction as the change;
``decisions`` never imports ``notifications``.
"""

from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class RoundOpened:
    round_id: int


@dataclass(frozen=True)
class DeadlineExtended:
    round_id: int
    previous_deadline: datetime


@dataclass(frozen=True)
class ObjectionRegistered:
    round_id: int
    partner_id: int
    position_id: int


@dataclass(frozen=True)
class RoundClosed:
    round_id: int
    decision_id: int


@dataclass(frozen=True)
class ApplicationReceived:
    application_id: int
    #: the applicant's secret for withdrawing (only ever e-mailed to the applicant)
    withdraw_token: str


@dataclass(frozen=True)
class ApplicationStatusChanged:
    application_id: int
    status: str


@dataclass(frozen=True)
class PartnerAdmitted:
    application_id: int
    partner_id: int
    user_id: int
    #: the set-password token for the new representative; None when the contact had
    #: an account already
    invitation_token: str | None


@dataclass(frozen=True)
class UserInvited:
    """The Secretariat sent a user without a password a new set-password link."""

    user_id: int
    invitation_token: str


@dataclass(frozen=True)
class CommentPosted:
    comment_id: int


@dataclass(frozen=True)
class ObjectionAnswered:
    """The Secretariat or the proposer answered (or revised the answer to) an objection."""

    objection_id: int


Event = (
    RoundOpened
    | DeadlineExtended
    | ObjectionRegistered
    | RoundClosed
    | ApplicationReceived
    | ApplicationStatusChanged
    | PartnerAdmitted
    | UserInvited
    | ObjectionAnswered
    | CommentPosted
)

#: a handler of one event type; it adds rows to the session and never commits
Handler = Callable[[Session, Any], None]
Table = Mapping[type[Event], Sequence[Handler]]

#: the table of the application whose context is active (none: events go unhandled, as
#: in unit tests of the domain alone)
_table: ContextVar[Table] = ContextVar("event_handlers", default=MappingProxyType({}))


def dispatch_through(table: Table) -> None:
    """Hand in the table of handlers (notifications.handlers.wire, at start-up)."""
    _table.set(table)


def publish(session: Session, event: Event) -> None:
    """Called by a service before it commits: each handler of the event, in turn."""
    for handler in _table.get().get(type(event), ()):
        handler(session, event)
