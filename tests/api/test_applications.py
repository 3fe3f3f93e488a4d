"""POST /applications (public, JSON or multipart with the letter of intent) and the
Secretariat's review through the API; no applicant data for partners or observers."""

import io
import os
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, stream_encode_multipart

from decisions.application_models import Application, ApplicationStatus
from decisions.db import db
from decisions.letters import LETTER_MAX
from decisions.models import Proposal
from tests.api.conftest import API, APPLICATION, Api, World, count
from tests.web.applying import another_app, apply_rate, fresh_applying, send

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MEMBER = {**APPLICATION, "organisation_name": "Zeta Peace Institute", "category": "member"}


@pytest.fixture
def letters(ctx: Any, tmp_path: Any) -> Any:
    yield from fresh_applying(ctx, tmp_path / "letters")


def kept(folder: Any) -> list[str]:
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def form(api: Api, fields: dict[str, Any], letter: tuple[bytes, str, str] | None) -> TestResponse:
    """A multipart submission, as a browser or a script sends it: lists as repeated
    fields, booleans as true/false, the letter as a file."""
    data: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, bool):
            data[name] = "true" if value else "false"
        else:
            data[name] = value
    if letter is not None:
        content, filename, content_type = letter
        data["letter_of_intent"] = FileStorage(
            io.BytesIO(content), filename, content_type=content_type
        )
    # Encoded in memory: the test client would spool a large body to a temporary file
    # and never close it.
    stream, _length, boundary = stream_encode_multipart(data, use_tempfile=False)
    response = api.client.post(
        API + "/applications",
        data=stream.getvalue(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    api.validate("POST", "/applications", response)
    return response


def error(response: TestResponse) -> tuple[int, str, str | None]:
    body = response.get_json()["error"]
    return response.status_code, body["code"], body.get("field")


# Submission ----------------------------------------------------------------------------


def test_anyone_applies_as_json_without_a_token(api: Api, world: World, letters: Any) -> None:
    answer = api.post("/applications", json={**APPLICATION, "organisation_name": "Eta Watch"})
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["status"] == "received"
    assert body["eligibility"] == {"eligible": True, "reasons": []}
    assert set(body) == {"id", "status", "eligibility"}  # nothing else is echoed
    assert kept(letters) == []


def test_a_token_is_neither_needed_nor_checked(api: Api, world: World, letters: Any) -> None:
    answer = api.post("/applications", token="not a token", json=APPLICATION)
    assert answer.status_code == 201


def test_the_answer_gives_the_eligibility_and_its_reasons(
    api: Api, world: World, letters: Any
) -> None:
    answer = api.post(
        "/applications",
        json={**APPLICATION, "government_controlled": True, "legally_registered": False},
    )
    assert answer.status_code == 201
    eligibility = answer.get_json()["eligibility"]
    assert eligibility["eligible"] is False
    assert [(r["code"], r["blocking"]) for r in eligibility["reasons"]] == [
        ("government_controlled", True),
        ("not_registered", False),
    ]
    assert all(r["message"] for r in eligibility["reasons"])


def test_a_member_applies_with_a_letter_as_multipart(api: Api, world: World, letters: Any) -> None:
    answer = form(api, MEMBER, (PDF, "letter.pdf", "application/pdf"))
    assert answer.status_code == 201, answer.get_json()
    row = api_row(answer)
    assert row.operating_countries == ["ID", "PH"]
    assert (row.legally_registered, row.government_controlled) == (True, False)
    assert kept(letters) == [row.letter_file]
    assert (letters / row.letter_file).read_bytes() == PDF


def api_row(answer: TestResponse) -> Application:

    db.session.expire_all()
    row = db.session.get(Application, answer.get_json()["id"])
    assert row is not None
    return row


def test_a_pdf_is_known_by_its_content_not_its_name(api: Api, world: World, letters: Any) -> None:
    named_txt = form(api, MEMBER, (PDF, "letter.txt", "text/plain"))
    assert named_txt.status_code == 201, named_txt.get_json()
    before = count(Application)
    named_pdf = form(
        api,
        {**MEMBER, "organisation_name": "Theta"},
        (b"We hereby intend to join.\n", "letter.pdf", "application/pdf"),
    )
    assert error(named_pdf) == (422, "invalid", "letter_of_intent")
    assert count(Application) == before
    assert len(kept(letters)) == 1


@pytest.mark.parametrize(
    ("letter", "why"),
    [
        (None, "missing for a member"),
        ((b"", "letter.pdf", "application/pdf"), "empty"),
        ((b"\x89PNG\r\n\x1a\n" + b"0" * 64, "scan.png", "image/png"), "not a PDF"),
        ((b"%PDF-1.4\n" + b"0" * LETTER_MAX + b"%%EOF", "big.pdf", "application/pdf"), "5 MB"),
    ],
)
def test_a_bad_letter_is_refused_and_nothing_is_kept(
    api: Api, world: World, letters: Any, letter: Any, why: str
) -> None:
    before = count(Application)
    answer = form(api, MEMBER, letter)
    assert error(answer) == (422, "invalid", "letter_of_intent"), why
    assert count(Application) == before
    assert kept(letters) == []


def test_a_letter_is_required_as_json_too(api: Api, world: World, letters: Any) -> None:
    answer = api.post("/applications", json=MEMBER)
    assert error(answer) == (422, "invalid", "letter_of_intent")


def test_a_body_far_too_large_is_refused_unread(api: Api, world: World, letters: Any) -> None:
    huge = (b"%PDF-1.4\n" + b"0" * (2 * LETTER_MAX) + b"%%EOF", "huge.pdf", "application/pdf")
    before = count(Application)
    assert form(api, MEMBER, huge).status_code == 413
    assert count(Application) == before


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"legally_registered": "yes"}, "legally_registered", "invalid"),
        ({"operating_countries": []}, "operating_countries", "missing"),
        ({"operating_countries": ["PH", "ph"]}, "operating_countries", "invalid"),
        ({"headquarters_country": ["PH", "ID"]}, "headquarters_country", "invalid"),
        ({"founded": "1999"}, "founded", "unknown_field"),
        ({"letter_of_intent": "see attached"}, "letter_of_intent", "invalid"),
    ],
)
def test_a_bad_form_field_is_named(
    api: Api, world: World, letters: Any, changes: dict[str, Any], field: str, code: str
) -> None:
    fields = {**APPLICATION, **changes}
    if changes.get("operating_countries") == []:
        del fields["operating_countries"]  # an empty list is no field at all in a form
    before = count(Application)
    answer = form(api, fields, None)
    assert error(answer) == (422, code, field)
    assert count(Application) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"operating_countries": ["PH", "XX"]}, "operating_countries"),
        ({"legally_registered": "true"}, "legally_registered"),
        ({"category": "patron"}, "category"),
        ({"contact_email": "nobody at all"}, "contact_email"),
        ({"mandate": ""}, "mandate"),
    ],
)
def test_a_bad_json_field_is_named(
    api: Api, world: World, letters: Any, changes: dict[str, Any], field: str
) -> None:
    before = count(Application)
    answer = api.post("/applications", json={**APPLICATION, **changes})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == field
    assert count(Application) == before


