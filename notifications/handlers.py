"""The event table: each event the domain publishes, and what handles it, in order.

Start here to follow a change to its notices: a service calls
``decisions.events.publish(session, event)`` before it commits, and each handler listed
below for that event type runs in the same transaction (it adds rows, never commits).
A notice e-mail then waits in the outbox for the scheduler (notifications.scheduler).

The table is built once per application, when it starts (create_app →
notifications.init_app → ``wire``), with the settings, the mail templates and the app's
URL builder handed in (notifications.settings.Settings): handlers never read the app's
configuration or ``current_app``, and every link they write comes from the app's routes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Flask, current_app, has_app_context
from flask.signals import appcontext_popped, appcontext_pushed

from decisions import events
from notifications import (
    applications,
    comment_notices,
    objection_notices,
    reminders,
    round_notices,
)
from notifications.settings import Settings

#: where each application keeps its table (app.extensions)
KEY = "accord.event_handlers"

#: a handler that writes notices, ``(session, event, settings)``: told the settings once,
#: at start-up (typed loosely: each takes its own event type)
NoticeHandler = Callable[..., None]


def table(settings: Settings) -> events.Table:
    def notices(handler: NoticeHandler) -> events.Handler:
        return partial(handler, settings=settings)

    return {
        events.RoundOpened: [
            reminders.record_opening_deadline,
            notices(round_notices.notify_round_opened),
        ],
        events.DeadlineExtended: [
            reminders.record_new_deadline,
            notices(round_notices.notify_deadline_extended),
        ],
        events.ObjectionRegistered: [notices(round_notices.notify_objection)],
        events.RoundClosed: [notices(round_notices.notify_outcome)],
        events.ApplicationReceived: [
            notices(applications.tell_applicant_received),
            notices(applications.notify_secretariat_of_application),
        ],
        events.ApplicationStatusChanged: [notices(applications.tell_applicant_status)],
        events.PartnerAdmitted: [notices(applications.invite_admitted_representative)],
        events.UserInvited: [notices(applications.send_invitation)],
        events.ObjectionAnswered: [notices(objection_notices.notify_objection_answered)],
        events.CommentPosted: [notices(comment_notices.notify_comment)],
    }


def wire(app: Flask) -> None:
    """Build the app's table from its configuration as it is now. Called by create_app,
    and again by whoever changes the configuration afterwards (`accord serve` setting
    the base URL it serves at)."""
    app.extensions[KEY] = table(Settings.of_app(app))
    # Each app context dispatches through its own app's table: a process may hold more
    # than one app (the test suite does), each with its own settings.
    appcontext_pushed.connect(_dispatch_for, app)
    appcontext_popped.connect(_dispatch_for_outer, app)
    if has_app_context() and current_app._get_current_object() is app:  # type: ignore[attr-defined]
        events.dispatch_through(app.extensions[KEY])


def _dispatch_for(app: Flask, **_: object) -> None:
    events.dispatch_through(app.extensions[KEY])


def _dispatch_for_outer(app: Flask, **_: object) -> None:
    outer = current_app.extensions.get(KEY, {}) if has_app_context() else {}
    events.dispatch_through(outer)
