"""The notice of an outcome is a receipt: its inbox entry and its e-mail (through a real
SMTP server) carry the log entry's number and hash, and a link that checks it."""

from datetime import timedelta
from typing import Any

from bs4 import BeautifulSoup

from decisions import rounds
from notifications.models import Kind
from tests.conftest import T0
from tests.notifications.conftest import SmtpServer, inbox_of, person, tick


def test_the_outcome_carries_the_entrys_number_and_hash(
    make: Any, session: Any, smtp: SmtpServer
) -> None:
    member = make.partner()
    rep = person(session, "partner", member)
    sec = person(session, "secretariat")
    round_ = make.open_round(make.proposal(sec), sec)
    rounds.register_position(session, rep, round_.id, member.id, "consent", now=T0)
    entry = rounds.close_round(session, sec, round_.id, now=T0 + timedelta(hours=1))
    number, receipt = entry.number, entry.hash

    (notice,) = inbox_of(rep, Kind.ROUND_CLOSED)
    assert number in notice.body and receipt in notice.body

    assert tick().sent.sent == 3  # the opening to the representative, the outcome to both
    (message,) = [m for m in smtp.to(rep.email) if str(m["Subject"]).startswith("Adopted")]
    text = message.get_body(("plain",)).get_content()
    assert f"decision {number} of the decision log" in text
    assert f"Keep its hash as a receipt: {receipt}." in text
    assert f"Receipt (the entry's hash): {receipt}" in text
    assert f"/decisions/verify?receipt={receipt}" in text
    html = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")
    cells = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in html.select("tr")}
    assert cells["Decision"] == number
    assert cells["Receipt (the entry's hash)"] == receipt
    assert cells["Check the receipt"].endswith(f"/decisions/verify?receipt={receipt}")
