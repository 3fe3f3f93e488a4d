"""Notifications: events -> outbox -> channels (e-mail, inbox, calendar), and the scheduler.

``init_app`` is the one call the application factory makes: it loads the tables and
wires the event table (notifications.handlers: which handler writes which notices, in
the transaction of their change). It starts nothing: the scheduler runs only where
`accord serve` or `accord scheduler` starts it.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from notifications import (
        handlers,
        models,  # noqa: F401  (the tables, for the migrations)
    )

    handlers.wire(app)
