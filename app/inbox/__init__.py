"""The inbox: one's notices, the Secretariat's outbox and the calendar feed.
The blueprint and its routes are in views.py."""

from app.inbox.views import bp

__all__ = ["bp"]
