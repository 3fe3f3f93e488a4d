"""The JSON API, /api/v1: a thin layer on the services the web pages use (shared API.md)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import (  # noqa: E402,F401  (routes attach to bp)
    applications,
    docs,
    errors,
    log,
    members,
    proposals,
)

errors.register(bp)
