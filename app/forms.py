"""Helpers shared by the web forms."""

from collections.abc import Iterable
from typing import Any
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import SelectChoice

from decisions.errors import DomainError


class ButtonForm(FlaskForm):
    """A button that changes something (close a round, withdraw, retry a message): its
    CSRF token is the whole form."""


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(value=str(value), label=label) for value, label in pairs]


def zone_choices(empty_label: str | None = None) -> list[SelectChoice]:
    """Every IANA time zone; with ``empty_label``, first an empty choice (no zone of one's own)."""
    zones = [(zone, zone) for zone in sorted(available_timezones())]
    return options(([("", empty_label)] if empty_label else []) + zones)


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's refusal next to the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
