"""The consensus rule as a pure function: no app, no database."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decisions.consensus import Outcome, Stance, tally

CONSENT, STAND_ASIDE, OBJECT = Stance.CONSENT, Stance.STAND_ASIDE, Stance.OBJECT
ROOT = Path(__file__).resolve().parents[2]


# --- every branch of the rule ---------------------------------------------------------


def test_one_objection_blocks_whatever_the_rest() -> None:
    result = tally([1, 2, 3, 4], {1: CONSENT, 2: CONSENT, 3: STAND_ASIDE, 4: OBJECT}, quorum=0)
    assert result.outcome == Outcome.BLOCKED
    assert (result.consent, result.stand_aside, result.object, result.pending) == (2, 1, 1, 0)


def test_objection_blocks_before_quorum_is_looked_at() -> None:
    # Quorum not met *and* an objection: the rule says blocked, not lapsed (order matters).
    result = tally([1, 2, 3], {1: OBJECT}, quorum=3)
    assert result.outcome == Outcome.BLOCKED


def test_quorum_not_met_lapses() -> None:
    result = tally([1, 2, 3, 4], {1: CONSENT}, quorum=2)
    assert result.outcome == Outcome.LAPSED
    assert result.responded == 1
    assert result.pending == 3


def test_quorum_exactly_met_adopts() -> None:
    result = tally([1, 2, 3, 4], {1: CONSENT, 2: CONSENT}, quorum=2)
    assert result.outcome == Outcome.ADOPTED


def test_silence_procedure_adopts_with_quorum_zero() -> None:
    result = tally([1, 2, 3], {}, quorum=0)
    assert result.outcome == Outcome.ADOPTED
    assert result.pending == 3
    assert result.responded == 0


def test_stand_aside_counts_toward_quorum() -> None:
    result = tally([1, 2, 3], {1: STAND_ASIDE, 2: STAND_ASIDE}, quorum=2)
    assert result.outcome == Outcome.ADOPTED
    assert result.stand_aside == 2
    assert result.responded == 2


def test_positions_from_outside_the_electorate_are_ignored() -> None:
    # Partner 9 is not in the electorate: its objection neither blocks nor counts.
    result = tally([1, 2], {1: CONSENT, 9: OBJECT, 8: CONSENT}, quorum=2)
    assert result.outcome == Outcome.LAPSED
    assert (result.consent, result.stand_aside, result.object, result.pending) == (1, 0, 0, 1)


def test_stance_given_as_plain_text_is_understood() -> None:
    # The database hands back the enum, a JSON record hands back the text; both count.
    result = tally([1, 2], {1: "consent", 2: "object"}, quorum=0)  # type: ignore[dict-item]
    assert result.outcome == Outcome.BLOCKED
    assert result.consent == 1


def test_negative_quorum_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        tally([1], {}, quorum=-1)


def test_as_dict_has_the_four_counts() -> None:
    result = tally([1, 2, 3, 4], {1: CONSENT, 2: STAND_ASIDE, 3: OBJECT}, quorum=0)
    assert result.as_dict() == {"consent": 1, "stand_aside": 1, "object": 1, "pending": 1}


# --- the rule as a property -----------------------------------------------------------

stances = st.sampled_from(list(Stance))


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[int], list[tuple[int, Stance]], int]:
    """An electorate, a sequence of position changes (some from outsiders), a quorum."""
    electorate = draw(st.lists(st.integers(1, 40), unique=True, max_size=12))
    speakers = st.sampled_from(electorate + [99, 100]) if electorate else st.just(99)
    changes = draw(st.lists(st.tuples(speakers, stances), max_size=40))
    quorum = draw(st.integers(0, len(electorate) + 2))
    return electorate, changes, quorum


def latest(changes: list[tuple[int, Stance]]) -> dict[int, Stance]:
    """Apply the changes in order: the latest registration of each partner counts."""
    current: dict[int, Stance] = {}
    for partner, stance in changes:
        current[partner] = stance
    return current


@given(rounds())
def test_adopted_iff_no_objection_and_quorum_met(
    case: tuple[list[int], list[tuple[int, Stance]], int],
) -> None:
    electorate, changes, quorum = case
    current = latest(changes)
    counted = {p: s for p, s in current.items() if p in electorate}
    no_objection = OBJECT not in counted.values()
    responses = sum(1 for s in counted.values() if s in (CONSENT, STAND_ASIDE))

    result = tally(electorate, current, quorum)

    assert (result.outcome == Outcome.ADOPTED) == (no_objection and responses >= quorum)
    assert (result.outcome == Outcome.BLOCKED) == (not no_objection)
    assert result.consent + result.stand_aside + result.object + result.pending == len(electorate)


# --- the rule is free of Flask --------------------------------------------------------


def test_consensus_does_not_load_flask() -> None:
    code = "import decisions.consensus, sys; assert 'flask' not in sys.modules"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
