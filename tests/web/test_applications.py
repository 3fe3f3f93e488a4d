"""Membership applications in the browser: the public form, the Secretariat's review, and
an application's way to an admission proposal; every bad upload refused with nothing kept."""

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from app import create_app
from app.ratelimit import DEFAULT_RATE, parse_rate
from app.ratelimit_model import ApplicationAttempt
from decisions import application_review, applications, rounds
from decisions.application_models import Application, ApplicationStatus
from decisions.countries import SUBREGIONS
from decisions.models import Partner, Partnership, PartnerStatus, Proposal, ProposalKind
from tests.conftest import T0, WebClient, soup_of
from tests.web.applying import (
    PDF,
    another_app,
    apply_data,
    apply_rate,
    fresh_applying,
    letters_in,
    post_form,
    send,
    stored,
)


@pytest.fixture(autouse=True)
def letters(ctx, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    yield from fresh_applying(ctx, tmp_path / "letters")


def field_errors(response: Any, name: str) -> list[str]:
    soup = soup_of(response)
    control = soup.find(attrs={"name": name})
    box = control.find_parent(class_="field") if control else None
    return [p.get_text(strip=True) for p in box.select("p.error")] if box else []


def the_application(session: Any) -> Application:
    session.expire_all()
    return session.scalars(select(Application)).one()


# The public form -----------------------------------------------------------------------


def test_the_form_needs_no_account_and_groups_countries_by_subregion(web):  # type: ignore[no-untyped-def]
    page = web.page("/apply")
    form = page.find("form", attrs={"action": "/apply"})
    assert form["enctype"] == "multipart/form-data"
    assert form.find("input", attrs={"name": "csrf_token"})
    assert not page.find("script")
    groups = [g["label"] for g in form.select("select[name=headquarters_country] optgroup")]
    assert "South-eastern Asia" in groups and "Melanesia" in groups
    khmer = form.select_one("select[name=headquarters_country] option[value=KH]")
    assert khmer.find_parent("optgroup")["label"] == "South-eastern Asia"
    summaries = [s.get_text(strip=True) for s in form.select("details summary")]
    assert "Polynesia" in summaries
    fiji = form.find("input", attrs={"name": "operating_countries", "value": "FJ"})
    assert fiji["type"] == "checkbox"
    assert fiji.find_parent("details").summary.get_text(strip=True) == "Melanesia"
    categories = [o["value"] for o in form.select("select[name=category] option")]
    assert categories == ["member", "supporter", "focal_point", "observer"]
    assert form.find("input", attrs={"name": "letter_of_intent", "type": "file"})


def set_focus(session: Any, codes: list[str]) -> None:
    session.get(Partnership, 1).regional_focus = codes
    session.commit()


def groups_of(page: Any) -> dict[str, Any]:
    """The countries' groups of the form, by sub-region: the <details> of each."""
    return {d.summary.contents[0].strip(): d for d in page.select("fieldset.countries details")}


def test_an_empty_focus_welcomes_every_country(web, session):  # type: ignore[no-untyped-def]
    set_focus(session, [])
    page = web.page("/apply")
    assert page.find(id="focus-lead").get_text(strip=True) == (
        "The partnership welcomes organisations working in any country."
    )
    assert not [name for name, group in groups_of(page).items() if group.has_attr("open")]


def test_a_focus_of_whole_subregions_is_named_before_the_countries(web, session):  # type: ignore[no-untyped-def]
    set_focus(session, sorted(SUBREGIONS["Melanesia"] + SUBREGIONS["Polynesia"]))
    page = web.page("/apply")
    lead = page.find(id="focus-lead")
    assert lead.get_text(strip=True) == (
        "The partnership works in Melanesia and Polynesia: at least one of your countries "
        "of operation must be there."
    )
    # said before the applicant reaches the countries
    assert lead.find_next("fieldset", class_="countries") is not None
    groups = groups_of(page)
    assert [name for name, group in groups.items() if group.has_attr("open")] == [
        "Melanesia",
        "Polynesia",
    ]
    assert "in the focus" in groups["Melanesia"].summary.get_text()
    assert "in the focus" not in groups["Micronesia"].summary.get_text()


def test_a_focus_of_some_countries_lists_them_by_subregion(web, session):  # type: ignore[no-untyped-def]
    set_focus(session, ["KH", "TH", "FJ", "PG", "SB", "NC", "VU"])
    page = web.page("/apply")
    assert "the countries below" in page.find(id="focus-lead").get_text()
    lines = [li.get_text(strip=True) for li in page.select("ul.focus-places li")]
    assert lines == ["South-eastern Asia: Cambodia and Thailand", "Melanesia: every country"]
    groups = groups_of(page)
    assert groups["South-eastern Asia"].has_attr("open")
    assert "partly in the focus" in groups["South-eastern Asia"].summary.get_text()
    cambodia = page.find("label", attrs={"for": "operating_countries-KH"}).get_text(" ")
    vietnam = page.find("label", attrs={"for": "operating_countries-VN"}).get_text(" ")
    assert "in the focus" in cambodia and "in the focus" not in vietnam


def test_the_required_questions_say_so(web, session):  # type: ignore[no-untyped-def]
    page = web.page("/apply")
    form = page.find("form", attrs={"action": "/apply"})
    assert not form.has_attr("novalidate")  # the browser checks what it can
    for name in ("organisation_name", "mandate", "headquarters_country", "category"):
        control = form.find(attrs={"name": name})
        assert control.has_attr("required"), name
        label = form.find("label", attrs={"for": control["id"]}).get_text(" ", strip=True)
        assert label.endswith("(required)"), label
    email = form.find("input", attrs={"name": "contact_email"})
    assert email["type"] == "email" and email.has_attr("required")
    for name in ("legally_registered", "government_controlled", "agrees_with_principles"):
        radios = form.find_all("input", attrs={"name": name})
        assert radios and all(radio.has_attr("required") for radio in radios), name
        legend = radios[0].find_parent("fieldset").legend.get_text(" ", strip=True)
        assert legend.endswith("(required)"), legend
    countries = form.find("fieldset", class_="countries")
    assert countries.legend.get_text(" ", strip=True).endswith("(required)")
    # A box to tick somewhere in the list cannot be required box by box: the server checks.
    assert not countries.find("input", attrs={"required": True})
    letter = form.find("input", attrs={"name": "letter_of_intent"})
    assert not letter.has_attr("required") and letter["accept"] == ".pdf,application/pdf"
    hint = form.find(id=letter["aria-describedby"]).get_text()
    assert hint.startswith("Required when applying as Member")


def test_a_refused_form_keeps_the_ticked_groups_open_and_marks_the_fields(web, session):  # type: ignore[no-untyped-def]
    set_focus(session, ["KH"])
    response = send(web, operating_countries=["WS"], contact_name="")
    assert response.status_code == 422
    page = soup_of(response)
    groups = groups_of(page)
    assert groups["Polynesia"].has_attr("open")
    assert "1 ticked" in groups["Polynesia"].summary.get_text()
    samoa = page.find("input", attrs={"name": "operating_countries", "value": "WS"})
    assert samoa.has_attr("checked")
    name = page.find("input", attrs={"name": "contact_name"})
    assert name["aria-invalid"] == "true"
    assert "contact_name-error" in name["aria-describedby"].split()
    summary = page.select_one("#error-summary")
    assert summary.find("a", href="#contact_name")
    assert "Choose the letter of intent again" in summary.get_text()
    assert stored(session) == 0


def test_no_country_is_refused_next_to_the_countries(web, session):  # type: ignore[no-untyped-def]
    response = send(web, operating_countries=[])
    assert response.status_code == 422
    page = soup_of(response)
    countries = page.find("fieldset", class_="countries")
    assert "operating_countries-error" in countries["aria-describedby"].split()
    assert page.find(id="operating_countries-error").get_text() == "Choose at least one country."
    assert page.select_one("#error-summary").find("a", href="#operating_countries")
    assert stored(session) == 0


def test_an_application_is_received_and_its_letter_stored(web, session, letters):  # type: ignore[no-untyped-def]
    response = send(web)
    assert response.status_code == 302
    assert response.headers["Location"] == "/apply/received"
    page = web.page("/apply/received")
    text = page.find("main").get_text(" ", strip=True)
    assert "received" in text and "e-mail" in text
    assert "eligib" not in text.lower()
    application = the_application(session)
    assert (application.organisation_name, application.status) == (
        "Mekong Early Warning Network",
        ApplicationStatus.RECEIVED,
    )
    assert application.operating_countries == ["KH", "LA", "TH"]
    assert (
        application.legally_registered,
        application.government_controlled,
        application.agrees_with_principles,
    ) == (True, False, True)
    assert application.category.slug == "member"
    [letter] = letters_in(letters)
    assert letter.read_bytes() == PDF
    assert "letter" not in letter.name  # a random name, not the applicant's


def test_a_category_without_a_voice_needs_no_letter(web, session, letters):  # type: ignore[no-untyped-def]
    response = send(web, category="supporter", letter_of_intent=None)
    assert response.status_code == 302
    assert the_application(session).letter_file is None
    assert letters_in(letters) == []


@pytest.mark.parametrize(
    ("letter", "message"),
    [
        (None, "A signed letter of intent (PDF) is required for this category."),
        ((io.BytesIO(b""), "letter.pdf"), "The letter of intent is an empty file."),
        (
            (io.BytesIO(b"PK\x03\x04 a word document renamed"), "letter.pdf"),
            "The letter of intent must be a PDF.",
        ),
        ((io.BytesIO(b"%PDF-1.4\n truncated, no end"), "letter.pdf"), "must be a PDF"),
        (
            (io.BytesIO(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF"), "big.pdf"),
            "The letter of intent may be at most 5 MB.",
        ),
    ],
    ids=["missing", "empty", "not-a-pdf", "no-end-marker", "too-large"],
)
def test_a_bad_letter_is_refused_and_nothing_stored(web, session, letters, letter, message):  # type: ignore[no-untyped-def]
    response = send(web, letter_of_intent=letter)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, "letter_of_intent"))
    # What the applicant typed is kept; the file must be chosen again.
    form = soup_of(response).find("form", attrs={"action": "/apply"})
    name = form.find("input", attrs={"name": "organisation_name"})["value"]
    assert name == "Mekong Early Warning Network"
    assert stored(session) == 0
    assert letters_in(letters) == []


def test_a_pdf_by_its_name_or_type_alone_is_not_a_pdf(web, session, letters):  # type: ignore[no-untyped-def]
    fake = (io.BytesIO(b"<html>not a letter</html>"), "letter.pdf", "letter", "application/pdf")
    response = send(web, letter_of_intent=fake)
    assert response.status_code == 422
    assert stored(session) == 0 and letters_in(letters) == []


def test_an_upload_beyond_the_request_limit_is_refused_plainly(web, session, letters):  # type: ignore[no-untyped-def]
    huge = (io.BytesIO(b"%PDF-1.4\n" + b"0" * (7 * 1024 * 1024) + b"\n%%EOF"), "huge.pdf")
    response = send(web, letter_of_intent=huge)
    assert response.status_code == 413
    assert "too large" in soup_of(response).find("main").get_text(" ").lower()
    assert stored(session) == 0 and letters_in(letters) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"organisation_name": ""}, "organisation_name", "This field is required."),
        ({"organisation_name": "x" * 201}, "organisation_name", "200"),
        ({"mandate": "   "}, "mandate", "This field is required."),
        ({"headquarters_country": ""}, "headquarters_country", "Choose a country."),
        ({"headquarters_country": "ZZ"}, "headquarters_country", "Choose a country from the list."),
        ({"operating_countries": []}, "operating_countries", "Choose at least one country."),
        ({"operating_countries": ["KH", "??"]}, "operating_countries", "from the list"),
        ({"legally_registered": None}, "legally_registered", "Answer yes or no."),
        ({"government_controlled": "maybe"}, "government_controlled", "Not a valid choice."),
        ({"category": "founder"}, "category", "Choose a category from the list."),
        ({"contact_email": "not an address"}, "contact_email", ""),
        ({"contact_name": ""}, "contact_name", "This field is required."),
    ],
)
def test_bad_answers_are_refused_next_to_their_field(
    web, session, letters, changes, field, message
):  # type: ignore[no-untyped-def]
    response = send(web, **changes)
    assert response.status_code == 422
    errors = field_errors(response, field)
    assert errors and any(message in error for error in errors), errors
    assert stored(session) == 0 and letters_in(letters) == []


