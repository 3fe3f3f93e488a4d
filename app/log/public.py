"""Who may read the decision log's pages: a signed-in user, or, when the Secretariat made
the log public (``public_log``), anyone. A visitor who is not signed in reads the entries
without what partners said (reasons, notes) nor who registered a position: the views
give such a reader's templates none of it."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app
from flask_login import current_user

from app.formatting import current_partnership


def log_is_public() -> bool:
    return bool(current_partnership().public_log)


def signed_in() -> bool:
    """Whether the reader is signed in, so sees the entries whole."""
    return bool(current_user.is_authenticated)


def log_reader_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """As ``login_required``, unless the log is public: an anonymous visitor of a log that
    is not public is sent to sign in, as on every other page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not signed_in() and not log_is_public():
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        return view(*args, **kwargs)

    return wrapped
