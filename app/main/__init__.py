"""The home page and the Secretariat's overview.
The blueprint and its routes are in views.py."""

from app.main import language  # noqa: F401  (its route attaches to bp)
from app.main.views import bp

__all__ = ["bp"]
