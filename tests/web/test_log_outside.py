"""The log page's downloads (CSV and JSON, with the list's filters) and its "check a
receipt" form, whose answer the check's page gives in plain words."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text

from decisions import log, rounds, settings
from decisions.models import DecisionEntry, User
from tests.conftest import Factory, WebClient, soup_of

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def entries(make: Factory, secretariat: User) -> list[DecisionEntry]:
    """Three entries, oldest first: adopted, blocked, adopted."""
    member = make.partner("Alpha Reef Trust")
    found = [make.decision(secretariat, START, title="=1+1 budget")]
    opened = START + timedelta(days=1)
    round_ = make.open_round(
        make.proposal(secretariat, title="Night-fishing moratorium", now=opened),
        secretariat,
        1,
        opened,
    )
    rounds.register_position(
        make.session,
        secretariat,
        round_.id,
        member.id,
        "object",
        "Not yet.",
        note="Letter of 5 January",
        now=opened,
    )
    found.append(
        rounds.close_round(make.session, secretariat, round_.id, now=opened + timedelta(days=1))
    )
    found.append(make.decision(secretariat, START + timedelta(days=4), title="Annual report"))
    return found


def download_links(client: WebClient, url: str) -> dict[str, str]:
    soup = client.page(url)
    links = soup.select(".log-downloads a[download]")
    return {urlsplit(a["href"]).path.rsplit(".", 1)[-1]: a["href"] for a in links}


def test_the_log_page_offers_its_entries_as_csv_and_json(
    admin: WebClient, entries: list[DecisionEntry]
) -> None:
    links = download_links(admin, "/decisions")
    assert set(links) == {"csv", "json"}
    answer = admin.get(links["csv"])
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    raw = answer.get_data()
    assert raw.startswith(b"\xef\xbb\xbfnumber,title,kind,outcome,closed_at,")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [entry.number for entry in entries]
    assert rows[1][1] == "'=1+1 budget"

    answer = admin.get(links["json"])
    assert answer.mimetype == "application/json"
    document = json.loads(answer.get_data())
    assert set(document) == {"partnership", "exported_at", "count", "head", "entries"}
    assert [e["hash"] for e in document["entries"]] == [entry.hash for entry in entries]
    assert document["head"] == entries[-1].hash and document["count"] == 3


def test_the_downloads_keep_the_lists_filters(
    admin: WebClient, entries: list[DecisionEntry]
) -> None:
    links = download_links(admin, "/decisions?outcome=blocked&q=moratorium")
    for link in links.values():
        assert parse_qs(urlsplit(link).query) == {"outcome": ["blocked"], "q": ["moratorium"]}
    rows = list(csv.reader(io.StringIO(admin.get(links["csv"]).get_data().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [entries[1].number]
    document = json.loads(admin.get(links["json"]).get_data())
    assert [e["number"] for e in document["entries"]] == [entries[1].number]


def test_a_bad_filter_on_a_download_is_shown_on_the_list(
    admin: WebClient, entries: list[DecisionEntry]
) -> None:
    answer = admin.get("/decisions/export.csv?outcome=maybe")
    assert answer.status_code == 422
    soup = soup_of(answer)
    error = soup.select_one("#outcome-error")
    assert error is not None and "Choose one of" in error.get_text()


def test_the_downloads_are_for_members_even_when_the_log_is_public(
    web: WebClient, session: Any, entries: list[DecisionEntry]
) -> None:
    settings.get_partnership(session).public_log = True
    session.commit()
    assert download_links(web, "/decisions") == {}
    for form in ("csv", "json"):
        answer = web.get(f"/decisions/export.{form}")
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]


# --- receipts ----------------------------------------------------------------------


def check_receipt(client: WebClient, receipt: str) -> Any:
    """Fill the list's "check a receipt" form and send it, as a browser would."""
    soup = client.page("/decisions")
    form = soup.find("form", class_="receipt-form")
    assert form is not None and form["method"] == "get"
    field = form.find("input", attrs={"name": "receipt"})
    assert field is not None and soup.find("label", attrs={"for": field["id"]}) is not None
    return client.get(form["action"], query_string={"receipt": receipt})


def test_a_receipt_is_found_then_not_after_the_newest_entry_is_deleted(
    admin: WebClient, session: Any, entries: list[DecisionEntry]
) -> None:
    newest, newest_hash, oldest_hash = entries[-1], entries[-1].hash, entries[0].hash
    answer = check_receipt(admin, f"  {newest_hash.upper()} ")
    assert answer.status_code == 200
    soup = soup_of(answer)
    found = soup.select_one("#receipt-result ~ p.verify.ok")
    assert found is not None and "Found" in found.get_text()
    assert soup.find("a", href=f"/decisions/{newest.id}") is not None
    assert newest_hash in soup.get_text()

    session.execute(text("DELETE FROM decisions WHERE id = :id"), {"id": newest.id})
    session.commit()
    soup = soup_of(check_receipt(admin, newest_hash))
    refusal = soup.find("p", class_="verify altered")
    assert refusal is not None and "Not found" in refusal.get_text()
    # the chain itself still holds: only the receipt shows the cut
    assert "Intact" in soup.find("p", class_="verify ok").get_text()
    older = soup_of(check_receipt(admin, oldest_hash))
    assert "Found" in older.find("p", class_="verify ok").get_text()


def test_a_malformed_receipt_is_a_form_error(
    admin: WebClient, entries: list[DecisionEntry]
) -> None:
    answer = check_receipt(admin, "1234")
    assert answer.status_code == 422
    soup = soup_of(answer)
    field = soup.find("input", attrs={"name": "receipt"})
    assert field["aria-invalid"] == "true" and field["value"] == "1234"
    assert "64 characters" in soup.find(id=f"{field['id']}-error").get_text()
    assert soup.find(id="receipt-result") is None


def test_every_reader_of_a_public_log_may_check_a_receipt(
    web: WebClient, session: Any, entries: list[DecisionEntry]
) -> None:
    settings.get_partnership(session).public_log = True
    session.commit()
    soup = soup_of(check_receipt(web, entries[1].hash))
    assert "Found" in soup.find("p", class_="verify ok").get_text()
    assert log.with_hash(session, entries[1].hash) is not None
