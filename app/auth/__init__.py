"""Accounts: signing in and out, one's account, invitations, the forgotten password and
API tokens. The blueprint is defined in views.py; the area's other modules add their
routes to it, and are imported here so that they do."""

from app.auth import password, set_password, tokens  # noqa: F401  (their routes attach to bp)
from app.auth.views import bp

__all__ = ["bp"]
