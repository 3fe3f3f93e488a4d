"""A count agrees with its noun in every language (issue 14): the time left before a
deadline, and the other counted phrases, are plural messages, so that Arabic takes its
six forms and the others theirs."""

from datetime import timedelta

import pytest
from flask_babel import force_locale

from decisions import validation
from decisions.errors import InvalidInput
from notifications.wording import time_left
from tests.conftest import T0

HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("locale", "left", "said"),
    [
        ("en", HOUR, "in 1 hour"),
        ("en", 2 * HOUR, "in 2 hours"),
        ("en", timedelta(days=5), "in 5 days"),
        ("ar", HOUR, "خلال ساعة واحدة"),
        ("ar", 2 * HOUR, "خلال ساعتين"),
        ("ar", 5 * HOUR, "خلال 5 ساعات"),
        ("ar", 11 * HOUR, "خلال 11 ساعة"),
        ("ar", timedelta(days=2), "خلال يومين"),
        ("ar", timedelta(days=5), "خلال 5 أيام"),
        ("ar", timedelta(days=14), "خلال 14 يومًا"),
        ("fr", HOUR, "dans 1 heure"),
        ("fr", timedelta(days=5), "dans 5 jours"),
        ("id", 2 * HOUR, "dalam 2 jam"),
    ],
)
def test_the_time_left_agrees_with_its_number(ctx, locale, left, said):  # type: ignore[no-untyped-def]
    with force_locale(locale):
        assert time_left(T0 + left, T0) == said


def test_less_than_an_hour_names_no_number(ctx):  # type: ignore[no-untyped-def]
    with force_locale("en"):
        assert time_left(T0 + timedelta(minutes=59), T0) == "in less than an hour"


@pytest.mark.parametrize(
    ("locale", "limit", "said"),
    [
        ("en", 1, "At most 1 character."),
        ("en", 200, "At most 200 characters."),
        ("ar", 2, "حرفان على الأكثر."),
        ("ar", 10, "10 أحرف على الأكثر."),
        ("ar", 200, "200 حرف على الأكثر."),
    ],
)
def test_a_length_refused_says_its_limit_in_agreement(ctx, locale, limit, said):  # type: ignore[no-untyped-def]
    # The message is worded when the error is raised, in the language then in force.
    with force_locale(locale), pytest.raises(InvalidInput) as refused:
        validation.line("x" * (limit + 1), "title", limit)
    assert refused.value.message == said
