"""The decision log: entries numbered per year and chained by SHA-256.

Each entry's hash covers its canonical content and the hash of the entry before it,
so altering, removing or reordering any entry breaks every hash after it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decisions.clock import as_utc
from decisions.consensus import Outcome, Tally
from decisions.models import DecisionEntry, Partnership, Round

GENESIS = "0" * 64


def timestamp(moment: datetime) -> str:
    """The one text form of a time inside the log: UTC, microseconds, 'Z'."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_of(entry: DecisionEntry) -> dict[str, Any]:
    return {
        "number": entry.number,
        "proposal_id": entry.proposal_id,
        "round_id": entry.round_id,
        "title": entry.title,
        "kind": str(entry.kind),
        "text": entry.text,
        "outcome": str(entry.outcome),
        "closed_at": timestamp(entry.closed_at),
        "tally": entry.tally,
        "positions": entry.positions,
        "effects": entry.effects,
        "prev_hash": entry.prev_hash,
    }


def hash_content(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append_entry(
    session: Session,
    round_: Round,
    outcome: Outcome,
    tally: Tally,
    positions: list[dict[str, Any]],
    effects: list[dict[str, Any]],
    closed_at: datetime,
) -> DecisionEntry:
    """Add the entry for a closed round; the caller commits."""
    year, seq = _next_number(session, closed_at)
    last = session.scalars(select(DecisionEntry).order_by(DecisionEntry.id.desc()).limit(1)).first()
    entry = DecisionEntry(
        year=year,
        seq=seq,
        proposal_id=round_.proposal_id,
        round_id=round_.id,
        title=round_.title,
        kind=round_.proposal.kind,
        text=round_.text,
        outcome=outcome,
        closed_at=as_utc(closed_at),
        tally=tally.as_dict(),
        positions=positions,
        effects=effects,
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = hash_content(content_of(entry))
    session.add(entry)
    return entry


def _next_number(session: Session, closed_at: datetime) -> tuple[int, int]:
    """The year and sequence of the next entry, under the log's lock."""
    # The partnership row is the log's lock: numbering and chaining need one writer at a time.
    # It is taken last of the locks (round, proposal, partnership; see decisions.rounds).
    partnership = session.scalars(
        select(Partnership).with_for_update().execution_options(populate_existing=True)
    ).first()
    # Numbered by the partnership's year: a round closed at 01:00 on 1 January in Manila
    # is the new year's decision there, though it is still 31 December in UTC.
    zone = ZoneInfo(partnership.time_zone if partnership else "UTC")
    year = as_utc(closed_at).astimezone(zone).year
    seq = session.scalar(select(func.max(DecisionEntry.seq)).where(DecisionEntry.year == year))
    return year, (seq or 0) + 1


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    #: id of the first entry whose hash or link does not hold
    first_bad: int | None


def verify(session: Session) -> Verification:
    expected_prev = GENESIS
    count = 0
    first_bad: int | None = None
    # populate_existing: check what the database holds, not what this session remembers.
    for entry in session.scalars(
        select(DecisionEntry)
        .order_by(DecisionEntry.id)
        .execution_options(yield_per=500, populate_existing=True)
    ):
        count += 1
        intact = entry.prev_hash == expected_prev and hash_content(content_of(entry)) == entry.hash
        if not intact and first_bad is None:
            first_bad = entry.id
        expected_prev = entry.hash
    return Verification(ok=first_bad is None, count=count, first_bad=first_bad)
