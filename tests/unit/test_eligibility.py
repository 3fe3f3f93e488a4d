"""Eligibility as a pure function of an application's answers: no app, no database."""

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from decisions.eligibility import assess

ROOT = Path(__file__).resolve().parents[2]
WORDING = {
    code: code.replace("_", " ")
    for code in (
        "outside_focus",
        "government_controlled",
        "principles_not_agreed",
        "not_registered",
    )
}


@dataclass
class Answers:
    operating_countries: list[str] = field(default_factory=lambda: ["FJ"])
    government_controlled: bool = False
    agrees_with_principles: bool = True
    legally_registered: bool = True


def test_an_application_in_the_focus_that_answers_well_is_eligible() -> None:
    checked = assess(Answers(), {"FJ", "WS"}, WORDING)
    assert checked.eligible and checked.reasons == []


def test_an_empty_focus_welcomes_every_country() -> None:
    assert assess(Answers(operating_countries=["PE"]), set(), WORDING).eligible


def test_refusals_and_warnings_come_in_their_order_with_their_words() -> None:
    answers = Answers(
        operating_countries=["PE"],
        government_controlled=True,
        agrees_with_principles=False,
        legally_registered=False,
    )
    checked = assess(answers, {"FJ"}, WORDING)
    assert not checked.eligible
    assert [(r.code, r.blocking, r.message) for r in checked.reasons] == [
        ("outside_focus", True, "outside focus"),
        ("government_controlled", True, "government controlled"),
        ("principles_not_agreed", True, "principles not agreed"),
        ("not_registered", False, "not registered"),
    ]


def test_not_being_registered_only_warns() -> None:
    checked = assess(Answers(legally_registered=False), {"FJ"}, WORDING)
    assert checked.eligible and [r.code for r in checked.reasons] == ["not_registered"]


def test_eligibility_loads_neither_flask_nor_the_database() -> None:
    code = (
        "import decisions.eligibility, sys; "
        "assert 'flask' not in sys.modules and 'sqlalchemy' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
