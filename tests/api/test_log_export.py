"""The decision log outside Accord, through the API (API.md, "The decision log outside
Accord"): the exports match the log, and a receipt is found until its entry is gone."""

import csv
import io
import json
from typing import Any

from sqlalchemy import text

from decisions.db import db
from decisions.log import COVERED
from tests.api.conftest import Api, World, listing, refused

HEADER = "number,title,kind,outcome,closed_at,consent,stand_aside,object,pending,hash"


def csv_rows(answer: Any) -> list[list[str]]:
    raw = answer.get_data()
    assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_csv_export_is_the_log_oldest_first(api: Api, world: World) -> None:
    answer = api.get("/decisions/export.csv", token=world.token("observer"))
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(answer)
    assert rows[0] == HEADER.split(",")
    items = listing(api, world, "/decisions")["items"]
    assert [row[0] for row in rows[1:]] == [item["number"] for item in reversed(items)]
    for row, item in zip(rows[1:], reversed(items), strict=True):
        assert row[1:4] == [item["title"], item["kind"], item["outcome"]]
        assert row[4] == item["closed_at"][:19] + "Z"
        tally = [str(item["tally"][key]) for key in ("consent", "stand_aside", "object")]
        assert row[5:9] == [*tally, str(item["tally"]["pending"])]
        assert row[9] == item["hash"]


def test_the_exports_take_the_lists_filters(api: Api, world: World) -> None:
    token = world.token("partner")
    for query in ({"outcome": "blocked"}, {"q": "moratorium"}, {"kind": "general"}):
        items = listing(api, world, "/decisions", **query)["items"]
        answer = api.get("/decisions/export.csv", token=token, query=query)
        assert [row[0] for row in csv_rows(answer)[1:]] == [i["number"] for i in reversed(items)]
        answer = api.get("/decisions/export.json", token=token, query=query)
        assert [e["id"] for e in answer.get_json()["entries"]] == [i["id"] for i in reversed(items)]


def test_a_bad_filter_is_refused_before_anything_is_sent(api: Api, world: World) -> None:
    for path in ("/decisions/export.csv", "/decisions/export.json"):
        answer = api.get(path, token=world.token("observer"), query={"outcome": "maybe"})
        refused(answer, 422, field="outcome")
        answer = api.get(path, token=world.token("observer"), query={"until": "someday"})
        refused(answer, 422, field="until")


def test_the_json_export_carries_what_each_hash_covers(api: Api, world: World) -> None:
    answer = api.get("/decisions/export.json", token=world.token("observer"))
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    document = json.loads(answer.get_data())
    assert set(document) == {"partnership", "exported_at", "count", "head", "entries"}
    items = list(reversed(listing(api, world, "/decisions")["items"]))
    assert document["count"] == len(items) == 3
    assert document["head"] == items[-1]["hash"]
    assert (
        document["partnership"]
        == api.get("/partnership", token=world.token("observer")).get_json()["name"]
    )
    for entry, item in zip(document["entries"], items, strict=True):
        assert set(entry) == {"id", "hash", *COVERED}
        for key in ("id", "number", "proposal_id", "round_id", "title", "kind", "text"):
            assert entry[key] == item[key]
        assert (entry["outcome"], entry["hash"], entry["prev_hash"]) == (
            item["outcome"],
            item["hash"],
            item["prev_hash"],
        )
        assert entry["positions"] == item["positions"]


def test_receipts_before_and_after_the_newest_entry_is_deleted(api: Api, world: World) -> None:
    token = world.token("observer")
    items = listing(api, world, "/decisions")["items"]  # newest first
    newest, older = items[0], items[1]
    answer = api.get("/decisions/verify", token=token, query={"receipt": newest["hash"]})
    assert answer.get_json() == {"ok": True, "count": 3, "first_bad": None, "receipt_found": True}

    db.session.execute(text("DELETE FROM decisions WHERE id = :id"), {"id": newest["id"]})
    db.session.commit()
    answer = api.get("/decisions/verify", token=token, query={"receipt": newest["hash"]})
    assert answer.get_json() == {"ok": True, "count": 2, "first_bad": None, "receipt_found": False}
    answer = api.get("/decisions/verify", token=token, query={"receipt": older["hash"].upper()})
    assert answer.get_json()["receipt_found"] is True
    # without a receipt, the answer is as it always was
    assert api.get("/decisions/verify", token=token).get_json() == {
        "ok": True,
        "count": 2,
        "first_bad": None,
    }


def test_a_malformed_receipt_is_refused(api: Api, world: World) -> None:
    for receipt in ("abc", "g" * 64, "a" * 65):
        answer = api.get(
            "/decisions/verify", token=world.token("partner"), query={"receipt": receipt}
        )
        refused(answer, 422, field="receipt")