def test_a_form_without_its_csrf_token_is_refused(web, session):  # type: ignore[no-untyped-def]
    response = web.client.post("/apply", data=apply_data())
    assert response.status_code == 400
    assert stored(session) == 0


# The rate limit ------------------------------------------------------------------------


def test_one_address_may_send_five_forms_an_hour(ctx, web, session, letters):  # type: ignore[no-untyped-def]
    with apply_rate(ctx, DEFAULT_RATE):
        for n in range(5):
            # Refused forms count too: the limit guards the server, not the register.
            name = "" if n == 0 else f"Organisation {n}"
            response = send(
                web, organisation_name=name, letter_of_intent=(io.BytesIO(PDF), "l.pdf")
            )
            assert response.status_code == (422 if n == 0 else 302)
        refused = send(web, organisation_name="One Too Many")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        text = soup_of(refused).find("main").get_text(" ", strip=True)
        assert "Too many application forms" in text and "Nothing was recorded" in text
        assert stored(session) == 4
        assert len(letters_in(letters)) == 4
        # The form itself can still be read, and another address may still apply.
        assert web.get("/apply").status_code == 200
        token = web.page("/apply").find("input", attrs={"name": "csrf_token"})["value"]
        other = post_form(
            web,
            "/apply",
            {"csrf_token": token, **apply_data(organisation_name="Another Address")},
            environ_base={"REMOTE_ADDR": "192.0.2.7"},
        )
        assert other.status_code == 302


