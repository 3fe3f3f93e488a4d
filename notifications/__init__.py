"""Notifications: events -> outbox -> channels (e-mail, inbox, calendar), and the scheduler.

``init_app`` is the one call the application factory makes: it subscribes the outbox to
the domain's events (so notices are written in the transaction of their change) and
loads the tables. It starts nothing: the scheduler runs only where `accord serve` or
`accord scheduler` starts it.
"""

from flask import Flask

from decisions import events


def init_app(app: Flask) -> None:
    from notifications import (
        applications,
        models,  # noqa: F401  (the tables, for the migrations)
        outbox,
    )

    events.subscribe(outbox.on_event)
    events.subscribe(applications.on_event)
