"""A member downloads the decision log and checks a receipt in Chromium: the log page's
CSV and JSON downloads, then its "check a receipt" form and the answer in plain words,
audited (axe at 1280 and 375 px, no sideways scrolling)."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from decisions.log_verify_file import check_export
from decisions.models import DecisionEntry
from tests.browser.conftest import OBSERVER, LiveServer, Visits, audit, sign_in


def test_a_member_downloads_the_log_and_checks_a_receipt(
    page: Any, server: LiveServer, visits: Visits
) -> None:
    visits.downloads = ("/decisions/export.",)
    with server.session() as session:
        newest = session.scalars(select(DecisionEntry).order_by(DecisionEntry.id.desc())).first()
        assert newest is not None
        receipt, number, title = newest.hash, newest.number, newest.title
    sign_in(page, OBSERVER)
    page.goto("/decisions")

    with page.expect_download() as caught:
        page.get_by_role("link", name="CSV, for a spreadsheet").click()
    content = Path(caught.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbfnumber,title,kind,outcome,closed_at,")
    assert receipt.encode() in content
    with page.expect_download() as caught:
        page.get_by_role("link", name="JSON, with everything the hashes cover").click()
    with open(caught.value.path(), "rb") as export:
        assert check_export(export, receipt).receipt_found
    document = json.loads(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert document["head"] == receipt and document["count"] == len(document["entries"])

    page.get_by_role("textbox", name="Receipt").fill(receipt)
    page.get_by_role("button", name="Check the receipt").click()
    page.wait_for_load_state()
    assert "/decisions/verify?receipt=" in page.url
    answer = page.locator("#receipt-result ~ p.verify")
    assert answer.inner_text().startswith("Found: this entry is in the log, unchanged")
    assert answer.get_by_role("link").inner_text() == f"Decision {number}: {title}"
    audit(page)

    page.get_by_role("textbox", name="Receipt").fill("0" * 63 + "1")
    page.get_by_role("button", name="Check the receipt").click()
    page.wait_for_load_state()
    assert page.locator("#receipt-result ~ p.verify").inner_text().startswith("Not found")
    audit(page)