def test_the_rate_comes_from_the_configuration(ctx, web, session):  # type: ignore[no-untyped-def]
    with apply_rate(ctx, "1 per day"):
        assert send(web, category="supporter", letter_of_intent=None).status_code == 302
        assert send(web, category="observer", letter_of_intent=None).status_code == 429
    assert stored(session) == 1


def test_attempts_age_out_of_the_window_and_keep_no_address(ctx, web, session):  # type: ignore[no-untyped-def]
    with apply_rate(ctx, "2/hour"):
        with time_machine.travel(T0, tick=False):
            assert send(web, category="observer", letter_of_intent=None).status_code == 302
        with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
            assert send(web, category="observer", letter_of_intent=None).status_code == 302
        with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
            refused = send(web, category="observer", letter_of_intent=None)
            assert refused.status_code == 429
            assert refused.headers["Retry-After"] == str(40 * 60)
        with time_machine.travel(T0 + timedelta(minutes=61), tick=False):
            assert send(web, category="observer", letter_of_intent=None).status_code == 302
    session.expire_all()
    attempts = session.scalars(select(ApplicationAttempt)).all()
    # The first attempt has left the window and the table; the address is not stored.
    assert len(attempts) == 2
    assert all(a.sender != "127.0.0.1" and len(a.sender) == 64 for a in attempts)


