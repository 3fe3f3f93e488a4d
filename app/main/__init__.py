"""The home page and the Secretariat's overview.
The blueprint and its routes are in views.py."""

from app.main.views import bp

__all__ = ["bp"]