def test_one_address_may_apply_a_few_times_an_hour(
    api: Api, world: World, ctx: Any, letters: Any
) -> None:
    with apply_rate(ctx, "2 per hour"):
        # A refused application counts too: the body is not even read past the limit.
        assert api.post("/applications", json={**APPLICATION, "mandate": ""}).status_code == 422
        assert api.post("/applications", json=APPLICATION).status_code == 201
        before = count(Application)
        refused = api.post("/applications", json={**APPLICATION, "organisation_name": "Eta"})
        assert error(refused) == (429, "too_many_requests", None)
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        assert "Retry-After" in refused.get_json()["error"]["message"]
        assert count(Application) == before
        # Another address may still apply; the Secretariat's paths are not limited.
        other = api.client.post(
            API + "/applications", json=APPLICATION, environ_base={"REMOTE_ADDR": "192.0.2.9"}
        )
        assert other.status_code == 201
        assert api.get("/applications", token=world.token("secretariat")).status_code == 200


def test_the_form_and_the_api_share_one_limit(
    api: Api, world: World, ctx: Any, web: Any, letters: Any
) -> None:
    with apply_rate(ctx, "1 per hour"):
        assert send(web, category="observer", letter_of_intent=None).status_code == 302
        assert error(api.post("/applications", json=APPLICATION))[0] == 429


def test_behind_a_proxy_the_client_address_counts(ctx: Any, letters: Any) -> None:
    """With ACCORD_PROXIES=1, X-Forwarded-For names the client: two clients behind one
    proxy are limited apart."""
    with another_app(ctx, ACCORD_PROXIES=1, ACCORD_APPLY_RATE="1 per hour") as proxied:
        client = proxied.test_client()

        def apply_from(address: str) -> int:
            answer = client.post(
                API + "/applications", json=APPLICATION, headers={"X-Forwarded-For": address}
            )
            return answer.status_code

        assert apply_from("198.51.100.1") == 201
        assert apply_from("198.51.100.2") == 201
        assert apply_from("198.51.100.1") == 429


# The Secretariat's review ------------------------------------------------------------