def test_the_limit_is_kept_in_the_database_for_every_worker(ctx, web, session):  # type: ignore[no-untyped-def]
    """A second app (another worker process, or the same after a restart) counts the
    attempts the first has seen."""
    with apply_rate(ctx, "1 per hour"):
        assert send(web, category="observer", letter_of_intent=None).status_code == 302
    with another_app(ctx, ACCORD_APPLY_RATE="1 per hour") as second, second.app_context():
        other = WebClient(second.test_client())
        token = other.page("/apply").find("input", attrs={"name": "csrf_token"})["value"]
        refused = post_form(
            other, "/apply", {"csrf_token": token, **apply_data(category="observer")}
        )
        assert refused.status_code == 429
    assert stored(session) == 1


def test_a_rate_that_does_not_read_as_one_is_refused_at_start() -> None:
    with pytest.raises(ValueError):
        parse_rate("lots")
    with pytest.raises(ValueError, match="ACCORD_APPLY_RATE"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "ACCORD_APPLY_RATE": "0 per hour"})
    assert parse_rate("20 per day") == parse_rate("20/days")


# The Secretariat's review --------------------------------------------------------------


def test_the_whole_path_from_the_form_to_an_active_partner(web, admin, session, make, secretariat):  # type: ignore[no-untyped-def]
    assert send(web).status_code == 302
    application = the_application(session)

    queue = admin.page("/applications")
    row = queue.find(id=f"application-{application.id}")
    cells = row.get_text(" ", strip=True)
    assert "Mekong Early Warning Network" in cells and "Eligible" in cells and "Received" in cells

    page = admin.page(f"/applications/{application.id}")
    text = page.find("main").get_text(" ", strip=True)
    for shown in ("Monitors risk factors", "Cambodia (KH)", "Laos", "Thailand", "Sokha Chan"):
        assert shown in text, shown
    assert "sokha@mekong-warning.example" in text
    assert page.select_one(".verify.ok")
    link = page.find("a", string="Download the letter of intent (PDF)")
    letter = admin.get(link["href"])
    assert letter.status_code == 200
    assert letter.mimetype == "application/pdf"
    assert letter.headers["Content-Disposition"].startswith("attachment")
    assert letter.data == PDF
    letter.close()
    assert page.find("form", attrs={"action": f"/applications/{application.id}/propose"}) is None

    recorded = admin.submit(
        f"/applications/{application.id}/recommendation",
        {"recommend": "yes", "text": "Long record of careful, independent monitoring."},
        form_url=f"/applications/{application.id}",
    )
    assert recorded.status_code == 302
    page = admin.page(f"/applications/{application.id}")
    recommendation = page.find(id="recommendation").find_parent("section")
    shown = recommendation.get_text(" ", strip=True)
    assert "Recommends admission" in shown and secretariat.name in shown
    assert "Long record of careful" in shown
    assert "The recommendation is recorded." in page.select_one(".flash").get_text()

    proposed = admin.submit(
        f"/applications/{application.id}/propose", {}, form_url=f"/applications/{application.id}"
    )
    assert proposed.status_code == 302
    proposal = session.scalars(select(Proposal)).one()
    assert proposed.headers["Location"] == f"/proposals/{proposal.id}"
    assert proposal.kind == ProposalKind.ADMISSION
    assert proposal.subject == {"application_id": application.id}
    assert "Long record of careful" in proposal.body
    assert the_application(session).status == ApplicationStatus.PROPOSED
    draft = admin.page(f"/proposals/{proposal.id}")
    assert "Admission" in draft.find("main").get_text(" ")

    # The partners decide through the services: an admission needs a partner who answers.
    founder = make.partner("Founding Partner")
    round_ = make.open_round(proposal, secretariat, days=7, now=T0, quorum=1)
    rounds.register_position(
        session, secretariat, round_.id, founder.id, "consent", note="By e-mail", now=T0
    )
    rounds.close_round(session, secretariat, round_.id, now=T0 + timedelta(days=8))
    session.expire_all()
    partner = session.scalars(
        select(Partner).where(Partner.name == application.organisation_name)
    ).one()
    assert (partner.status, partner.category.slug, partner.country) == (
        PartnerStatus.ACTIVE,
        "member",
        "KH",
    )
    assert the_application(session).status == ApplicationStatus.ADMITTED

    page = admin.page(f"/applications/{application.id}")
    assert "Admitted" in page.select_one(".meta").get_text()
    assert page.find("a", href=f"/applications/{application.id}/decline") is None
    directory = admin.page("/directory")
    assert directory.find(id=f"partner-{partner.id}")


