"""The decision log in the browser.
The blueprint and its routes are in views.py."""

from app.log.views import bp

__all__ = ["bp"]
