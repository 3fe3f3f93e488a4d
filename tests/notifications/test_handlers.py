"""The event table: every event the domain publishes has its handlers, in one place."""

from functools import partial
from typing import Any, get_args

from jinja2 import Environment

from decisions import events
from notifications import handlers, reminders, round_notices
from notifications.settings import Settings

SETTINGS = Settings(
    smtp_host=None,
    smtp_port=25,
    smtp_user=None,
    smtp_password=None,
    smtp_security="none",
    mail_from="accord@example.org",
    mail_dir="/nowhere",
    base_url="https://accord.example.org",
    templates=Environment(),
    url_for=lambda endpoint, **values: "",
)


def functions(table: events.Table, event_type: type[Any]) -> list[Any]:
    return [h.func if isinstance(h, partial) else h for h in table.get(event_type, [])]


def test_every_event_the_domain_publishes_has_a_handler() -> None:
    table = handlers.table(SETTINGS)
    published = set(get_args(events.Event))
    assert published == set(table)
    assert all(table[event_type] for event_type in published)


def test_a_reader_finds_a_rounds_notices_in_the_table() -> None:
    table = handlers.table(SETTINGS)
    assert functions(table, events.RoundClosed) == [round_notices.notify_outcome]
    assert functions(table, events.RoundOpened) == [
        reminders.record_opening_deadline,
        round_notices.notify_round_opened,
    ]


def test_the_handlers_are_told_the_settings_at_start_up() -> None:
    (outcome,) = handlers.table(SETTINGS)[events.RoundClosed]
    assert isinstance(outcome, partial) and outcome.keywords == {"settings": SETTINGS}


def test_each_app_dispatches_through_its_own_table(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        assert events._table.get() is app.extensions[handlers.KEY]
    assert events._table.get() == {}
