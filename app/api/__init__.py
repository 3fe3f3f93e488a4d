"""The JSON API, /api/v1: a thin layer on the services the web pages use (shared API.md).
The blueprint is defined in blueprint.py; each topic's module adds its routes to it, and
is imported here so that it does."""

from app.api import (  # noqa: F401
    applications,
    discussion,
    docs,
    log,
    members,
    objections,
    proposals,
)
from app.api.blueprint import bp

__all__ = ["bp"]
