"""The rule as the services apply it, on the real database: whatever the order in which
partners register and change their positions, the round decides by each partner's latest
position — adopted exactly when no partner objects and the quorum is met."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisions import rounds
from decisions.consensus import Outcome
from tests.conftest import T0

PARTNERS = 5
STANCES = st.sampled_from(["consent", "stand_aside", "object"])
CHANGES = st.lists(st.tuples(st.integers(0, PARTNERS - 1), STANCES), max_size=12)


def _decide(session, make, cast, changes, quorum):  # type: ignore[no-untyped-def]
    """Open a round, register ``changes`` in order, close it after the deadline."""
    partners, reps, sec = cast
    round_ = make.open_round(make.proposal(sec), sec, quorum=quorum)
    for step, (index, stance) in enumerate(changes):
        rounds.register_position(
            session,
            reps[index],
            round_.id,
            partners[index].id,
            stance,
            "Our reason",
            now=T0 + timedelta(minutes=step),
        )
    return rounds.close_round(session, sec, round_.id, now=T0 + timedelta(days=8)).outcome


def _reorder(changes, data):  # type: ignore[no-untyped-def]
    """Another order of the same registrations in which each partner's last one stays last."""
    last = {index: i for i, (index, _) in enumerate(changes)}
    earlier = [c for i, c in enumerate(changes) if last[c[0]] != i]
    finals = [changes[i] for i in sorted(last.values())]
    return data.draw(st.permutations(earlier)) + data.draw(st.permutations(finals))


@pytest.fixture
def cast(make):  # type: ignore[no-untyped-def]
    """Five partners with a representative each, and the Secretariat: made once, for every
    example Hypothesis tries (hence the function-scoped fixture health check is waived)."""
    partners = make.partners(PARTNERS)
    return partners, [make.representative(p) for p in partners], make.secretariat()


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=CHANGES, quorum=st.integers(0, PARTNERS), data=st.data())
def test_latest_positions_decide_whatever_the_order(session, make, cast, changes, quorum, data):  # type: ignore[no-untyped-def]
    latest = dict(changes)
    objection = "object" in latest.values()
    responses = sum(1 for stance in latest.values() if stance != "object")
    expected = (
        Outcome.BLOCKED if objection else Outcome.LAPSED if responses < quorum else Outcome.ADOPTED
    )
    assert _decide(session, make, cast, changes, quorum) == expected
    assert _decide(session, make, cast, _reorder(changes, data), quorum) == expected
