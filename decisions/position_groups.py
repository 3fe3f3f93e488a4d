"""Which positions a reader must see whole, and which are said by a partner's name alone:
one rule for a round on its proposal's page and for its entry in the decision log, so
that a round of a thousand partners reads as what stops it and why, then lists of names.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

#: the order of the positions shown whole: what stops the proposal first
_WHOLE_FIRST = {"object": 0, "stand_aside": 1, "consent": 2}
#: the lists of names, in the order shown
BRIEF_STANCES = ("consent", "stand_aside", "pending")


@dataclass(frozen=True)
class Said:
    """What a position says beyond its stance."""

    stance: str
    reason: str
    on_behalf: bool
    #: it came by e-mail reply: the Secretariat sees it marked so
    by_email: bool = False

    @property
    def whole(self) -> bool:
        """An objection, a reason, a note of how the Secretariat received it, or a
        position that came by e-mail reply (marked so)."""
        return self.stance == "object" or bool(self.reason) or self.on_behalf or self.by_email


@dataclass(frozen=True)
class Grouped(Generic[T]):
    #: shown whole: objections, then the rest with a reason or a note; each group in the
    #: order given (by name)
    whole: list[T]
    #: everyone else, by stance (``consent``, ``stand_aside``, ``pending``)
    brief: dict[str, list[T]]


def grouped(items: Sequence[T], said: Callable[[T], Said]) -> Grouped[T]:
    whole: list[tuple[int, T]] = []
    brief: dict[str, list[T]] = {stance: [] for stance in BRIEF_STANCES}
    for item in items:
        what = said(item)
        if what.whole:
            whole.append((_WHOLE_FIRST[what.stance], item))
        else:
            brief[what.stance].append(item)
    # sorted() is stable: within a stance, the items keep the order they came in
    return Grouped([item for _, item in sorted(whole, key=lambda pair: pair[0])], brief)
