"""A deadline typed as a wall-clock time in the partnership's zone, at the calendar's edges:
a time whose UTC moment falls in year 0 or year 10000 is refused naming the field."""

from datetime import UTC, datetime

import pytest

from app.proposals.forms import in_zone_to_utc
from decisions.errors import InvalidInput


@pytest.mark.parametrize(
    ("local", "zone"),
    [
        (datetime(1, 1, 1, 0, 0), "Asia/Tokyo"),  # east of UTC: the day before year 1
        (datetime(9999, 12, 31, 23, 0), "America/New_York"),  # west: the year after 9999
    ],
)
def test_a_time_outside_the_utc_calendar_is_refused(local: datetime, zone: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        in_zone_to_utc(local, zone, field="deadline")
    assert refused.value.field == "deadline"
    assert refused.value.message == "This date is too far in the past or the future."


def test_the_calendars_edges_in_utc_itself_are_times() -> None:
    """Whether they make sensible deadlines is the service's question, not the form's."""
    assert in_zone_to_utc(datetime(1, 1, 1), "UTC") == datetime(1, 1, 1, tzinfo=UTC)
    assert in_zone_to_utc(datetime(9999, 12, 31, 23), "UTC") == datetime(
        9999, 12, 31, 23, tzinfo=UTC
    )
