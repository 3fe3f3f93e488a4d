"""Proposals: the list, drafting, a proposal's page, amending and withdrawing.
The blueprint and its routes are in views.py; page.py is the proposal's page, which
the rounds' views (app/rounds/) answer with too; objections.py answers an objection
there; translations.py edits a proposal's translations."""

from app.proposals import (
    objections,  # noqa: F401  (its route: answering an objection)
    translations,  # noqa: F401  (its routes: a proposal's translations)
)
from app.proposals.views import bp

__all__ = ["bp"]
