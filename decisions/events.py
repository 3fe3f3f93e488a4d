"""Domain events, handed to subscribers inside the transaction that causes them.

``notifications`` subscribes here so that its outbox rows are written in the same
transaction as the change; ``decisions`` never imports ``notifications``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

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


Event = (
    RoundOpened
    | DeadlineExtended
    | ObjectionRegistered
    | RoundClosed
    | ApplicationReceived
    | ApplicationStatusChanged
    | PartnerAdmitted
    | UserInvited
)
Subscriber = Callable[[Session, Event], None]

_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def publish(session: Session, event: Event) -> None:
    """Called by a service before it commits; subscribers add rows, never commit."""
    for subscriber in _subscribers:
        subscriber(session, event)
