"""The decision log: entries numbered per year and chained by SHA-256.

Each entry's hash covers its canonical content and the hash of the entry before it,
so altering, removing or reordering any entry breaks every hash after it.
"""

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from decisions.clock import as_utc
from decisions.consensus import Outcome, Tally
from decisions.errors import InvalidInput
from decisions.models import DecisionEntry, Partnership, Round

GENESIS = "0" * 64
_HASH = re.compile(r"[0-9a-f]{64}")


def timestamp(moment: datetime) -> str:
    """The one text form of a time inside the log: UTC, microseconds, 'Z'."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


#: the fields of an entry its hash covers: ``content_of``'s, in the order the README's
#: canonical form lists them
COVERED = (
    "number",
    "proposal_id",
    "round_id",
    "title",
    "kind",
    "text",
    "outcome",
    "closed_at",
    "tally",
    "positions",
    "effects",
    "prev_hash",
)


def content_of(entry: DecisionEntry) -> dict[str, Any]:
    """What an entry's hash covers (``COVERED``), as the log writes it."""
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


def receipt_hash(value: str) -> str:
    """A receipt as given (an entry's hash, copied from an e-mail, in either case and
    with spaces around it) as the log writes hashes; InvalidInput when it is not one."""
    text = value.strip().lower()
    if not _HASH.fullmatch(text):
        raise InvalidInput(
            _l("A receipt is an entry's hash: 64 characters, digits and the letters a to f."),
            field="receipt",
        )
    return text


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


def with_hash(session: Session, hash_: str | None) -> DecisionEntry | None:
    """The entry with that hash, if one has it."""
    if hash_ is None:
        return None
    return session.scalars(select(DecisionEntry).where(DecisionEntry.hash == hash_)).first()


#: entries read at a time when the whole log is walked (a check, an export): memory
#: stays bounded however long the log, and each read is one short statement
CHUNK = 100


def in_chain_order(
    session: Session, conditions: Sequence[ColumnElement[bool]] = (), chunk: int = CHUNK
) -> Iterator[DecisionEntry]:
    """The entries that meet ``conditions``, in the chain's order (oldest first), read
    ``chunk`` at a time by keyset on the id: each read is a statement of its own, so no
    cursor stays open and no more than a chunk is held. What the database holds is read,
    not what this session remembers (``populate_existing``)."""
    last = 0
    while True:
        found = session.scalars(
            select(DecisionEntry)
            .where(*conditions, DecisionEntry.id > last)
            .order_by(DecisionEntry.id)
            .limit(chunk)
            .execution_options(populate_existing=True)
        ).all()
        yield from found
        if len(found) < chunk:
            return
        last = found[-1].id


Key = TypeVar("Key")


@dataclass(frozen=True)
class Verification(Generic[Key]):
    ok: bool
    count: int
    #: the key (an entry's id in the database; its place and number in an export) of the
    #: first entry whose hash or link does not hold
    first_bad: Key | None
    #: whether an entry has the receipt's hash and it, and every entry before it, holds;
    #: None when no receipt was asked about
    receipt_found: bool | None = None


def check_chain(
    links: Iterable[tuple[Key, dict[str, Any], str]], receipt: str | None = None
) -> Verification[Key]:
    """Walk a chain oldest first: each link is (key, the entry's content as
    ``content_of`` gives it, the hash stored with it). An entry holds when its content
    hashes to its stored hash and its ``prev_hash`` is the stored hash of the entry
    before it (GENESIS for the first); ``first_bad`` is the first key that does not."""
    expected_prev = GENESIS
    count = 0
    first_bad: Key | None = None
    found = False
    for key, content, stored in links:
        count += 1
        intact = content.get("prev_hash") == expected_prev and hash_content(content) == stored
        if not intact and first_bad is None:
            first_bad = key
        if first_bad is None and stored == receipt:
            found = True
        expected_prev = stored
    return Verification(
        ok=first_bad is None,
        count=count,
        first_bad=first_bad,
        receipt_found=None if receipt is None else found,
    )


def verify(
    session: Session,
    receipt: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Verification[int]:
    """Check the whole log in the database, a chunk at a time; ``progress`` is told how
    many entries were checked after each chunk."""

    def links() -> Iterator[tuple[int, dict[str, Any], str]]:
        count = 0
        for count, entry in enumerate(in_chain_order(session), 1):
            yield entry.id, content_of(entry), entry.hash
            if progress is not None and count % CHUNK == 0:
                progress(count)
        if progress is not None and count % CHUNK:
            progress(count)

    return check_chain(links(), receipt)
