"""A round's deadline: the one suggested when it opens, and how far ahead one may lie."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from decisions.errors import DeadlineNotInFuture, DeadlineTooFar

#: how far ahead a deadline may lie: a later one is a slip of the keyboard (9999 for
#: 2026), and a time near the calendar's end cannot be shown in every time zone
#: (DeadlineTooFar's message names the number)
DEADLINE_HORIZON_YEARS = 5
#: how long a round lasts unless the Secretariat says otherwise: a week
USUAL_LENGTH = timedelta(days=7)


def _years_after(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February, in a year that has none
        return moment.replace(year=moment.year + years, day=28)


def check_deadline(deadline: datetime, moment: datetime) -> None:
    """A new deadline lies after ``moment`` and within the horizon."""
    if deadline <= moment:
        raise DeadlineNotInFuture()
    if deadline > _years_after(moment, DEADLINE_HORIZON_YEARS):
        raise DeadlineTooFar()


def suggested_deadline(moment: datetime, zone: str) -> datetime:
    """The deadline a new round is offered: a week after ``moment`` at the same time of
    day on the clock of ``zone``, to the nearest hour (aware, in UTC).

    A wall-clock time skipped when the clocks go forward is moved past the gap, so the
    suggestion always exists in ``zone``.
    """
    local = moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) + USUAL_LENGTH
    rounded = (local + timedelta(minutes=30)).replace(minute=0, second=0, microsecond=0)
    return rounded.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
