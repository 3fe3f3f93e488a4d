"""Membership: the public application, the Secretariat's review of applications, the
partner directory and the membership categories."""

from flask import Blueprint

bp = Blueprint("applications", __name__)


from app.applications import categories, directory, public, review  # noqa: E402,F401  (routes attach to bp)
