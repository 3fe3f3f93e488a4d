"""`accord verify-log` and the log's exports at 100 000 entries (a script, never a test):

    python bench/verify_log.py [--entries 100000] [--partners 12]
                               [--database-url postgresql://postgres@127.0.0.1:5432/bench_verify]
                               [--reuse]

Fills the log with bench/scale_log.py's builder (bulk inserts of entries chained by
decisions/log.py's own hash; ``--database-url`` must name an existing, empty database, or
one this script filled before with ``--reuse``; without it, a throwaway SQLite file).
Then each measure runs once in a fresh process of its own, which prints its clock time
and its resident memory once the app is started and at its peak (VmHWM):

- ``accord verify-log``: the whole chain in the database, read a chunk at a time;
- ``GET /api/v1/decisions/export.json`` and ``export.csv``, read by the client a chunk at
  a time as a download is (the JSON is kept in a file for the next measure);
- ``accord verify-log --file`` on that export, from the file alone (it reads the whole
  file: its memory grows with the export, not with the database).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from bench import scale_log  # noqa: E402
from decisions import tokens  # noqa: E402
from decisions.db import db  # noqa: E402
from decisions.models import User  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MEASURES = ("verify-log", "export.json", "export.csv", "verify-log --file")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=12, help="positions in each entry")
    parser.add_argument("--database-url", default="", help="an existing, empty database")
    parser.add_argument("--reuse", action="store_true", help="a database filled before")
    return parser.parse_args(argv)


def measure_once(url: str, measure: str, export: str) -> None:
    """In a process of its own: one measure, printed as one line of JSON."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        _, token = tokens.create_token(db.session, db.session.scalar(select(User)))
        db.session.remove()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/me", headers=headers)  # the app and its imports, warmed up
    started = scale_log.peak_resident_mb()
    began = time.perf_counter()
    if measure.startswith("verify-log"):
        args = ["accord", "verify-log", *(["--file", export] if "--file" in measure else [])]
        result = app.test_cli_runner().invoke(args=args)
        status, detail = result.exit_code, result.output.strip().splitlines()[-1]
    else:
        response = client.get(f"/api/v1/decisions/{measure}", headers=headers, buffered=False)
        size = 0
        with open(export if measure == "export.json" else os.devnull, "wb") as out:
            for chunk in response.iter_encoded():
                out.write(chunk)
                size += len(chunk)
        response.close()
        status, detail = response.status_code, f"{size / 1e6:.1f} MB"
    seconds = time.perf_counter() - began
    peak = scale_log.peak_resident_mb()
    print(json.dumps({"seconds": seconds, "started": started, "peak": peak, "status": status,
                      "detail": detail}))  # fmt: skip


def measured(url: str, measure: str, export: str) -> dict[str, object]:
    code = f"import bench.verify_log as b; b.measure_once({url!r}, {measure!r}, {export!r})"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if run.returncode != 0:
        sys.exit(f"{measure} failed:\n{run.stderr}")
    found: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    return found


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    with scale_log.database(args.database_url) as url, tempfile.TemporaryDirectory() as folder:
        app = scale_log.new_app(url, args.reuse)
        began = time.perf_counter()
        if not args.reuse:
            scale_log.fill(app, args.entries, args.partners)
        print(f"filled in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        export = str(Path(folder) / "export.json")
        print(f"\n{args.entries} log entries of {args.partners} positions, {url.split(':')[0]}\n")
        print("| measure | seconds | resident MB, started | peak | answer |")
        print("| --- | ---: | ---: | ---: | --- |")
        for measure in MEASURES:
            found = measured(url, measure, export)
            print(
                f"| {measure} | {found['seconds']:.1f} | {found['started']} | "
                f"{found['peak']} | {found['status']}: {found['detail']} |"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
