"""The decision log outside Accord: its exports, checked without the database by
`accord verify-log --file` and by tools/verify_export.py, and receipts checked by
`accord verify-log --receipt`, before and after the newest entry is deleted."""

import csv
import importlib.util
import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from decisions import log, log_export, log_search, rounds
from decisions.models import DecisionEntry
from tests.conftest import Factory

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_export.py"
#: titles a spreadsheet would run, or split, were they not neutralised and quoted
TITLES = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1 budget line",
    "-5 % travel",
    "@SUM(A1:A9)",
    'The "Reef" statement, final',
    "Plain title",
]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def entries(make: Factory) -> list[DecisionEntry]:
    """Six entries, oldest first; the fifth blocked by an objection."""
    member = make.partner("Alpha Reef Trust")
    rep = make.representative(member)
    sec = make.secretariat()
    found = []
    for i, title in enumerate(TITLES):
        closed = START + timedelta(days=2 * i + 1)
        if i == 4:
            opened = closed - timedelta(days=1)
            round_ = make.open_round(make.proposal(sec, title=title, now=opened), sec, 1, opened)
            rounds.register_position(
                make.session, rep, round_.id, member.id, "object", "Not yet.", now=opened
            )
            found.append(rounds.close_round(make.session, sec, round_.id, now=closed))
        else:
            found.append(make.decision(sec, closed, title=title))
    return found


def exported(session: Any, **filters: Any) -> dict[str, Any]:
    conditions = log_search.filter_conditions(session, **filters)
    chunks = log_export.json_text(log.in_chain_order(session, conditions), "Coral Sea", START)
    document: dict[str, Any] = json.loads("".join(chunks))
    return document


def csv_rows(session: Any, **filters: Any) -> tuple[str, list[list[str]]]:
    conditions = log_search.filter_conditions(session, **filters)
    written = "".join(log_export.csv_text(log.in_chain_order(session, conditions)))
    return written, list(csv.reader(io.StringIO(written.removeprefix(log_export.BOM))))


