"""The Secretariat's administration: partners, users and the partnership's settings.
The blueprint and its routes are in views.py."""

from app.members.views import bp

__all__ = ["bp"]
