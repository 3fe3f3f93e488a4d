"""A position answers how it reached Accord: ``web``, ``api`` or ``email`` (the e-mail
reply's own tests are in tests/integration/test_mail_in.py)."""

import pytest

from decisions import tokens
from tests.web.test_proposals import at_t0, page_url  # noqa: F401 - at_t0: a fixture

pytestmark = pytest.mark.usefixtures("at_t0")


def test_the_api_and_the_web_form_say_their_channel(make, login, session, ctx):  # type: ignore[no-untyped-def]
    partners = make.partners(2)
    reps = [make.representative(p) for p in partners]
    sec = make.secretariat()
    proposal = make.proposal(sec)
    round_ = make.open_round(proposal, sec)
    token = tokens.create_token(session, reps[0])[1]
    auth = {"Authorization": f"Bearer {token}"}
    api = ctx.test_client()
    url = f"/api/v1/rounds/{round_.id}/positions/{partners[0].id}"
    put = api.put(url, json={"stance": "consent"}, headers=auth)
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["channel"] == "api"

    web = login(reps[1])
    form = f"/rounds/{round_.id}/position"
    sent = web.submit(
        form, {"partner_id": partners[1].id, "stance": "stand_aside"}, page_url(proposal)
    )
    assert sent.status_code == 302

    shown = api.get(f"/api/v1/rounds/{round_.id}", headers=auth).get_json()
    channels = {p["partner_id"]: p["channel"] for p in shown["positions"]}
    assert channels == {partners[0].id: "api", partners[1].id: "web"}
    history = api.get(
        f"/api/v1/rounds/{round_.id}/positions/{partners[1].id}/history", headers=auth
    )
    assert [p["channel"] for p in history.get_json()["items"]] == ["web"]