def test_the_csv_opens_cleanly_in_a_spreadsheet(session: Any, entries: list[DecisionEntry]) -> None:
    # an entry written before titles were kept on one line
    session.execute(
        text("UPDATE decisions SET title = :title WHERE id = :id"),
        {"title": "Two\nlines, and\r\na comma", "id": entries[5].id},
    )
    session.commit()
    written, rows = csv_rows(session)
    assert written.startswith("\ufeffnumber,title,kind,outcome,closed_at,")
    assert rows[0] == list(log_export.CSV_HEADER)
    assert ",".join(rows[0]) == (
        "number,title,kind,outcome,closed_at,consent,stand_aside,object,pending,hash"
    )
    body = rows[1:]
    assert [row[0] for row in body] == [entry.number for entry in entries]
    assert [row[1] for row in body] == [
        "'" + TITLES[0],
        "'" + TITLES[1],
        "'" + TITLES[2],
        "'" + TITLES[3],
        TITLES[4],
        "Two\nlines, and\r\na comma",
    ]
    assert body[4][2:4] == ["general", "blocked"]
    assert body[4][5:9] == ["0", "0", "1", "0"]
    assert body[0][4] == (START + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert datetime.fromisoformat(body[0][4]) == START + timedelta(days=1)
    assert [row[9] for row in body] == [entry.hash for entry in entries]


def test_a_tab_or_carriage_return_at_the_start_is_neutralised_too() -> None:
    assert [log_export.neutral(cell) for cell in ("\tx", "\rx", "x=1", "")] == [
        "'\tx",
        "'\rx",
        "x=1",
        "",
    ]


def test_exports_take_the_lists_filters(session: Any, entries: list[DecisionEntry]) -> None:
    _, rows = csv_rows(session, outcome="blocked")
    assert [row[0] for row in rows[1:]] == [entries[4].number]
    document = exported(session, q="reef")
    assert [e["number"] for e in document["entries"]] == [entries[4].number]
    document = exported(session, since="2026-03-05", until="2026-03-08")
    assert [e["number"] for e in document["entries"]] == [entries[1].number, entries[2].number]
    listed = log_search.search_log(session, outcome="adopted", per_page=100).items
    document = exported(session, outcome="adopted")
    assert [e["id"] for e in document["entries"]] == [e.id for e in reversed(listed)]


def test_the_json_export_carries_everything_each_hash_covers(
    session: Any, entries: list[DecisionEntry]
) -> None:
    document = exported(session)
    assert list(document) == ["partnership", "exported_at", "entries", "count", "head"]
    assert document["partnership"] == "Coral Sea"
    assert document["exported_at"] == log.timestamp(START)
    assert document["count"] == 6 and document["head"] == entries[-1].hash
    for item, entry in zip(document["entries"], entries, strict=True):
        assert item == {"id": entry.id, **log.content_of(entry), "hash": entry.hash}
        content = {key: value for key, value in item.items() if key not in ("id", "hash")}
        assert log.hash_content(content) == item["hash"]


def test_an_empty_export(session: Any) -> None:
    assert exported(session) == {
        "partnership": "Coral Sea",
        "exported_at": log.timestamp(START),
        "entries": [],
        "count": 0,
        "head": None,
    }


# --- checking an export without the database --------------------------------------


def forged(document: dict[str, Any], how: str) -> dict[str, Any]:
    """The export, changed as a forger would (a deep copy)."""
    copy: dict[str, Any] = json.loads(json.dumps(document))
    entries = copy["entries"]
    if how == "changed field":
        entries[2]["outcome"] = "blocked"
    elif how == "changed position":
        entries[4]["positions"][0]["reason"] = "Agreed after all."
    elif how == "removed entry":
        del entries[2]
        copy["count"] -= 1
    elif how == "reordered pair":
        entries[1], entries[2] = entries[2], entries[1]
    elif how == "newest cut, count and head left":
        del entries[-1]
    elif how == "newest cut, count left":
        del entries[-1]
        copy["head"] = entries[-1]["hash"]
    elif how == "rehashed entry":
        entries[0]["title"] = "A forged title"
        content = {k: v for k, v in entries[0].items() if k not in ("id", "hash")}
        entries[0]["hash"] = log.hash_content(content)
    return copy


FORGERIES = [
    "changed field",
    "changed position",
    "removed entry",
    "reordered pair",
    "newest cut, count and head left",
    "newest cut, count left",
    "rehashed entry",
]


def tool(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """tools/verify_export.py as a member runs it: its own process, no Accord, no database."""
    return subprocess.run(
        [sys.executable, "-I", str(TOOL), str(path), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=path.parent,
    )


def written(tmp_path: Path, document: dict[str, Any], name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_tool_covers_what_the_log_hashes(entries: list[DecisionEntry]) -> None:
    """tools/verify_export.py stands alone, so it names the covered fields itself."""
    spec = importlib.util.spec_from_file_location("verify_export", TOOL)
    assert spec is not None and spec.loader is not None
    standalone = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(standalone)
    assert standalone.COVERED == log.COVERED == tuple(log.content_of(entries[0]))
    assert standalone.GENESIS == log.GENESIS
    item = log_export.exported_entry(entries[3])
    assert standalone.entry_hash(item) == item["hash"] == entries[3].hash


def test_an_intact_export_verifies_from_the_file_alone(
    session: Any, entries: list[DecisionEntry], accord: Any, tmp_path: Path
) -> None:
    path = written(tmp_path, exported(session))
    # the database may even lose the log: the file alone is checked
    session.execute(text("UPDATE decisions SET title = 'Forged in the database'"))
    session.commit()
    result = accord("verify-log", "--file", str(path))
    assert result.exit_code == 0, result.output
    assert "Export intact: 6 entries" in result.output
    checked = tool(path)
    assert checked.returncode == 0, checked.stderr
    assert "intact: 6 entries" in checked.stdout


@pytest.mark.parametrize("how", FORGERIES)
def test_a_forged_export_fails_both_checks(
    session: Any, entries: list[DecisionEntry], accord: Any, tmp_path: Path, how: str
) -> None:
    path = written(tmp_path, forged(exported(session), how))
    result = accord("verify-log", "--file", str(path))
    assert result.exit_code == 1, result.output
    assert "Export ALTERED" in result.output
    checked = tool(path)
    assert checked.returncode == 1, checked.stdout
    assert "ALTERED" in checked.stderr


def test_which_entry_the_check_names(
    session: Any, entries: list[DecisionEntry], accord: Any, tmp_path: Path
) -> None:
    path = written(tmp_path, forged(exported(session), "reordered pair"))
    result = accord("verify-log", "--file", str(path))
    assert f"Entry 2 of the file ({entries[2].number})" in result.output
    assert f"entry 2 ({entries[2].number})" in tool(path).stderr


def test_any_layout_of_the_same_json_verifies(
    session: Any, entries: list[DecisionEntry], make: Factory, accord: Any, tmp_path: Path
) -> None:
    """Indented, its members in another order, long texts read across many pieces."""
    sec = make.secretariat()
    for i in range(3):
        body = f"Paragraph {i}: " + "é the reef’s “mangroves” \\ \\n " * 1500
        make.decision(sec, START + timedelta(days=30 + i), title=f"Long {i}", body=body[:50_000])
    document = exported(session)
    assert len(json.dumps(document)) > 3 * 64 * 1024
    moved = {"head": document["head"], "count": document["count"], **document}
    path = tmp_path / "indented.json"
    path.write_text(json.dumps(moved, indent=2), encoding="utf-8")
    assert accord("verify-log", "--file", str(path)).exit_code == 0
    assert tool(path).returncode == 0
    moved["entries"][7]["text"] += "."
    path.write_text(json.dumps(moved, indent=2), encoding="utf-8")
    result = accord("verify-log", "--file", str(path))
    assert result.exit_code == 1 and "Entry 8 of the file" in result.output
    assert tool(path).returncode == 1


def test_a_file_that_is_not_an_export(accord: Any, tmp_path: Path, ctx: Any) -> None:
    for name, content in (("a.json", "[1, 2"), ("b.json", '{"count": 0}'), ("c.json", "[]")):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = accord("verify-log", "--file", str(path))
        assert result.exit_code == 1, (name, result.output)
        assert "Traceback" not in result.output
        assert tool(path).returncode == 1
    missing = accord("verify-log", "--file", str(tmp_path / "none.json"))
    assert missing.exit_code == 1 and "Cannot read" in missing.output


# --- receipts ----------------------------------------------------------------------------


def test_receipts_before_and_after_the_newest_entry_is_deleted(
    session: Any, entries: list[DecisionEntry], accord: Any, tmp_path: Path
) -> None:
    newest, older = entries[-1].hash, entries[2].hash
    for receipt in (newest, older, older.upper()):
        result = accord("verify-log", "--receipt", receipt)
        assert result.exit_code == 0, result.output
        assert "Receipt found" in result.output
    path = written(tmp_path, exported(session), "before.json")
    assert accord("verify-log", "--file", str(path), "--receipt", newest).exit_code == 0
    assert tool(path, "--receipt", newest).returncode == 0

    # the newest entry removed behind Accord's back: the rest of the chain is whole
    session.execute(text("DELETE FROM decisions WHERE id = :id"), {"id": entries[-1].id})
    session.commit()
    assert log.verify(session).ok
    result = accord("verify-log", "--receipt", newest)
    assert result.exit_code == 1
    assert "Receipt NOT found" in result.output
    assert accord("verify-log", "--receipt", older).exit_code == 0
    assert accord("verify-log").exit_code == 0  # without a receipt, the cut is not seen

    # an export made after the cut is whole, and its head names what it lost
    path = written(tmp_path, exported(session), "after.json")
    assert accord("verify-log", "--file", str(path)).exit_code == 0
    assert accord("verify-log", "--file", str(path), "--receipt", newest).exit_code == 1
    assert tool(path, "--receipt", newest).returncode == 1
    assert tool(path, "--receipt", older).returncode == 0


def test_a_receipt_past_an_altered_entry_is_not_found(
    session: Any, entries: list[DecisionEntry]
) -> None:
    session.execute(
        text("UPDATE decisions SET text = 'Forged' WHERE id = :id"), {"id": entries[3].id}
    )
    session.commit()
    assert log.verify(session, entries[2].hash).receipt_found is True
    result = log.verify(session, entries[4].hash)
    assert (result.ok, result.first_bad, result.receipt_found) == (False, entries[3].id, False)


def test_a_malformed_receipt_is_refused_clearly(accord: Any, ctx: Any) -> None:
    result = accord("verify-log", "--receipt", "not-a-hash")
    assert result.exit_code == 1
    assert "64 characters" in result.output and "Traceback" not in result.output


def test_progress_shows_only_on_a_terminal(
    session: Any, entries: list[DecisionEntry], ctx: Any, database_url: str
) -> None:
    """`accord verify-log` in its own process, its standard error a terminal (a pty),
    then a pipe."""
    import os
    import pty

    env = {**os.environ, "ACCORD_DATABASE_URL": database_url, "ACCORD_SCHEDULER": "off"}
    command = [str(Path(sys.executable).parent / "accord"), "verify-log"]
    leader, follower = pty.openpty()
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=follower) as run:
        os.close(follower)
        out = run.stdout.read().decode() if run.stdout else ""
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 1024)
            except OSError:  # the pty is closed once the process has ended
                break
            if not chunk:
                break
            seen += chunk
    os.close(leader)
    assert run.returncode == 0, (out, seen)
    assert "Decision log intact: 6 entries." in out
    assert b"\rChecked 6 of 6 entries" in seen

    piped = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert piped.returncode == 0 and piped.stderr == ""
