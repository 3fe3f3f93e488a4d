"""Proposals: the list, drafting, a proposal's page, amending and withdrawing.
The blueprint and its routes are in views.py; page.py is the proposal's page, which
the rounds' views (app/rounds/) answer with too; objections.py answers an objection
there."""

from app.proposals import objections  # noqa: F401  (its route: answering an objection)
from app.proposals.views import bp

__all__ = ["bp"]
