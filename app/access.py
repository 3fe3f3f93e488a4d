"""Who may see a page: the signed-in user's role."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from decisions.access import has_a_say
from decisions.models import Role


def role_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


secretariat_required = role_required(Role.SECRETARIAT)


def abilities() -> dict[str, bool]:
    """What the signed-in user's role allows, for templates to show or hide links by."""
    role = current_user.role if current_user.is_authenticated else None
    return {
        "administer": role == Role.SECRETARIAT,
        "draft": current_user.is_authenticated and has_a_say(current_user),
    }
