"""Decision rounds: positions, opening, extending and closing.
The blueprint and its routes are in views.py."""

from app.rounds.views import bp

__all__ = ["bp"]
