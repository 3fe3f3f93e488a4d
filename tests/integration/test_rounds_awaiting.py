"""The rounds a partner is still asked to speak in (the home page's list): open, the
partner in the electorate and silent so far, and the deadline not yet passed."""

from datetime import timedelta
from typing import Any

import time_machine

from decisions import queries, rounds
from tests.conftest import T0

DEADLINE = T0 + timedelta(days=7)


def test_a_round_whose_deadline_passed_is_no_longer_awaiting(session: Any, make: Any) -> None:
    partner, other = make.partners(2)
    sec = make.secretariat()
    soon = make.open_round(make.proposal(sec, title="Soon"), sec, days=1)
    later = make.open_round(make.proposal(sec, title="Later"), sec, days=7)
    spoken = make.open_round(make.proposal(sec, title="Spoken"), sec, days=7)
    rounds.register_position(session, sec, spoken.id, partner.id, "consent", note="Call", now=T0)

    def awaiting(now: Any = None) -> list[str]:
        return [r.title for r in queries.rounds_awaiting(session, partner.id, now)]

    assert awaiting(T0) == ["Soon", "Later"]
    assert awaiting(soon.deadline - timedelta(seconds=1)) == ["Soon", "Later"]
    assert awaiting(soon.deadline) == ["Later"]  # open still, but it takes no position now
    assert awaiting(DEADLINE + timedelta(hours=1)) == []
    assert later.is_open and soon.is_open
    with time_machine.travel(soon.deadline + timedelta(minutes=1), tick=False):
        assert awaiting() == ["Later"]  # the clock when no time is given
