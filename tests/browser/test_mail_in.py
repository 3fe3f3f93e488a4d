"""The Secretariat sees, in Chromium, which positions came by e-mail reply: the demo's
open round has one (Saltmarsh's consent), marked on the proposal page and in the partner's
history; both audited (axe at 1280 and 375 px, no sideways scrolling)."""

from pathlib import Path
from typing import Any

from tests.browser.conftest import SECRETARIAT, WIDE, audit, sign_in

SALTMARSH = "Saltmarsh Mediation Circle"
GUIDELINES = "Guidelines for urgent joint statements"


def test_the_secretariat_sees_a_position_by_e_mail_reply(page: Any, tmp_path: Path) -> None:
    sign_in(page, SECRETARIAT)
    page.goto("/proposals")
    page.get_by_role("link", name=GUIDELINES).first.click()
    page.wait_for_load_state()
    row = page.locator("table.positions tr", has_text=SALTMARSH)
    assert row.locator(".badge.channel.email").inner_text() == "by e-mail reply"
    audit(page)
    page.set_viewport_size(WIDE)
    row.scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "proposal-email-position-1280.png")

    row.get_by_role("link", name="history").click()
    page.wait_for_load_state()
    assert page.locator("tbody .badge.channel.email").count() == 1
    audit(page)
