"""Rules per kind of proposal in the browser: edited on the Settings page, told on the
proposal page's "Open a decision round" form, and a round that breaks them refused with
the message on the field it names."""

from typing import Any

import pytest
from sqlalchemy import func, select

from decisions import kind_rules, settings
from decisions.models import Partnership, Round
from tests.conftest import soup_of


def rules(session: Any) -> dict[str, Any]:
    session.expire_all()
    return kind_rules.rules_of(session.get(Partnership, 1))


def rules_data(**changes: Any) -> dict[str, Any]:
    """The form as the page sends it with the default rules (an unticked box is not sent)."""
    data: dict[str, Any] = {}
    for kind, rule in kind_rules.DEFAULTS.items():
        data[f"min_round_hours_{kind}"] = str(rule["min_round_hours"])
        if rule["allow_silence"]:
            data[f"allow_silence_{kind}"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def field_box(soup: Any, name: str) -> Any:
    return soup.find(attrs={"name": name}).find_parent(class_="field")


# The settings page --------------------------------------------------------------------


def test_the_settings_page_shows_each_kinds_rules(admin, session, secretariat) -> None:  # type: ignore[no-untyped-def]
    settings.update_settings(
        session, secretariat, kind_rules={"admission": {"min_round_hours": 72}}
    )
    page = admin.page("/settings")
    section = page.find("section", attrs={"aria-labelledby": "kind-rules"})
    assert "silence may count as consent" in section.get_text()
    legends = [legend.get_text(strip=True) for legend in section.select("fieldset legend")]
    assert legends == ["General", "Admission", "Regional focus", "Suspension", "Removal"]
    admission = section.find(id="kind-rule-admission")
    assert admission.find("input", attrs={"name": "min_round_hours_admission"})["value"] == "72"
    assert not admission.find("input", attrs={"name": "allow_silence_admission"}).has_attr(
        "checked"
    )
    general = section.find(id="kind-rule-general")
    assert general.find("input", attrs={"name": "allow_silence_general"}).has_attr("checked")
    # Every input has its label.
    for control in section.select("input[id]"):
        assert section.find("label", attrs={"for": control["id"]}) is not None


def test_the_secretariat_saves_the_rules(admin, session) -> None:  # type: ignore[no-untyped-def]
    response = admin.submit(
        "/settings/kind-rules",
        rules_data(
            min_round_hours_admission="72",
            min_round_hours_removal="96",
            allow_silence_suspension="y",
            allow_silence_general=None,
        ),
        "/settings",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings#kind-rules"
    saved = rules(session)
    assert saved["admission"] == {"min_round_hours": 72, "allow_silence": False}
    assert saved["removal"] == {"min_round_hours": 96, "allow_silence": False}
    assert saved["suspension"] == {"min_round_hours": 0, "allow_silence": True}
    assert saved["general"] == {"min_round_hours": 0, "allow_silence": False}
    assert "The rules per kind of proposal are saved." in admin.page("/settings").get_text()


@pytest.mark.parametrize("hours", ["", "-1", "1.5", "many", str(kind_rules.MAX_ROUND_HOURS + 1)])
def test_a_bad_number_of_hours_is_refused_on_its_field(admin, session, hours) -> None:  # type: ignore[no-untyped-def]
    response = admin.submit(
        "/settings/kind-rules",
        rules_data(min_round_hours_admission=hours, min_round_hours_removal="48"),
        "/settings",
    )
    assert response.status_code == 422
    soup = soup_of(response)
    box = field_box(soup, "min_round_hours_admission")
    assert box.select("p.error"), box
    assert field_box(soup, "min_round_hours_removal").select("p.error") == []
    assert rules(session) == kind_rules.rules_of(Partnership(kind_rules={}))


def test_the_rules_form_asked_for_as_a_page_leads_to_the_settings(admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.get("/settings/kind-rules")
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings#kind-rules"


@pytest.mark.parametrize("role", ["partner", "observer"])
def test_only_the_secretariat_changes_the_rules(login, make, session, role) -> None:  # type: ignore[no-untyped-def]
    reader = login(make.user(role))
    token = reader.page("/").find("input", attrs={"name": "csrf_token"})["value"]
    response = reader.client.post(
        "/settings/kind-rules",
        data={"csrf_token": token, **rules_data(min_round_hours_admission="1")},
    )
    assert response.status_code == 403
    assert rules(session)["admission"]["min_round_hours"] == 0


# The proposal page's round form -------------------------------------------------------


def open_form(page: Any, proposal_id: int) -> Any:
    return page.find("form", attrs={"action": f"/proposals/{proposal_id}/rounds"})


def test_the_round_form_tells_the_kinds_rules(clock, admin, make, session, secretariat) -> None:  # type: ignore[no-untyped-def]
    make.partner()
    settings.update_settings(
        session, secretariat, kind_rules={"admission": {"min_round_hours": 72}}
    )
    admission = make.proposal(secretariat, kind="admission")
    form = open_form(admin.page(f"/proposals/{admission.id}"), admission.id)
    assert form.find("input", attrs={"name": "quorum"})["value"] == "1"
    quorum_hint = form.find(id="quorum-hint").get_text()
    assert "Silence does not count on this kind of proposal (Admission)" in quorum_hint
    deadline_hint = form.find(id="deadline-hint").get_text()
    assert "(Admission) lasts at least 72 hours." in deadline_hint

    general = make.proposal(secretariat)
    form = open_form(admin.page(f"/proposals/{general.id}"), general.id)
    assert form.find("input", attrs={"name": "quorum"})["value"] == "0"
    assert "silence counts as consent" in form.find(id="quorum-hint").get_text()
    assert "lasts at least" not in form.find(id="deadline-hint").get_text()


def test_a_minimum_beyond_a_week_is_what_the_form_suggests(
    clock, admin, make, session, secretariat
) -> None:  # type: ignore[no-untyped-def]
    make.partner()
    settings.update_settings(session, secretariat, kind_rules={"general": {"min_round_hours": 240}})
    proposal = make.proposal(secretariat)
    form = open_form(admin.page(f"/proposals/{proposal.id}"), proposal.id)
    # The partnership's zone is UTC; T0 is 2 March 09:00.
    assert form.find("input", attrs={"name": "deadline"})["value"] == "2026-03-12T09:00"
    assert "the shortest round this kind allows" in form.find(id="deadline-hint").get_text()


def refused_page(admin: Any, response: Any, proposal_id: int) -> Any:
    assert response.status_code == 303
    return admin.page(f"/proposals/{proposal_id}")


def test_quorum_0_on_an_admission_is_refused_on_the_quorum_field(
    clock, admin, make, session, secretariat
) -> None:  # type: ignore[no-untyped-def]
    make.partner()
    proposal = make.proposal(secretariat, kind="admission")
    response = admin.submit(
        f"/proposals/{proposal.id}/rounds",
        {"deadline": "2026-03-10T17:00", "quorum": "0"},
        f"/proposals/{proposal.id}",
    )
    page = refused_page(admin, response, proposal.id)
    box = field_box(open_form(page, proposal.id), "quorum")
    assert box.select_one("p.error").get_text(strip=True) == (
        "Silence cannot count on an admission: set a quorum of at least 1."
    )
    assert session.scalar(select(func.count()).select_from(Round)) == 0


def test_a_round_too_short_is_refused_on_the_deadline_field(login, make, session, clock) -> None:  # type: ignore[no-untyped-def]
    make.partner()
    secretariat = make.secretariat()
    settings.update_settings(
        session,
        secretariat,
        time_zone="Asia/Manila",
        kind_rules={"removal": {"min_round_hours": 72}},
    )
    concerned = make.partner("Partner concerned")
    proposal = make.proposal(secretariat, kind="removal", subject={"partner_id": concerned.id})
    admin = login(secretariat)
    url = f"/proposals/{proposal.id}"
    # T0 is 17:00 in Manila on 2 March: 72 hours later is 17:00 on 5 March.
    short = admin.submit(f"{url}/rounds", {"deadline": "2026-03-05T16:59", "quorum": "1"}, url)
    page = refused_page(admin, short, proposal.id)
    box = field_box(open_form(page, proposal.id), "deadline")
    assert box.select_one("p.error").get_text(strip=True) == (
        "A removal round lasts at least 72 hours: choose a deadline on or after "
        "2026-03-05 17:00 (Asia/Manila)."
    )
    assert session.scalar(select(func.count()).select_from(Round)) == 0
    exact = admin.submit(f"{url}/rounds", {"deadline": "2026-03-05T17:00", "quorum": "1"}, url)
    assert exact.status_code == 302
    assert session.scalar(select(func.count()).select_from(Round)) == 1
