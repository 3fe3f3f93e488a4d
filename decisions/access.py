"""Who may act: the Secretariat's actions are refused to everyone else, and a partner's
position is registered by its own representatives or by the Secretariat."""

from typing import Protocol

from decisions.errors import NotAllowed
from decisions.models import PartnerStatus, Role, User


class Actor(Protocol):
    """Who acts, as far as the rule of who may speak for a partner reads them: a ``User``,
    or an API token's ``tokens.Caller`` (its few columns, for the busiest operations)."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> Role: ...

    @property
    def partner_id(self) -> int | None: ...


def require_secretariat(actor: User | None) -> None:
    """``None`` is the system itself (the CLI, the scheduler)."""
    if actor is not None and actor.role != Role.SECRETARIAT:
        raise NotAllowed()


def has_a_say(actor: User) -> bool:
    """The Secretariat, and the representatives of an active partner, who draft proposals
    and discuss them: a suspended or removed partner has no say, and an observer reads."""
    if actor.role == Role.SECRETARIAT:
        return True
    return (
        actor.role == Role.PARTNER
        and actor.partner is not None
        and actor.partner.status == PartnerStatus.ACTIVE
    )


def may_speak_for(actor: Actor, partner_id: int) -> bool:
    """The Secretariat speaks for any partner; a representative for their own."""
    return actor.role == Role.SECRETARIAT or (
        actor.role == Role.PARTNER and actor.partner_id == partner_id
    )
