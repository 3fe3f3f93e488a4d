"""Whether an application is eligible, and why not: a pure function of the application
and the partnership's regional focus (no session, no request)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from decisions.models import (
    Application,
)


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


def assess(application: Application, focus: set[str]) -> Eligibility:
    """Measured against ``focus``, the regional focus's country codes (empty: everywhere)."""
    # (fails, code, what is said, whether it refuses or only warns), in the order shown
    checks = (
        (
            bool(focus) and not focus.intersection(application.operating_countries or []),
            "outside_focus",
            _l("It operates in no country of the partnership's regional focus."),
            True,
        ),
        (
            application.government_controlled,
            "government_controlled",
            _l("It is government-operated or -controlled."),
            True,
        ),
        (
            not application.agrees_with_principles,
            "principles_not_agreed",
            _l("It does not agree with the partnership's principles."),
            True,
        ),
        (
            not application.legally_registered,
            "not_registered",
            _l("It is not legally registered."),
            False,
        ),
    )
    reasons = [
        Reason(code, str(message), blocking) for fails, code, message, blocking in checks if fails
    ]
    return Eligibility(eligible=not any(r.blocking for r in reasons), reasons=reasons)