def test_a_recommendation_not_to_admit_is_shown_so(admin, web, session):  # type: ignore[no-untyped-def]
    send(web, government_controlled="yes", legally_registered="no")
    application = the_application(session)
    page = admin.page(f"/applications/{application.id}")
    refusals = [li["data-code"] for li in page.select("ul.refusals li")]
    warnings = [li["data-code"] for li in page.select("ul.warnings li")]
    assert (refusals, warnings) == (["government_controlled"], ["not_registered"])
    assert page.select_one(".verify.altered")
    response = admin.submit(
        f"/applications/{application.id}/recommendation",
        {"recommend": "no", "text": "Controlled by a ministry."},
        form_url=f"/applications/{application.id}",
    )
    assert response.status_code == 302
    assert the_application(session).status == ApplicationStatus.NOT_RECOMMENDED
    page = admin.page(f"/applications/{application.id}")
    assert (
        "Does not recommend admission"
        in page.find(id="recommendation").find_parent("section").get_text()
    )


def test_the_queue_filters_by_status_and_eligibility(admin, web, session, secretariat):  # type: ignore[no-untyped-def]
    send(web, organisation_name="Eligible Org", letter_of_intent=(io.BytesIO(PDF), "a.pdf"))
    send(web, organisation_name="State Agency", government_controlled="yes",
         letter_of_intent=(io.BytesIO(PDF), "b.pdf"))  # fmt: skip
    agency = session.scalars(
        select(Application).where(Application.organisation_name == "State Agency")
    ).one()
    application_review.decline(session, secretariat, agency.id)

    def listed(query: str) -> list[str]:
        page = admin.page("/applications" + query)
        return [th.get_text(strip=True) for th in page.select("tbody th")]

    assert listed("") == ["State Agency", "Eligible Org"]
    assert listed("?eligible=yes") == ["Eligible Org"]
    assert listed("?eligible=no") == ["State Agency"]
    assert listed("?status=declined") == ["State Agency"]
    assert listed("?status=received&eligible=no") == []
    for bad in ("?status=nonsense", "?eligible=perhaps", "?page=0", "?page=x"):
        response = admin.get("/applications" + bad)
        assert response.status_code == 422, bad
        assert soup_of(response).select(".error, .errors"), bad


