"""The consensus rule, as a pure function: no Flask, no SQLAlchemy.

1. any current objection -> blocked;
2. else, with a quorum q, fewer than q responses (consent + stand aside) -> lapsed;
3. else adopted. With quorum 0 silence counts as consent (the silence procedure).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Stance(StrEnum):
    CONSENT = "consent"
    STAND_ASIDE = "stand_aside"
    OBJECT = "object"


class Outcome(StrEnum):
    ADOPTED = "adopted"
    BLOCKED = "blocked"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"


#: what a tally counts, in the order the log, the API and the exports give it
TALLIED = (*(str(stance) for stance in Stance), "pending")


@dataclass(frozen=True)
class Tally:
    consent: int
    stand_aside: int
    object: int
    pending: int
    outcome: Outcome

    @property
    def responded(self) -> int:
        """Responses that count toward a quorum: consent and stand aside."""
        return self.consent + self.stand_aside

    @property
    def spoken(self) -> int:
        return self.responded + self.object

    @property
    def electorate(self) -> int:
        return self.spoken + self.pending

    def as_dict(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in TALLIED}


def tally(electorate: Iterable[int], positions: Mapping[int, Stance], quorum: int) -> Tally:
    """Count the current positions of the electorate and say what the round would decide.

    ``positions`` maps a partner to its current stance; a stance from a partner outside
    the electorate does not count, a partner without one is pending.
    """
    if quorum < 0:
        raise ValueError("quorum cannot be negative")
    voters = set(electorate)
    counts = {stance: 0 for stance in Stance}
    for partner, stance in positions.items():
        if partner in voters:
            counts[Stance(stance)] += 1
    pending = len(voters) - sum(counts.values())
    responded = counts[Stance.CONSENT] + counts[Stance.STAND_ASIDE]
    if counts[Stance.OBJECT]:
        outcome = Outcome.BLOCKED
    elif responded < quorum:
        outcome = Outcome.LAPSED
    else:
        outcome = Outcome.ADOPTED
    return Tally(
        consent=counts[Stance.CONSENT],
        stand_aside=counts[Stance.STAND_ASIDE],
        object=counts[Stance.OBJECT],
        pending=pending,
        outcome=outcome,
    )
