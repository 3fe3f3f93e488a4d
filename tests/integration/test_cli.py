"""The `accord` command group, run through Flask's CLI runner on the test database."""

import hashlib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select, text

from decisions import categories, passwords, rounds, settings, tokens
from decisions.consensus import Outcome
from decisions.credential_models import ApiToken
from decisions.models import DecisionEntry, Partner, Role, User
from tests.conftest import T0


def count(session: Any, model: type) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


def test_init_db_is_idempotent(accord: Any, session: Any) -> None:
    for _ in range(2):
        result = accord("init-db")
        assert result.exit_code == 0, result.output
        assert "latest schema" in result.output
    assert settings.get_partnership(session).name == "Coral Sea Prevention Partnership"
    assert len(categories.categories(session)) == 4


def test_create_partner_prints_its_id(accord: Any, session: Any) -> None:
    result = accord("create-partner", "--name", "Reef Watch", "--country", "fj")
    assert result.exit_code == 0, result.output
    partner = session.get(Partner, int(result.output.strip()))
    assert (partner.name, partner.country, partner.category.slug) == ("Reef Watch", "FJ", "member")


def test_create_partner_refuses_a_bad_country(accord: Any, session: Any) -> None:
    result = accord("create-partner", "--name", "Reef Watch", "--country", "Fiji")
    assert result.exit_code == 1
    assert "country" in result.output
    assert count(session, Partner) == 0


def test_create_representative(accord: Any, session: Any, make: Any) -> None:
    partner = make.partner()
    result = accord(
        "create-user",
        "--email",
        "Ana@Example.org",
        "--name",
        "Ana",
        "--role",
        "partner",
        "--partner-id",
        str(partner.id),
        "--password",
        "long enough password",
    )
    assert result.exit_code == 0, result.output
    user = session.get(User, int(result.output.strip()))
    assert (user.email, user.role, user.partner_id) == ("ana@example.org", Role.PARTNER, partner.id)
    assert passwords.authenticate(session, "ana@example.org", "long enough password") == user


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "chair"], "chair"),
        (["--role", "partner"], "must belong to a partner"),
        (["--role", "partner", "--partner-id", "999"], "must belong to a partner"),
        (["--role", "observer", "--partner-id", "PARTNER"], "Only a partner representative"),
        (["--role", "observer", "--password", "short"], "8 to 200 characters"),
    ],
)
def test_create_user_refusals_are_clear_and_create_nothing(
    accord: Any, session: Any, make: Any, args: list[str], message: str
) -> None:
    partner = make.partner()
    args = [str(partner.id) if a == "PARTNER" else a for a in args]
    result = accord("create-user", "--email", "bo@example.org", "--name", "Bo", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert count(session, User) == 0


def test_create_token_stores_only_its_hash(accord: Any, session: Any, make: Any) -> None:
    user = make.secretariat()
    result = accord("create-token", "--email", user.email.upper(), "--label", "reporting")
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("acc_") and len(token) > 20

    row = session.scalars(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.label == "reporting"
    assert token not in (row.token_hash, row.label)
    assert tokens.user_for_token(session, token) == user
    assert tokens.user_for_token(session, token + "x") is None


def test_create_token_for_unknown_user(accord: Any, session: Any) -> None:
    result = accord("create-token", "--email", "nobody@example.org")
    assert result.exit_code == 1
    assert "No user with e-mail nobody@example.org" in result.output
    assert count(session, ApiToken) == 0


def decided_round(make: Any, session: Any, **options: Any) -> Any:
    make.partners(2)
    sec = make.secretariat()
    round_ = make.open_round(make.proposal(sec), sec, **options)
    return sec, round_


def test_verify_log_intact_then_altered(accord: Any, session: Any, make: Any) -> None:
    sec, round_ = decided_round(make, session)
    entry = rounds.close_round(session, sec, round_.id, now=T0 + timedelta(days=8))
    entry_id = entry.id

    result = accord("verify-log")
    assert result.exit_code == 0, result.output
    assert "intact: 1 entries" in result.output

    session.execute(text("UPDATE decisions SET text = 'Forged' WHERE id = :id"), {"id": entry_id})
    session.commit()
    result = accord("verify-log")
    assert result.exit_code == 1
    assert f"entry id {entry_id}" in result.output


def test_tick_closes_a_due_auto_close_round(accord: Any, session: Any, make: Any) -> None:
    _sec, round_ = decided_round(make, session, auto_close=True)
    round_id = round_.id
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        result = accord("tick")
    assert result.exit_code == 0, result.output
    assert "Closed 0 round(s)" in result.output
    assert count(session, DecisionEntry) == 0

    with time_machine.travel(T0 + timedelta(days=8), tick=False):
        result = accord("tick")
        assert result.exit_code == 0, result.output
        assert "Closed 1 round(s)" in result.output
        assert accord("tick").exit_code == 0  # a second tick finds nothing more to do
    entry = session.scalars(select(DecisionEntry)).one()
    assert (entry.round_id, entry.outcome) == (round_id, Outcome.ADOPTED)
    assert entry.closed_at == T0 + timedelta(days=8)