def test_decline_asks_once_more_then_ends_the_application(admin, web, session):  # type: ignore[no-untyped-def]
    send(web)
    application = the_application(session)
    url = f"/applications/{application.id}/decline"
    link = admin.page(f"/applications/{application.id}").find("a", href=url)
    assert link.get_text(strip=True) == "Decline the application…"
    confirm = admin.page(url)
    # Asking changes nothing.
    assert the_application(session).status == ApplicationStatus.RECEIVED
    assert confirm.h1.get_text(strip=True) == (
        "Decline the application of Mekong Early Warning Network?"
    )
    assert "The applicant will be told by e-mail; this cannot be undone." in confirm.get_text()
    form = confirm.find("form", action=url)
    assert form.find("button").get_text(strip=True) == "Decline the application"
    cancel = form.find("a", string="Cancel: keep the application")
    assert cancel["href"] == f"/applications/{application.id}"
    response = admin.submit(url, {})
    assert response.status_code == 302
    assert the_application(session).status == ApplicationStatus.DECLINED
    # The step is not offered again for a closed application.
    again = admin.get(url)
    assert again.status_code == 409
    assert soup_of(again).find("form", action=url) is None
    assert "can no longer be declined. Its status: Declined." in soup_of(again).get_text()
    page = admin.page(f"/applications/{application.id}")
    assert page.find("a", href=url) is None
    # A confirmation opened before is refused with the reason, nothing changed.
    twice = admin.submit(url, {}, form_url=f"/applications/{application.id}")
    assert twice.status_code == 409
    assert "This application is closed already." in soup_of(twice).select_one(".errors").text
    assert (
        page.find("form", attrs={"action": f"/applications/{application.id}/recommendation"})
        is None
    )
    # A form opened before the decline is refused with the reason, nothing changed.
    again = admin.client.post(
        f"/applications/{application.id}/propose",
        data={"csrf_token": page.find("input", attrs={"name": "csrf_token"})["value"]},
    )
    assert again.status_code == 409
    assert soup_of(again).select_one(".errors")
    assert session.scalars(select(Proposal)).all() == []


