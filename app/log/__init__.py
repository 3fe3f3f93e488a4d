"""The decision log in the browser.
The blueprint and its routes are in views.py; its feed's in feed.py."""

from app.log import feed  # noqa: F401  (its routes join the blueprint)
from app.log.views import bp

__all__ = ["bp"]