def test_the_secretariat_lists_and_reads_applications(api: Api, world: World) -> None:
    token = world.token("secretariat")
    listed = api.get("/applications", token=token).get_json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["id"] == world.application
    assert item["contact_email"] == APPLICATION["contact_email"]
    assert item["status"] == "recommended" and item["recommend"] is True
    assert item["has_letter"] is False
    only = api.get("/applications", token=token, query={"status": "received"}).get_json()
    assert only["total"] == 0
    assert api.get(f"/applications/{world.application}", token=token).get_json() == item
    bad = api.get("/applications", token=token, query={"status": "pending"})
    assert error(bad) == (422, "invalid", "status")
    assert error(api.get("/applications/999", token=token))[:2] == (404, "not_found")


def test_recommend_then_propose(api: Api, world: World) -> None:
    token = world.token("secretariat")
    path = f"/applications/{world.application}"
    answer = api.post(
        path + "/recommendation", token=token, json={"recommend": False, "text": "Too new."}
    )
    assert answer.status_code == 200
    assert (answer.get_json()["status"], answer.get_json()["recommendation"]) == (
        "not_recommended",
        "Too new.",
    )
    proposed = api.post(path + "/propose", token=token)
    assert proposed.status_code == 201
    proposal = proposed.get_json()
    assert (proposal["kind"], proposal["status"]) == ("admission", "draft")
    assert proposal["subject"] == {"application_id": world.application}
    assert "Too new." in proposal["body"]
    after = api.get(path, token=token).get_json()
    assert (after["status"], after["proposal_id"]) == ("proposed", proposal["id"])

    before = count(Proposal)
    again = api.post(path + "/propose", token=token)
    assert error(again) == (409, "application_closed", None)
    late = api.post(path + "/recommendation", token=token, json={"recommend": True, "text": "Y"})
    assert error(late) == (409, "application_closed", None)
    assert count(Proposal) == before
    assert api.get(path, token=token).get_json()["recommendation"] == "Too new."


def test_propose_before_a_recommendation_is_a_conflict(
    api: Api, world: World, letters: Any
) -> None:
    received = api.post("/applications", json={**APPLICATION, "organisation_name": "Iota"})
    new_id = received.get_json()["id"]
    before = count(Proposal)
    answer = api.post(f"/applications/{new_id}/propose", token=world.token("secretariat"))
    assert error(answer) == (409, "application_closed", None)
    assert count(Proposal) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"recommend": True}, "text"),
        ({"recommend": "yes", "text": "Fine."}, "recommend"),
        ({"recommend": True, "text": "   "}, "text"),
        ({"recommend": True, "text": "x" * 5001}, "text"),
    ],
)
def test_a_bad_recommendation_is_refused(
    api: Api, world: World, body: dict[str, Any], field: str
) -> None:
    path = f"/applications/{world.application}"
    token = world.token("secretariat")
    answer = api.post(path + "/recommendation", token=token, json=body)
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == field
    assert api.get(path, token=token).get_json()["recommendation"] == "A good fit."


# What partners and observers see -------------------------------------------------------


@pytest.mark.parametrize("role", ["partner", "observer", "beta", "gamma"])
def test_no_applicant_data_reaches_partners_or_observers(api: Api, world: World, role: str) -> None:
    token = world.token(role)
    path = f"/applications/{world.application}"
    for method, url, body in [
        ("GET", "/applications", None),
        ("GET", path, None),
        ("POST", path + "/recommendation", {"recommend": True, "text": "Yes."}),
        ("POST", path + "/propose", None),
    ]:
        kwargs: dict[str, Any] = {"token": token}
        if body is not None:
            kwargs["json"] = body
        answer = api.call(method, url, **kwargs)
        assert error(answer) == (403, "forbidden", None), (method, url)
        assert APPLICATION["contact_email"] not in answer.get_data(as_text=True)

    # Once proposed, the partners read the proposal: the organisation, not its contact.
    proposed = api.post(path + "/propose", token=world.token("secretariat")).get_json()
    seen = api.get(f"/proposals/{proposed['id']}", token=token)
    assert seen.status_code == 200
    text = seen.get_data(as_text=True)
    assert APPLICATION["organisation_name"] in text
    assert APPLICATION["contact_email"] not in text
    assert APPLICATION["contact_name"] not in text
    for listing in ("/partners", "/proposals", "/decisions", "/me/notifications"):
        shown = api.get(listing, token=token).get_data(as_text=True)
        assert APPLICATION["contact_email"] not in shown, listing


def test_an_application_stays_received_when_refused(api: Api, world: World) -> None:
    token = world.token("observer")
    api.post(f"/applications/{world.application}/propose", token=token)
    shown = api.get(f"/applications/{world.application}", token=world.token("secretariat"))
    assert shown.get_json()["status"] == ApplicationStatus.RECOMMENDED
