#!/usr/bin/env python3
"""Check an export of Accord's decision log without Accord (Python 3.8+, standard library).

    python3 verify_export.py export.json [--receipt HASH]

export.json is what the log page's "JSON" download, or GET /api/v1/decisions/export.json,
gave you. Each entry's hash is recomputed from its fields, and each entry must name the
hash of the one before it (64 zeros for the first); the export's "count" and "head" must
name its entries. With --receipt, an entry must also have that hash. Exit 0 when all
holds, 1 otherwise. The canonical form is in Accord's README ("Checking the log outside
Accord"); this script is that description, in Python.
"""

import argparse
import hashlib
import json
import sys

GENESIS = "0" * 64
#: the fields an entry's hash covers
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


def entry_hash(entry):
    """SHA-256 of the covered fields as compact JSON: keys sorted, no spaces, UTF-8."""
    content = {key: entry[key] for key in COVERED if key in entry}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def problems(export, receipt=None):
    """What does not hold in ``export``, in plain words; an empty list when all does."""
    entries = export.get("entries") if isinstance(export, dict) else None
    if not isinstance(entries, list):
        return ["not an export of the decision log: it has no list of entries"]
    found, previous, receipt_seen = [], GENESIS, False
    for place, entry in enumerate(entries, 1):
        entry = entry if isinstance(entry, dict) else {}
        if entry.get("prev_hash") != previous or entry_hash(entry) != entry.get("hash"):
            found.append(f"entry {place} ({entry.get('number')}) does not match the chain")
            break
        receipt_seen = receipt_seen or entry["hash"] == receipt
        previous = entry["hash"]
    if export.get("count") != len(entries):
        found.append(f"count says {export.get('count')}, the file holds {len(entries)}")
    if export.get("head") != (entries[-1].get("hash") if entries else None):
        found.append("head is not the hash of the last entry")
    if receipt is not None and not receipt_seen:
        found.append(f"no entry of the intact chain has the hash {receipt}")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", help="the JSON export of the decision log")
    parser.add_argument("--receipt", help="an entry's hash that must be in the chain")
    args = parser.parse_args(argv)
    try:
        with open(args.export, encoding="utf-8") as file:
            export = json.load(file)
    except (OSError, ValueError) as error:
        print(f"cannot read {args.export}: {error}", file=sys.stderr)
        return 1
    receipt = args.receipt.strip().lower() if args.receipt else None
    found = problems(export, receipt)
    for problem in found:
        print(f"ALTERED: {problem}", file=sys.stderr)
    if not found:
        print(f"intact: {len(export['entries'])} entries, chained from the first")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
