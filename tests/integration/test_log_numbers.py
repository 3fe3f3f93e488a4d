"""Decision numbers restart each year, the partnership's year: a round closed at 01:00 on
1 January in Manila is the first decision of the new year there, though in UTC it is
still 31 December."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from decisions import log, log_search, rounds, settings
from decisions.models import DecisionEntry


def close_at(make: Any, sec: Any, closed_at: datetime) -> DecisionEntry:
    opened = closed_at - timedelta(days=2)
    round_ = make.open_round(make.proposal(sec, now=opened), sec, days=1, now=opened)
    return rounds.close_round(make.session, sec, round_.id, now=closed_at)


@pytest.mark.parametrize(
    ("zone", "numbers"),
    [
        ("Asia/Manila", ["2026/001", "2027/001", "2027/002"]),  # UTC+8
        ("UTC", ["2026/001", "2026/002", "2027/001"]),
        ("Pacific/Honolulu", ["2026/001", "2026/002", "2026/003"]),  # UTC-10
    ],
)
def test_numbers_follow_the_partnerships_year(
    session: Any, make: Any, zone: str, numbers: list[str]
) -> None:
    settings.update_settings(session, None, time_zone=zone)
    make.partners(2)
    sec = make.secretariat()
    entries = [
        close_at(make, sec, datetime(2026, 12, 31, 12, 0, tzinfo=UTC)),
        # 01:00 on 1 January 2027 in Manila; 07:00 on 31 December in Honolulu
        close_at(make, sec, datetime(2026, 12, 31, 17, 0, tzinfo=UTC)),
        close_at(make, sec, datetime(2027, 1, 1, 9, 0, tzinfo=UTC)),  # 23:00 on 31 Dec there
    ]
    assert [e.number for e in entries] == numbers
    assert log.verify(session).ok
    years = sorted({int(n[:4]) for n in numbers}, reverse=True)
    assert log_search.years(session) == years
