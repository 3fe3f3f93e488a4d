"""The decision log's hash chain, without an app or a database."""

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from decisions.consensus import Outcome
from decisions.log import GENESIS, content_of, hash_content, timestamp
from decisions.models import DecisionEntry, ProposalKind

CLOSED = datetime(2026, 3, 9, 9, 0, 0, 123456, tzinfo=UTC)


def entry(**changes: Any) -> DecisionEntry:
    """A transient entry (never added to a session), as append_entry would build it."""
    fields: dict[str, Any] = {
        "id": 1,
        "year": 2026,
        "seq": 7,
        "proposal_id": 3,
        "round_id": 4,
        "title": "Joint statement on early warning",
        "kind": ProposalKind.GENERAL,
        "text": "We propose that **the statement** be issued.",
        "outcome": Outcome.ADOPTED,
        "closed_at": CLOSED,
        "tally": {"consent": 2, "stand_aside": 1, "object": 0, "pending": 0},
        "positions": [
            {"partner_id": 1, "partner": "Alpha", "stance": "consent", "reason": ""},
            {"partner_id": 2, "partner": "Beta", "stance": "stand_aside", "reason": "Late"},
        ],
        "effects": [],
        "prev_hash": GENESIS,
    }
    fields.update(changes)
    return DecisionEntry(**fields)


def test_genesis_is_sixty_four_zeros() -> None:
    assert GENESIS == "0" * 64


def test_hash_is_sha256_of_canonical_json() -> None:
    content = {"b": 1, "a": "é"}
    expected = hashlib.sha256('{"a":"é","b":1}'.encode()).hexdigest()
    assert hash_content(content) == expected
    assert len(hash_content(content)) == 64


def test_canonical_json_is_stable_under_key_order() -> None:
    content = content_of(entry())
    reversed_keys = dict(reversed(list(content.items())))
    reversed_keys["tally"] = dict(reversed(list(content["tally"].items())))
    reversed_keys["positions"] = [dict(reversed(list(p.items()))) for p in content["positions"]]
    assert list(reversed_keys) != list(content)
    assert hash_content(reversed_keys) == hash_content(content)


def test_same_entry_same_hash() -> None:
    assert hash_content(content_of(entry())) == hash_content(content_of(entry()))


def test_content_names_the_number_and_every_recorded_field() -> None:
    content = content_of(entry())
    assert content["number"] == "2026/007"
    assert content["kind"] == "general"
    assert content["outcome"] == "adopted"
    assert content["closed_at"] == "2026-03-09T09:00:00.123456Z"
    assert content["prev_hash"] == GENESIS
    # The row's own hash and id are not part of what is hashed.
    assert "hash" not in content and "id" not in content
    json.dumps(content)  # JSON-serialisable as it is


def test_closing_time_is_the_same_instant_whatever_the_zone() -> None:
    manila = timezone(timedelta(hours=8))
    in_manila = entry(closed_at=CLOSED.astimezone(manila))
    assert timestamp(CLOSED.astimezone(manila)) == timestamp(CLOSED)
    assert hash_content(content_of(in_manila)) == hash_content(content_of(entry()))


CHANGES = {
    "year": 2027,
    "seq": 8,
    "proposal_id": 30,
    "round_id": 40,
    "title": "Joint statement on early warning.",
    "kind": ProposalKind.REMOVAL,
    "text": "We propose that **the statement** be issued!",
    "outcome": Outcome.BLOCKED,
    "closed_at": CLOSED + timedelta(microseconds=1),
    "tally": {"consent": 1, "stand_aside": 2, "object": 0, "pending": 0},
    "positions": [
        {"partner_id": 1, "partner": "Alpha", "stance": "consent", "reason": ""},
        {"partner_id": 2, "partner": "Beta", "stance": "stand_aside", "reason": "late"},
    ],
    "effects": [{"effect": "partner_status", "partner_id": 2, "to": "removed"}],
    "prev_hash": "f" * 64,
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_any_change_of_a_field_changes_the_hash(field: str) -> None:
    original = hash_content(content_of(entry()))
    altered = hash_content(content_of(entry(**{field: CHANGES[field]})))
    assert altered != original


def test_chain_links_each_entry_to_the_one_before() -> None:
    first = entry()
    first.hash = hash_content(content_of(first))
    second = entry(id=2, seq=8, round_id=5, prev_hash=first.hash)
    second.hash = hash_content(content_of(second))
    # Rewriting the first entry gives it another hash, so the second's link no longer holds.
    forged = entry(text="Something else entirely.")
    assert hash_content(content_of(forged)) != second.prev_hash
    assert second.prev_hash == first.hash
