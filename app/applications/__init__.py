"""Membership: the public application, the Secretariat's review of applications, the
partner directory and the membership categories.
The blueprint is defined in blueprint.py; these modules add their routes to it, and are
imported here so that they do."""

from app.applications import categories, directory, public, review  # noqa: F401
from app.applications.blueprint import bp

__all__ = ["bp"]
