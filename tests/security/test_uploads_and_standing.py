"""A letter of intent that would run something when opened is refused; a suspended or
removed partner's representative cannot draft a proposal."""

import zlib
from typing import Any

import pytest

from decisions import proposals
from decisions.application_models import Application
from decisions.db import db
from decisions.errors import NotAllowed
from decisions.models import Partner, PartnerStatus, Proposal, User
from decisions.pdf import active_content
from tests.api.conftest import Api, World, count
from tests.api.test_applications import MEMBER, form, kept, letters  # noqa: F401

QUIET = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction [3 0 R /Fit] >> endobj\n%%EOF\n"


def pdf_with(dictionary: bytes) -> bytes:
    return b"%PDF-1.4\n1 0 obj " + dictionary + b" endobj\ntrailer <<>>\n%%EOF\n"


def compressed(dictionary: bytes) -> bytes:
    """The action inside a Flate-compressed object stream, as PDF 1.5 keeps objects."""
    stream = zlib.compress(dictionary)
    return (
        b"%PDF-1.5\n1 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\n%%EOF\n"
    )


SCRIPTED = {
    "open action runs JavaScript": pdf_with(
        b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    ),
    "a /JS string": pdf_with(b"<< /AA << /O << /JS (this.print()) >> >> >>"),
    "launches a program": pdf_with(b"<< /OpenAction << /S /Launch /F (cmd.exe) >> >>"),
    "name spelled with escapes": pdf_with(b"<< /S /J#61vaScript /JS (x) >>"),
    "hidden in a compressed stream": compressed(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
}


@pytest.mark.parametrize("letter", SCRIPTED.values(), ids=SCRIPTED.keys())
def test_a_letter_that_runs_something_is_refused(
    api: Api,
    world: World,
    letters: Any,  # noqa: F811
    letter: bytes,
) -> None:
    before = count(Application)
    answer = form(api, MEMBER, (letter, "letter.pdf", "application/pdf"))
    assert answer.status_code == 422
    body = answer.get_json()["error"]
    assert body["field"] == "letter_of_intent"
    assert "script" in body["message"]
    assert count(Application) == before
    assert kept(letters) == []


def test_a_quiet_letter_passes_even_with_an_open_action() -> None:
    """Opening at a page is an /OpenAction too, and harmless."""
    assert active_content(QUIET) is None
    assert active_content(compressed(b"<< /Type /Page /Contents 4 0 R >>")) is None


@pytest.mark.parametrize("status", ["suspended", "removed"])
def test_a_partner_without_standing_cannot_draft(api: Api, world: World, status: str) -> None:
    partner = db.session.get_one(Partner, world.alpha)
    partner.status = PartnerStatus(status)  # removal happens by decision; set it directly
    db.session.commit()
    before = count(Proposal)
    body = {"title": "A proposal", "body": "Text.", "kind": "general"}
    answer = api.post("/proposals", token=world.token("partner"), json=body)
    assert answer.status_code == 403
    assert count(Proposal) == before
    rep = db.session.scalar(db.select(User).where(User.partner_id == world.alpha))
    with pytest.raises(NotAllowed):
        proposals.draft_proposal(db.session, rep, "Title", "Text.")
