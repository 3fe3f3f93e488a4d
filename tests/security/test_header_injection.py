"""No line break reaches an e-mail header: every single-line field that ends up in one
(a name, a title, an organisation) refuses a line break where it enters, through the API
(422 naming the field) and through the pages (a form error), and nothing is stored."""

from typing import Any

import pytest
from sqlalchemy import select

from decisions.application_models import Application
from decisions.db import db
from decisions.models import Partner, Proposal, User
from tests.api.conftest import APPLICATION, Api, World, count
from tests.conftest import soup_of

#: the probe's payload, and the other ways to end a line
BREAKS = [
    "Eve\r\nBcc: victim@example.org",
    "Eve\nBcc: victim@example.org",
    "Eve\rBcc: victim@example.org",
    "Eve\u2028Bcc: victim@example.org",
]


def refused(answer: Any, field: str) -> None:
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert answer.get_json()["error"]["field"] == field


@pytest.mark.parametrize("value", BREAKS)
@pytest.mark.parametrize("field", ["contact_name", "organisation_name"])
def test_an_application_refuses_a_line_break(
    api: Api, world: World, field: str, value: str
) -> None:
    before = count(Application)
    refused(api.post("/applications", json={**APPLICATION, field: value}), field)
    assert count(Application) == before


@pytest.mark.parametrize("value", BREAKS)
def test_a_proposal_title_refuses_a_line_break(api: Api, world: World, value: str) -> None:
    partner = world.token("partner")
    before = count(Proposal)
    body = {"title": value, "body": "Text.", "kind": "general"}
    refused(api.post("/proposals", token=partner, json=body), "title")
    assert count(Proposal) == before
    refused(api.patch(f"/proposals/{world.draft}", token=partner, json={"title": value}), "title")
    assert "Bcc" not in db.session.get_one(Proposal, world.draft).title


@pytest.mark.parametrize("value", BREAKS[:2])
def test_the_partnership_and_a_partner_refuse_a_line_break(
    api: Api, world: World, value: str
) -> None:
    secretariat = world.token("secretariat")
    refused(api.patch("/partnership", token=secretariat, json={"name": value}), "name")
    body = {"name": value, "country": "FJ"}
    before = count(Partner)
    refused(api.post("/partners", token=secretariat, json=body), "name")
    assert count(Partner) == before


def test_a_line_inside_a_text_is_still_welcome(api: Api, world: World) -> None:
    """Only single-line fields refuse a break: a proposal's text has paragraphs."""
    body = {"title": "Two paragraphs", "body": "First.\r\n\r\nSecond.", "kind": "general"}
    assert api.post("/proposals", token=world.token("partner"), json=body).status_code == 201


def test_an_observer_cannot_put_a_line_break_in_their_own_name(make, login) -> None:  # type: ignore[no-untyped-def]
    observer = make.user("observer")
    web = login(observer)
    answer = web.submit("/account", {"name": BREAKS[0], "time_zone": ""})
    assert answer.status_code == 422
    assert "one line" in soup_of(answer).select_one(".error, .errors").get_text()
    db.session.expire_all()
    assert db.session.scalar(select(User.name).where(User.id == observer.id)) == observer.name


def test_a_proposal_drafted_on_the_page_refuses_a_line_break(make, login) -> None:  # type: ignore[no-untyped-def]
    web = login(make.secretariat())
    answer = web.submit("/proposals/new", {"title": BREAKS[1], "body": "Text.", "kind": "general"})
    assert answer.status_code == 422
    assert "one line" in soup_of(answer).get_text()
    assert db.session.scalar(select(Proposal.id).limit(1)) is None
