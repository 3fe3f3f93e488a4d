"""The public decision log: off by default, set on the Settings page; when on, anyone
reads the log's list, its entries and its check without signing in, but never what the
partners said (reasons, notes), who took which position, nor who registered it."""

from typing import Any

from decisions import settings
from decisions.db import db
from decisions.models import Partnership
from tests.conftest import soup_of
from tests.web.test_log import Log, log, rows  # noqa: F401 - a fixture
from tests.web.test_members import settings_data

#: what the log fixture's blocked entry holds that a public reader must never read
REASON = "It endangers our staff."
NOTE = "Letter of 3 March"


def make_public(session: Any, on: bool = True) -> None:
    settings.update_settings(session, None, public_log=on)


def test_a_log_that_is_not_public_sends_visitors_to_sign_in(web, log: Log) -> None:  # noqa: F811
    entry = log.entries["Statement on river dams"]
    for url in ("/decisions", f"/decisions/{entry.id}", "/decisions/verify"):
        response = web.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]
    assert web.get("/decisions/feed.atom").status_code == 404


def test_anyone_reads_a_public_log_list(web, session, log: Log) -> None:  # noqa: F811
    make_public(session)
    soup = web.page("/decisions")
    assert [row[:4] for row in rows(soup)][:2] == [
        ["2026/003", "New regional focus", "Regional focus", "Adopted"],
        ["2026/002", "Statement on river dams", "General", "Blocked"],
    ]
    assert len(rows(soup)) == 5
    # The filters work for a visitor too.
    assert [row[1] for row in rows(web.page("/decisions?outcome=blocked"))] == [
        "Statement on river dams"
    ]
    notice = soup.select_one(".public-notice")
    assert "This decision log is public." in notice.get_text()
    assert notice.find("a", href="/login?next=/decisions") is not None
    assert REASON not in soup.get_text() and log.sec.name not in soup.get_text()


def test_a_public_entry_shows_the_decision_not_what_partners_said(web, session, log: Log) -> None:  # noqa: F811
    make_public(session)
    entry = log.entries["Statement on river dams"]
    soup = web.page(f"/decisions/{entry.id}")
    assert "2026/002" in soup.find("h1").get_text() and "river dams" in soup.find("h1").get_text()
    assert soup.select_one(".badge.blocked").get_text(strip=True) == "Blocked"
    assert soup.select_one(".proposal-text strong").get_text() == "something"
    tally = {b["data-stance"]: int(b.get_text()) for b in soup.select(".tally [data-stance]")}
    assert tally == {"consent": 0, "stand_aside": 0, "object": 1, "pending": 1}
    assert [code.get_text(strip=True) for code in soup.select("code.hash")] == [
        entry.hash,
        entry.prev_hash,
    ]
    text = soup.get_text(" ")
    for secret in (REASON, NOTE, log.sec.name, "Saltmarsh Circle", "Banyan Network"):
        assert secret not in text, secret
    assert soup.select(".reason, .on-behalf, table.positions, details.names") == []
    assert soup.find(id="entry-positions") is None
    # The proposal's page needs signing in: no link to it.
    assert soup.find("a", href=f"/proposals/{entry.proposal_id}") is None
    # The check of the chain is open too.
    assert "intact" in web.page("/decisions/verify").get_text()


def test_a_member_still_reads_the_whole_entry_of_a_public_log(login, session, log: Log) -> None:  # noqa: F811
    make_public(session)
    entry = log.entries["Statement on river dams"]
    soup = login(log.observer).page(f"/decisions/{entry.id}")
    assert REASON in soup.select_one(".outcome-notice").get_text()
    assert NOTE in soup.select_one("table.positions").get_text()
    assert soup.select_one(".public-notice") is None


def test_closing_the_log_again_sends_visitors_to_sign_in(web, session, log: Log) -> None:  # noqa: F811
    make_public(session)
    assert web.get("/decisions").status_code == 200
    make_public(session, on=False)
    assert web.get("/decisions").status_code == 302
    assert web.get("/decisions/feed.atom").status_code == 404


def test_settings_page_opens_the_log_and_says_what_becomes_public(admin, session) -> None:
    page = admin.page("/settings")
    box = page.find("input", attrs={"name": "public_log"})
    assert box["type"] == "checkbox" and not box.has_attr("checked")
    hint = page.find(id=box["aria-describedby"]).get_text()
    assert "What becomes public" in hint and "reasons and notes" in hint
    assert page.find("label", attrs={"for": box["id"]}) is not None

    response = admin.submit("/settings", settings_data(public_log="y"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Partnership, 1).public_log is True
    assert admin.page("/settings").find("input", attrs={"name": "public_log"}).has_attr("checked")

    # Saved without the box ticked, the log is private again.
    assert admin.submit("/settings", settings_data()).status_code == 302
    db.session.expire_all()
    assert db.session.get(Partnership, 1).public_log is False


def test_a_public_log_page_for_an_unknown_entry_is_a_404(web, session, log: Log) -> None:  # noqa: F811
    make_public(session)
    response = web.get("/decisions/99999")
    assert response.status_code == 404
    assert "No such decision." in soup_of(response).get_text()
