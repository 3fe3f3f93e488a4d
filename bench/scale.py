"""Accord at scale, measured (a script, never a test):

    python bench/scale.py rounds [--partners 10000] [--database-url postgresql://…]
    python bench/scale.py log [--entries 100000] [--database-url postgresql://…]

``rounds``: opening, registering in, closing and reminding a round of 10 000 partners
(bench/scale_rounds.py). ``log``: the decision log's pages and API at 100 000 entries
(bench/scale_log.py). Each fills a fresh database through bulk inserts of valid domain rows
(the log's chain verifies) and prints its figures, for the README's Performance section.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTS = {"rounds": "bench.scale_rounds", "log": "bench.scale_log"}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in PARTS:
        sys.exit(f"usage: python bench/scale.py {{{','.join(PARTS)}}} [options]")
    part = __import__(PARTS[sys.argv[1]], fromlist=["main"])
    part.main(sys.argv[2:])


if __name__ == "__main__":
    main()
