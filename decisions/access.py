"""Who may act: the Secretariat's actions are refused to everyone else."""

from decisions.errors import (
    NotAllowed,
)
from decisions.models import (
    Role,
    User,
)


def require_secretariat(actor: User | None) -> None:
    """``None`` is the system itself (the CLI, the scheduler)."""
    if actor is not None and actor.role != Role.SECRETARIAT:
        raise NotAllowed()
