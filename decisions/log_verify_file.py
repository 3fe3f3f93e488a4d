"""Checking an export of the decision log (decisions/log_export.py's JSON) without the
database: the chain is recomputed from the file alone, with the log's own hash
(``log.check_chain``), and the export's ``count`` and ``head`` must name its entries.

A changed field breaks that entry's hash, a removed entry or a reordered pair breaks a
link, and a cut at the newest end changes ``count`` and ``head`` unless the cutter
rewrote those too: against that, a receipt (an entry's hash kept from its e-mail) or
the ``head`` of an earlier export shows whether the entries it vouches for are still
there. tools/verify_export.py does the same in the standard library only.
"""

from dataclasses import dataclass
from typing import Any

from decisions import log

#: the fields of an entry its hash covers: ``log.content_of``'s, in the order the
#: README's canonical form lists them
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


@dataclass(frozen=True)
class FileCheck:
    ok: bool
    #: entries in the file
    count: int
    #: what does not hold, in plain words (empty when ``ok``)
    problems: list[str]
    #: as ``log.Verification.receipt_found``
    receipt_found: bool | None = None


def check_export(document: Any, receipt: str | None = None) -> FileCheck:
    """``document``: the export as ``json.load`` reads it."""
    entries = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        problem = "This is not an export of the decision log: it has no list of entries."
        return FileCheck(False, 0, [problem], None if receipt is None else False)
    records = [entry if isinstance(entry, dict) else {} for entry in entries]
    result = log.check_chain(
        (
            (position, {key: entry[key] for key in COVERED if key in entry}, entry.get("hash", ""))
            for position, entry in enumerate(records, 1)
        ),
        receipt,
    )
    problems = []
    if result.first_bad is not None:
        number = records[result.first_bad - 1].get("number", "?")
        problems.append(
            f"Entry {result.first_bad} of the file ({number}) does not match its hash "
            "chain: it, or an entry before it, was changed, removed or moved."
        )
    if document.get("count") != len(records):
        problems.append(
            f"The export says it holds {document.get('count')} entries, but it holds "
            f"{len(records)}."
        )
    head = records[-1].get("hash") if records else None
    if document.get("head") != head:
        problems.append(
            "The export's head is not the hash of its last entry: entries at its end "
            "were removed or added."
        )
    return FileCheck(not problems, len(records), problems, result.receipt_found)