def test_propose_before_a_recommendation_is_refused(admin, web, session):  # type: ignore[no-untyped-def]
    send(web)
    application = the_application(session)
    page = admin.page(f"/applications/{application.id}")
    response = admin.client.post(
        f"/applications/{application.id}/propose",
        data={"csrf_token": page.find("input", attrs={"name": "csrf_token"})["value"]},
    )
    assert response.status_code == 409
    assert "recommendation first" in soup_of(response).select_one(".errors").get_text()
    assert the_application(session).status == ApplicationStatus.RECEIVED


def test_a_recommendation_needs_a_choice_and_a_text(admin, web, session):  # type: ignore[no-untyped-def]
    send(web)
    application = the_application(session)
    url = f"/applications/{application.id}/recommendation"
    response = admin.submit(url, {"text": ""}, form_url=f"/applications/{application.id}")
    assert response.status_code == 422
    assert field_errors(response, "recommend") == ["Choose whether to recommend."]
    assert field_errors(response, "text") == ["This field is required."]
    assert the_application(session).recommended_at is None


def test_no_letter_no_download(admin, web, session, letters):  # type: ignore[no-untyped-def]
    send(web, category="supporter", letter_of_intent=None)
    application = the_application(session)
    assert admin.get(f"/applications/{application.id}/letter").status_code == 404
    page = admin.page(f"/applications/{application.id}")
    assert page.find("a", string="Download the letter of intent (PDF)") is None
    # A letter whose file is gone is a 404 too, not an error.
    send(web, organisation_name="Second Org", letter_of_intent=(io.BytesIO(PDF), "l.pdf"))
    second = session.scalars(
        select(Application).where(Application.organisation_name == "Second Org")
    ).one()
    for path in letters_in(letters):
        path.unlink()
    assert admin.get(f"/applications/{second.id}/letter").status_code == 404


# The applicant's withdrawal ------------------------------------------------------------


def _submitted(session: Any, letters: Path) -> tuple[Application, str]:
    application, token = applications.submit_application(
        session,
        applications.ApplicationInput(
            organisation_name="Reef Watch",
            mandate="Watches.",
            headquarters_country="FJ",
            operating_countries=["FJ"],
            legally_registered=True,
            government_controlled=False,
            agrees_with_principles=True,
            category="supporter",
            contact_name="Mere",
            contact_email="mere@reef.example",
        ),
        None,
        str(letters),
    )
    return application, token


