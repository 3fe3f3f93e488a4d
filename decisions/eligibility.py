"""Whether an application is eligible, and why not: a pure function of the application's
answers and the partnership's regional focus (no session, no Flask; the words for each
reason are handed in, see decisions/application_text.py)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class Answers(Protocol):
    """What eligibility reads of an application."""

    @property
    def operating_countries(self) -> list[str]: ...
    @property
    def government_controlled(self) -> bool: ...
    @property
    def agrees_with_principles(self) -> bool: ...
    @property
    def legally_registered(self) -> bool: ...


@dataclass
class Reason:
    code: str
    message: str
    #: a blocking reason makes the application ineligible; the others are warnings
    blocking: bool


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[Reason]


def assess(answers: Answers, focus: set[str], wording: Mapping[str, str]) -> Eligibility:
    """Measured against ``focus``, the regional focus's country codes (empty: everywhere);
    ``wording`` says each reason, by its code."""
    # (fails, code, whether it refuses or only warns), in the order shown
    checks = (
        (
            bool(focus) and not focus.intersection(answers.operating_countries or []),
            "outside_focus",
            True,
        ),
        (answers.government_controlled, "government_controlled", True),
        (not answers.agrees_with_principles, "principles_not_agreed", True),
        (not answers.legally_registered, "not_registered", False),
    )
    reasons = [Reason(code, wording[code], blocking) for fails, code, blocking in checks if fails]
    return Eligibility(eligible=not any(r.blocking for r in reasons), reasons=reasons)
