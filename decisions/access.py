"""Who may act: the Secretariat's actions are refused to everyone else, and a partner's
position is registered by its own representatives or by the Secretariat."""

from decisions.errors import NotAllowed
from decisions.models import Role, User


def require_secretariat(actor: User | None) -> None:
    """``None`` is the system itself (the CLI, the scheduler)."""
    if actor is not None and actor.role != Role.SECRETARIAT:
        raise NotAllowed()


def may_speak_for(actor: User, partner_id: int) -> bool:
    """The Secretariat speaks for any partner; a representative for their own."""
    return actor.role == Role.SECRETARIAT or (
        actor.role == Role.PARTNER and actor.partner_id == partner_id
    )