def test_the_applicant_withdraws_from_the_secret_link(web, session, letters):  # type: ignore[no-untyped-def]
    application, token = _submitted(session, letters)
    url = f"/apply/{application.id}/withdraw/{token}"
    opened = web.get(url)
    # The address is the secret: no cache keeps the page, no Referer gives it away.
    assert opened.headers["Cache-Control"] == "no-store"
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    assert opened.mimetype == "text/html"  # a browser shows the page, not its source
    page = web.page(url)
    assert page.find("form", attrs={"action": url})
    assert the_application(session).status == ApplicationStatus.RECEIVED  # GET changes nothing
    response = web.submit(url, {})
    assert response.status_code == 200
    assert "withdrawn" in soup_of(response).find("h1").get_text().lower()
    assert the_application(session).status == ApplicationStatus.WITHDRAWN
    # Opened again, the spent link says so at once, with no button that could only fail.
    again = web.get(url)
    assert again.status_code == 409
    assert "closed already" in soup_of(again).select_one(".errors").get_text()
    assert not soup_of(again).find("form", attrs={"action": url})


def test_a_wrong_withdrawal_link_changes_nothing(web, session, letters):  # type: ignore[no-untyped-def]
    application, token = _submitted(session, letters)
    for url in (
        f"/apply/{application.id}/withdraw/{token[:-2]}xx",
        f"/apply/{application.id + 1}/withdraw/{token}",
        f"/apply/{application.id}/withdraw/{'x' * 5000}",
    ):
        opened = web.get(url)
        # An unknown application and a wrong secret read alike: nothing is given away.
        assert opened.status_code == 403, url
        assert "not valid" in soup_of(opened).select_one(".errors").get_text()
        assert not soup_of(opened).find("form", attrs={"action": url})
        csrf = web.page("/apply").find("input", attrs={"name": "csrf_token"})["value"]
        assert web.client.post(url, data={"csrf_token": csrf}).status_code == 403, url
    assert web.get(f"/apply/99999999999999999999/withdraw/{token}").status_code == 404
    assert the_application(session).status == ApplicationStatus.RECEIVED


# Who sees applicants ---------------------------------------------------------------------


def _secretariat_pages(application_id: int) -> list[str]:
    return [
        "/applications",
        f"/applications/{application_id}",
        f"/applications/{application_id}/letter",
    ]


@pytest.mark.parametrize("role", ["partner", "observer"])
def test_partners_and_observers_see_no_applicant(login, make, web, session, role):  # type: ignore[no-untyped-def]
    send(web)
    application = the_application(session)
    reader = login(make.user(role))
    for url in _secretariat_pages(application.id):
        assert reader.get(url).status_code == 403, url
    token = reader.page("/").find("input", attrs={"name": "csrf_token"})["value"]
    for action in ("recommendation", "propose", "decline"):
        response = reader.client.post(
            f"/applications/{application.id}/{action}",
            data={"csrf_token": token, "recommend": "yes", "text": "x"},
        )
        assert response.status_code == 403, action
    assert the_application(session).status == ApplicationStatus.RECEIVED
    home = reader.page("/")
    assert home.find("a", href="/applications") is None
    for page in ("/", "/directory", "/proposals"):
        assert "Mekong Early Warning" not in reader.page(page).get_text(), page


def test_anonymous_visitors_are_sent_to_sign_in(web, session):  # type: ignore[no-untyped-def]
    send(web)
    application = the_application(session)
    for url in _secretariat_pages(application.id) + ["/directory", "/settings/categories"]:
        response = web.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_bad_addresses_are_not_errors(admin):  # type: ignore[no-untyped-def]
    for url in (
        "/applications/0",
        "/applications/-1",
        "/applications/99999999999999999999",
        "/applications/12345",
        "/applications/12345/letter",
        "/applications/abc",
    ):
        assert admin.get(url).status_code == 404, url
    assert admin.get("/applications/12345/propose").status_code == 405


def test_the_secretariat_has_the_queue_in_its_header(admin):  # type: ignore[no-untyped-def]
    assert admin.page("/").find("nav").find("a", href="/applications")
