"""The decision log as files that leave Accord: CSV for a spreadsheet, JSON with
everything each entry's hash covers, so that the chain can be checked without Accord
(decisions/log_verify_file.py, tools/verify_export.py).

Both are written as they are read, a chunk of entries at a time (``log.in_chain_order``),
in the chain's order, oldest first: 100 000 entries export in the memory of a few
hundred. The JSON names ``count`` and ``head`` (the hash of its last entry) after the
entries, once they are all written.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from decisions import log
from decisions.clock import as_utc
from decisions.consensus import TALLIED
from decisions.models import DecisionEntry

CSV_HEADER = ("number", "title", "kind", "outcome", "closed_at", *TALLIED, "hash")
#: what makes a spreadsheet read a cell as a formula (or as a new cell): such a cell is
#: written after an apostrophe, which the spreadsheet shows as text and does not run
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: the byte order mark: spreadsheets then read the file as UTF-8
BOM = "\ufeff"
#: about this many characters go out at a time
PIECE = 64 * 1024


def exported_entry(entry: DecisionEntry) -> dict[str, Any]:
    """An entry of the JSON export: its id (not covered by the hash), every field its
    hash covers (``log.content_of``) and the hash."""
    return {"id": entry.id, **log.content_of(entry), "hash": entry.hash}


def csv_text(entries: Iterable[DecisionEntry]) -> Iterator[str]:
    """UTF-8 with a BOM, the header, then a row per entry (quotes and line breaks
    escaped by the csv module, formulas neutralised)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        tally = entry.tally
        writer.writerow(
            [
                entry.number,
                neutral(entry.title),
                str(entry.kind),
                str(entry.outcome),
                as_utc(entry.closed_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
                *(tally.get(key, 0) for key in TALLIED),
                entry.hash,
            ]
        )
        if buffer.tell() >= PIECE:
            yield _taken(buffer)
    yield _taken(buffer)


def neutral(cell: str) -> str:
    """The cell as a spreadsheet shows it without running it."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def json_text(
    entries: Iterable[DecisionEntry], partnership: str, exported_at: datetime
) -> Iterator[str]:
    """``{partnership, exported_at, entries, count, head}`` as UTF-8 JSON, written as
    the entries come."""
    buffer = io.StringIO()
    buffer.write(
        f'{{"partnership":{_json(partnership)},'
        f'"exported_at":{_json(log.timestamp(exported_at))},"entries":['
    )
    count, head = 0, None
    for entry in entries:
        buffer.write(("," if count else "") + _json(exported_entry(entry)))
        count, head = count + 1, entry.hash
        if buffer.tell() >= PIECE:
            yield _taken(buffer)
    buffer.write(f'],"count":{count},"head":{_json(head)}}}')
    yield _taken(buffer)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _taken(buffer: io.StringIO) -> str:
    """What the buffer holds, leaving it empty."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
