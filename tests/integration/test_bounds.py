"""Values at or past the edge of what the database and the calendar hold: ids larger than
an INTEGER column, counts and page numbers far too large, dates in year 0 or 10000.

Each is refused by the service as a domain error (NotFound, InvalidInput naming the
field), never passed on to the database driver or to datetime arithmetic that overflows.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from decisions import log_search, partners, proposals, queries, rounds, settings, tokens, users
from decisions.errors import DeadlineTooFar, InvalidInput, NotFound
from decisions.lookup import ID_MAX
from decisions.models import Partnership, ProposalStatus, Round
from tests.conftest import T0

HUGE = int("9" * 25)
#: ids no row can have: past the INTEGER column, zero, negative, not a whole number
NO_ROW_IDS = [HUGE, 2**63, ID_MAX + 1, 0, -1, True, "1", 1.0, None]


@pytest.mark.parametrize("row_id", NO_ROW_IDS, ids=repr)
def test_an_id_no_row_can_have_is_not_found(session: Any, make: Any, row_id: Any) -> None:
    sec = make.secretariat()
    lookups = [
        lambda: partners.get_partner(session, row_id),
        lambda: users.get_user(session, row_id),
        lambda: proposals.get_proposal(session, row_id),
        lambda: proposals.get_proposal(session, row_id, lock=True),
        lambda: rounds.get_round(session, row_id),
        lambda: rounds.get_round(session, row_id, lock=True),
        lambda: log_search.get_entry(session, row_id),
        lambda: queries.proposal_overview(session, row_id),
        lambda: tokens.revoke_token(session, sec, row_id),
    ]
    for lookup in lookups:
        with pytest.raises(NotFound):
            lookup()
        session.rollback()


def test_the_largest_id_is_looked_up_not_refused(session: Any) -> None:
    """2**31 - 1 is a valid INTEGER: the database answers that there is no such row."""
    with pytest.raises(NotFound, match="No such proposal."):
        proposals.get_proposal(session, ID_MAX, lock=True)


def test_positions_of_a_partner_no_row_can_have(session: Any, make: Any) -> None:
    partner = make.partner()
    sec = make.secretariat()
    round_ = make.open_round(make.proposal(sec), sec)
    with pytest.raises(NotFound, match="No such partner."):
        rounds.register_position(
            session, sec, round_.id, HUGE, "consent", note="Letter", now=T0 + timedelta(hours=1)
        )
    session.rollback()
    with pytest.raises(NotFound, match="No such partner."):
        rounds.position_history(session, round_.id, HUGE)
    session.rollback()
    with pytest.raises(NotFound, match="No such round."):
        rounds.extend_round(session, sec, HUGE, T0 + timedelta(days=9), now=T0)
    session.rollback()
    assert rounds.position_history(session, round_.id, partner.id) == []


def test_a_user_cannot_belong_to_a_partner_no_row_can_have(session: Any, make: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        users.create_user(session, None, "rep@example.org", "Rep", "partner", HUGE)
    assert refused.value.field == "partner_id"


def test_a_subject_partner_no_row_can_have(session: Any, make: Any) -> None:
    sec = make.secretariat()
    with pytest.raises(InvalidInput, match="No such partner.") as refused:
        make.proposal(sec, kind="suspension", subject={"partner_id": HUGE})
    assert refused.value.field == "subject"


@pytest.mark.parametrize("quorum", [2**40, HUGE, 100_001])
def test_default_quorum_has_an_upper_bound(session: Any, quorum: int) -> None:
    with pytest.raises(InvalidInput, match="At most 100000.") as refused:
        settings.update_settings(session, None, default_quorum=quorum)
    assert refused.value.field == "default_quorum"
    session.rollback()
    assert session.get(Partnership, 1).default_quorum == 0
    assert settings.update_settings(session, None, default_quorum=100_000).default_quorum == (
        100_000
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"page": HUGE}, "page"),
        ({"page": str(HUGE)}, "page"),
        ({"page": 100_001}, "page"),
        ({"until": "9999-12-31"}, "until"),
        ({"until": "9999-12-31T23:00-05:00"}, "until"),
        ({"since": "0001-01-01T00:00+05:00"}, "since"),
        ({"since": datetime.fromisoformat("0001-01-01T00:00+05:00")}, "since"),
    ],
)
def test_log_search_refuses_pages_and_dates_out_of_range(
    session: Any, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        log_search.search_log(session, **kwargs)
    assert refused.value.field == field
    assert refused.value.message


def test_log_search_takes_the_calendars_own_edges(session: Any) -> None:
    """The first and last moments the calendar holds in UTC are fine bounds."""
    page = log_search.search_log(
        session, since="0001-01-01T00:00+00:00", until="9999-12-30", page=100_000
    )
    assert (page.total, list(page.items), page.number) == (0, [], 100_000)


# --- deadlines ------------------------------------------------------------------------------


def _draft(make: Any) -> tuple[Any, Any]:
    make.partners(2)
    sec = make.secretariat()
    return sec, make.proposal(sec)


def test_a_deadline_more_than_five_years_ahead_is_refused(session: Any, make: Any) -> None:
    sec, proposal = _draft(make)
    for deadline in (
        datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
        T0.replace(year=T0.year + 5) + timedelta(minutes=1),
    ):
        with pytest.raises(DeadlineTooFar) as refused:
            rounds.open_round(session, sec, proposal.id, deadline, now=T0)
        assert refused.value.field == "deadline"
        assert refused.value.message == "The deadline can be at most five years ahead."
        session.rollback()
    assert session.get(type(proposal), proposal.id).status == ProposalStatus.DRAFT
    assert session.query(Round).count() == 0
    furthest = T0.replace(year=T0.year + 5)
    assert rounds.open_round(session, sec, proposal.id, furthest, now=T0).deadline == furthest


def test_an_extension_more_than_five_years_ahead_is_refused(session: Any, make: Any) -> None:
    sec, proposal = _draft(make)
    round_ = make.open_round(proposal, sec)
    deadline = round_.deadline
    with pytest.raises(DeadlineTooFar):
        rounds.extend_round(session, sec, round_.id, datetime(9999, 12, 31, 23, tzinfo=UTC), now=T0)
    session.rollback()
    assert rounds.get_round(session, round_.id).deadline == deadline


def test_five_years_from_a_leap_day(session: Any, make: Any) -> None:
    sec, proposal = _draft(make)
    leap_day = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    with pytest.raises(DeadlineTooFar):
        rounds.open_round(
            session, sec, proposal.id, datetime(2033, 2, 28, 12, 1, tzinfo=UTC), now=leap_day
        )
    session.rollback()
    round_ = rounds.open_round(
        session, sec, proposal.id, datetime(2033, 2, 28, 12, 0, tzinfo=UTC), now=leap_day
    )
    assert round_.deadline == datetime(2033, 2, 28, 12, 0, tzinfo=UTC)
