"""Membership applications in the domain: the checks of a submission and its letter,
eligibility, the Secretariat's review, and what the partnership's decision does."""

import os
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from decisions import (
    application_review,
    applications,
    categories,
    events,
    invitations,
    passwords,
    proposals,
    rounds,
    secret_links,
    settings,
    tokens,
)
from decisions import letters as letters_domain
from decisions.application_models import Application, ApplicationStatus
from decisions.applications import ApplicationInput
from decisions.consensus import Outcome
from decisions.countries import COUNTRIES, SUBREGIONS, subregion_of
from decisions.credential_models import Invitation
from decisions.errors import (
    AlreadyExists,
    ApplicationClosed,
    InvalidInput,
    InvitationInvalid,
    NotAllowed,
)
from decisions.letters import LETTER_MAX
from decisions.models import (
    Category,
    DecisionEntry,
    Partner,
    PartnerStatus,
    ProposalKind,
    ProposalStatus,
    Role,
    User,
)
from tests.conftest import PASSWORD, T0, Factory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def fields(**changes: Any) -> ApplicationInput:
    data: dict[str, Any] = {
        "organisation_name": "Kestrel Human Rights Forum",
        "mandate": "Early warning of atrocity risks in the coastal provinces.",
        "headquarters_country": "MY",
        "operating_countries": ["MY", "ID"],
        "legally_registered": True,
        "government_controlled": False,
        "agrees_with_principles": True,
        "category": "member",
        "contact_name": "Aisha Rahman",
        "contact_email": "Aisha@Kestrel.example.org",
    }
    data.update(changes)
    return ApplicationInput(**data)


@pytest.fixture
def letters(tmp_path: Any) -> str:
    return str(tmp_path / "letters")


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every event published during the test, then handled as usual."""
    seen: list[Any] = []
    publish = events.publish

    def note(session: Any, event: Any) -> None:
        seen.append(event)
        publish(session, event)

    monkeypatch.setattr(events, "publish", note)
    return seen


def submit(session: Any, letters: str, letter: bytes | None = PDF, **changes: Any) -> Application:
    return applications.submit_application(session, fields(**changes), letter, letters, now=T0)[0]


def count(session: Any, model: Any) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def stored_letters(letters: str) -> list[str]:
    return sorted(os.listdir(letters)) if os.path.isdir(letters) else []


# Countries ---------------------------------------------------------------------------


def test_every_iso_country_is_listed_and_all_but_antarctica_in_one_m49_subregion() -> None:
    assert len(COUNTRIES) == 249
    grouped = [code for codes in SUBREGIONS.values() for code in codes]
    assert len(grouped) == len(set(grouped)) == 248
    assert set(COUNTRIES) - set(grouped) == {"AQ"}
    assert subregion_of("PH") == "South-eastern Asia"
    assert subregion_of("AU") == "Australia and New Zealand"
    assert subregion_of("FJ") == "Melanesia"
    assert subregion_of("GU") == "Micronesia"
    assert subregion_of("WS") == "Polynesia"
    assert subregion_of("MX") == "Central America"


def test_a_country_code_must_name_a_country(session: Any, letters: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit(session, letters, operating_countries=["MY", "XX"])
    assert refused.value.field == "operating_countries"
    with pytest.raises(InvalidInput) as refused:
        submit(session, letters, headquarters_country="EU")
    assert refused.value.field == "headquarters_country"
    assert count(session, Application) == 0


# Submission and the letter of intent -------------------------------------------------


def test_a_submission_is_recorded_with_its_letter_under_a_random_name(
    session: Any, letters: str, published: list[Any]
) -> None:
    row, token = applications.submit_application(session, fields(), PDF, letters, now=T0)
    assert row.status == ApplicationStatus.RECEIVED
    assert row.contact_email == "aisha@kestrel.example.org"
    assert row.operating_countries == ["ID", "MY"]
    assert row.category.slug == "member"
    assert row.withdraw_token_hash != token and len(token) > 30
    assert stored_letters(letters) == [row.letter_file]
    assert row.letter_file and row.letter_file != "letter.pdf"
    path = letters_domain.letter_file(row, letters)
    assert path is not None
    with open(path, "rb") as file:
        assert file.read() == PDF
    assert published == [events.ApplicationReceived(application_id=row.id, withdraw_token=token)]


def test_a_category_without_a_voice_needs_no_letter(session: Any, letters: str) -> None:
    row = submit(session, letters, letter=None, category="supporter")
    assert row.letter_file is None
    assert letters_domain.letter_file(row, letters) is None
    assert stored_letters(letters) == []


@pytest.mark.parametrize(
    ("letter", "why"),
    [
        (None, "required"),
        (b"", "empty"),
        (b"Dear Secretariat, we intend to join.\n", "not a PDF"),
        (b"%PDF-1.7\n" + b"0" * 100, "no end-of-file marker"),
        (b"<html>%PDF-1.7 %%EOF</html>", "not a PDF header"),
        (b"%PDF-1.7\n" + b"0" * LETTER_MAX + b"\n%%EOF\n", "over 5 MB"),
    ],
)
def test_a_bad_letter_is_refused_and_nothing_is_kept(
    session: Any, letters: str, letter: bytes | None, why: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit(session, letters, letter=letter)
    assert refused.value.field == "letter_of_intent", why
    assert count(session, Application) == 0
    assert stored_letters(letters) == []


def test_a_letter_of_exactly_five_megabytes_is_accepted(session: Any, letters: str) -> None:
    letter = b"%PDF-1.7\n" + b"0" * (LETTER_MAX - 16) + b"\n%%EOF\n"
    assert len(letter) == LETTER_MAX
    assert submit(session, letters, letter=letter).letter_file


def test_a_letter_given_for_a_category_without_a_voice_is_checked_too(
    session: Any, letters: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit(session, letters, letter=b"GIF89a", category="supporter")
    assert refused.value.field == "letter_of_intent"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organisation_name": "  "}, "organisation_name"),
        ({"organisation_name": "x" * 201}, "organisation_name"),
        ({"mandate": ""}, "mandate"),
        ({"mandate": "x" * 5001}, "mandate"),
        ({"headquarters_country": "Malaysia"}, "headquarters_country"),
        ({"operating_countries": []}, "operating_countries"),
        ({"operating_countries": "MY"}, "operating_countries"),
        ({"legally_registered": "yes"}, "legally_registered"),
        ({"government_controlled": None}, "government_controlled"),
        ({"agrees_with_principles": 1}, "agrees_with_principles"),
        ({"category": "patron"}, "category"),
        ({"contact_name": ""}, "contact_name"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"mandate": "nul\x00byte"}, "mandate"),
    ],
)
def test_each_field_is_checked_and_named(
    session: Any, letters: str, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit(session, letters, **changes)
    assert refused.value.field == field
    assert count(session, Application) == 0
    assert stored_letters(letters) == []


# Eligibility ----------------------------------------------------------------------


def codes(session: Any, row: Application) -> tuple[bool, list[tuple[str, bool]]]:
    checked = applications.eligibility(session, row)
    return checked.eligible, [(r.code, r.blocking) for r in checked.reasons]


def test_an_empty_focus_admits_all(session: Any, letters: str) -> None:
    row = submit(session, letters, operating_countries=["BR"])
    assert codes(session, row) == (True, [])


def test_operating_outside_the_focus_is_a_blocking_reason(session: Any, letters: str) -> None:
    settings.update_settings(session, None, regional_focus=["PH", "ID"])
    outside = submit(session, letters, operating_countries=["BR", "MY"])
    inside = submit(session, letters, operating_countries=["BR", "ID"])
    assert codes(session, outside) == (False, [("outside_focus", True)])
    assert codes(session, inside) == (True, [])


def test_a_government_controlled_organisation_is_not_eligible(session: Any, letters: str) -> None:
    row = submit(session, letters, government_controlled=True)
    assert codes(session, row) == (False, [("government_controlled", True)])


def test_not_agreeing_with_the_principles_makes_it_ineligible(session: Any, letters: str) -> None:
    row = submit(session, letters, agrees_with_principles=False)
    assert codes(session, row) == (False, [("principles_not_agreed", True)])


def test_not_being_registered_is_only_a_warning(session: Any, letters: str) -> None:
    row = submit(session, letters, legally_registered=False)
    eligible, reasons = codes(session, row)
    assert eligible is True
    assert reasons == [("not_registered", False)]
    assert applications.eligibility(session, row).reasons[0].message


def test_every_reason_at_once(session: Any, letters: str) -> None:
    settings.update_settings(session, None, regional_focus=["PH"])
    row = submit(
        session,
        letters,
        operating_countries=["JP"],
        government_controlled=True,
        agrees_with_principles=False,
        legally_registered=False,
    )
    assert codes(session, row) == (
        False,
        [
            ("outside_focus", True),
            ("government_controlled", True),
            ("principles_not_agreed", True),
            ("not_registered", False),
        ],
    )


# The Secretariat's review -----------------------------------------------------------


def test_the_recommendation_is_recorded_with_author_and_time(
    session: Any, make: Factory, letters: str, published: list[Any]
) -> None:
    secretariat = make.secretariat()
    row = submit(session, letters)
    application_review.recommend(session, secretariat, row.id, False, "Too new.", now=T0)
    application_review.recommend(session, secretariat, row.id, True, "A good fit.", now=T0)
    session.expire_all()
    row = applications.get_application(session, row.id)
    assert row.status == ApplicationStatus.RECOMMENDED
    assert (row.recommend, row.recommendation) == (True, "A good fit.")
    assert row.recommended_by_id == secretariat.id and row.recommended_at == T0
    assert [e.status for e in published if isinstance(e, events.ApplicationStatusChanged)] == [
        "not_recommended",
        "recommended",
    ]


def test_only_the_secretariat_reviews(session: Any, make: Factory, letters: str) -> None:
    row = submit(session, letters)
    for actor in (make.user(Role.PARTNER), make.user(Role.OBSERVER)):
        with pytest.raises(NotAllowed):
            application_review.recommend(session, actor, row.id, True, "Yes.")
        with pytest.raises(NotAllowed):
            application_review.propose(session, actor, row.id)
        with pytest.raises(NotAllowed):
            application_review.decline(session, actor, row.id)
    assert applications.get_application(session, row.id).status == ApplicationStatus.RECEIVED


def test_a_recommendation_needs_text(session: Any, make: Factory, letters: str) -> None:
    row = submit(session, letters)
    with pytest.raises(InvalidInput) as refused:
        application_review.recommend(session, make.secretariat(), row.id, True, "  ")
    assert refused.value.field == "text"


def test_propose_makes_a_draft_admission_proposal_with_the_recommendation(
    session: Any, make: Factory, letters: str
) -> None:
    secretariat = make.secretariat()
    row = submit(session, letters)
    with pytest.raises(ApplicationClosed):
        application_review.propose(session, secretariat, row.id)  # not reviewed yet
    application_review.recommend(session, secretariat, row.id, True, "Strong local networks.")
    proposal = application_review.propose(session, secretariat, row.id, now=T0)
    assert proposal.kind == ProposalKind.ADMISSION
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.subject == {"application_id": row.id}
    assert "Kestrel Human Rights Forum" in proposal.title
    assert "Strong local networks." in proposal.body
    assert "recommends admission" in proposal.body
    # what stays with the Secretariat: the contact person
    assert "aisha" not in proposal.body.lower()
    session.expire_all()
    row = applications.get_application(session, row.id)
    assert (row.status, row.proposal_id) == (ApplicationStatus.PROPOSED, proposal.id)
    with pytest.raises(ApplicationClosed):
        application_review.propose(session, secretariat, row.id)
    with pytest.raises(ApplicationClosed):
        application_review.recommend(session, secretariat, row.id, False, "Changed our mind.")


def test_an_admission_proposal_must_name_an_open_application(
    session: Any, make: Factory, letters: str
) -> None:
    secretariat = make.secretariat()
    with pytest.raises(InvalidInput) as refused:
        make.proposal(secretariat, "admission", subject={"application_id": 999})
    assert refused.value.field == "subject"
    row = submit(session, letters)
    applications.withdraw(session, row.id, withdraw_token(session, row))
    with pytest.raises(InvalidInput) as refused:
        make.proposal(secretariat, "admission", subject={"application_id": row.id})
    assert refused.value.field == "subject"


def withdraw_token(session: Any, row: Application) -> str:
    """A row's withdraw token is only ever handed out once: set a known one."""
    token = "known-token-for-tests"
    row.withdraw_token_hash = tokens.token_digest(token)
    session.commit()
    return token


def test_decline_ends_the_review(session: Any, make: Factory, letters: str) -> None:
    secretariat = make.secretariat()
    row = submit(session, letters)
    application_review.decline(session, secretariat, row.id)
    assert applications.get_application(session, row.id).status == ApplicationStatus.DECLINED
    for again in (
        lambda: application_review.decline(session, secretariat, row.id),
        lambda: application_review.recommend(session, secretariat, row.id, True, "Yes."),
        lambda: application_review.propose(session, secretariat, row.id),
    ):
        with pytest.raises(ApplicationClosed):
            again()


def test_declining_a_proposed_application_withdraws_its_draft_but_not_an_open_round(
    session: Any, make: Factory, letters: str
) -> None:
    secretariat = make.secretariat()
    make.partner()
    row = submit(session, letters)
    application_review.recommend(session, secretariat, row.id, True, "Yes.")
    proposal_id = application_review.propose(session, secretariat, row.id).id
    rounds.open_round(session, secretariat, proposal_id, T0 + timedelta(days=7), quorum=1, now=T0)
    with pytest.raises(ApplicationClosed):
        application_review.decline(session, secretariat, row.id)
    proposals.withdraw_proposal(session, secretariat, proposal_id, now=T0)
    application_review.decline(session, secretariat, row.id)
    assert applications.get_application(session, row.id).status == ApplicationStatus.DECLINED

    other = submit(session, letters, organisation_name="Heron Watch")
    application_review.recommend(session, secretariat, other.id, True, "Yes.")
    draft = application_review.propose(session, secretariat, other.id)
    draft_id = draft.id
    application_review.decline(session, secretariat, other.id)
    assert proposals.get_proposal(session, draft_id).status == ProposalStatus.WITHDRAWN


def test_the_applicant_withdraws_with_the_secret_only(
    session: Any, letters: str, published: list[Any]
) -> None:
    row, token = applications.submit_application(session, fields(), PDF, letters, now=T0)
    with pytest.raises(NotAllowed):
        applications.withdraw(session, row.id, token + "x")
    with pytest.raises(NotAllowed):
        applications.withdraw(session, row.id, None)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed):
        applications.withdrawable(session, row.id + 1, token)
    assert applications.withdrawable(session, row.id, token) == row
    assert applications.get_application(session, row.id).status == ApplicationStatus.RECEIVED
    applications.withdraw(session, row.id, token)
    assert applications.get_application(session, row.id).status == ApplicationStatus.WITHDRAWN
    assert published[-1] == events.ApplicationStatusChanged(row.id, "withdrawn")
    with pytest.raises(ApplicationClosed):
        applications.withdraw(session, row.id, token)
    with pytest.raises(ApplicationClosed):
        applications.withdrawable(session, row.id, token)


def test_withdrawing_during_the_round_closes_it_as_withdrawn(
    session: Any, make: Factory, letters: str
) -> None:
    secretariat = make.secretariat()
    make.partner()
    row, token = applications.submit_application(session, fields(), PDF, letters, now=T0)
    application_review.recommend(session, secretariat, row.id, True, "Yes.")
    proposal_id = application_review.propose(session, secretariat, row.id).id
    round_id = rounds.open_round(
        session, secretariat, proposal_id, T0 + timedelta(days=7), quorum=1, now=T0
    ).id
    applications.withdraw(session, row.id, token, now=T0 + timedelta(days=1))
    closed = rounds.get_round(session, round_id)
    assert closed.outcome == Outcome.WITHDRAWN
    assert proposals.get_proposal(session, proposal_id).status == ProposalStatus.WITHDRAWN
    assert count(session, DecisionEntry) == 1
    assert count(session, Partner) == 1


# The partnership's decision ----------------------------------------------------------


def decide(
    session: Any, make: Factory, letters: str, stance: str, **changes: Any
) -> tuple[Application, User]:
    """Apply, recommend, propose, open a round before two members and close it with
    ``stance`` from the first (the second consents)."""
    secretariat = make.secretariat()
    first, second = make.partner("Mangrove Alliance", "PH"), make.partner("Tern Network", "ID")
    reps = [make.representative(first), make.representative(second)]
    row = submit(session, letters, **changes)
    application_review.recommend(session, secretariat, row.id, True, "Yes.")
    proposal_id = application_review.propose(session, secretariat, row.id).id
    round_id = make.open_round(
        proposals.get_proposal(session, proposal_id), by=secretariat, quorum=1
    ).id
    reason = "Not yet." if stance == "object" else ""
    for rep, partner, said in ((reps[0], first, stance), (reps[1], second, "consent")):
        rounds.register_position(session, rep, round_id, partner.id, said, reason, now=T0)
    rounds.close_round(session, secretariat, round_id, now=T0 + timedelta(hours=1))
    session.expire_all()
    return applications.get_application(session, row.id), secretariat


def test_adoption_admits_the_partner_and_invites_its_contact(
    session: Any, make: Factory, letters: str, published: list[Any]
) -> None:
    row, _ = decide(session, make, letters, "consent", category="member")
    assert row.status == ApplicationStatus.ADMITTED
    partner = session.get(Partner, row.partner_id)
    assert partner.name == "Kestrel Human Rights Forum"
    assert (partner.status, partner.country, partner.category.slug) == (
        PartnerStatus.ACTIVE,
        "MY",
        "member",
    )
    assert partner.has_standing
    contact = session.scalar(select(User).where(User.email == "aisha@kestrel.example.org"))
    assert (contact.role, contact.partner_id, contact.password_hash) == (
        Role.PARTNER,
        partner.id,
        "",
    )
    admitted = [e for e in published if isinstance(e, events.PartnerAdmitted)]
    assert len(admitted) == 1
    assert (admitted[0].partner_id, admitted[0].user_id) == (partner.id, contact.id)
    token = admitted[0].invitation_token
    assert token and count(session, Invitation) == 1
    entry = session.scalar(select(DecisionEntry))
    assert entry.effects[0]["effect"] == "admission"
    assert entry.effects[0]["partner_id"] == partner.id

    # The invitation, made when the round closed, sets the password once.
    soon = T0 + timedelta(days=1)
    assert secret_links.find(session, Invitation, token, now=soon) is not None
    secret_links.use(session, Invitation, token, PASSWORD, now=soon)
    assert passwords.authenticate(session, contact.email, PASSWORD) is not None
    with pytest.raises(InvitationInvalid):
        secret_links.use(session, Invitation, token, "another password", now=soon)


def test_an_invitation_expires(session: Any, make: Factory) -> None:
    user = make.user(Role.OBSERVER)
    token = invitations.invite(session, user, now=T0)
    session.commit()
    later = T0 + timedelta(days=invitations.INVITATION_DAYS, seconds=1)
    assert secret_links.find(session, Invitation, token, now=later) is None
    with pytest.raises(InvitationInvalid):
        secret_links.use(session, Invitation, token, PASSWORD, now=later)
    with pytest.raises(InvalidInput) as refused:
        secret_links.use(session, Invitation, token, "short", now=T0)
    assert refused.value.field == "password"
    with pytest.raises(InvitationInvalid):
        secret_links.use(session, Invitation, "no such token", PASSWORD, now=T0)


def test_a_contact_with_an_account_keeps_it_and_is_not_invited(
    session: Any, make: Factory, letters: str, published: list[Any]
) -> None:
    existing = make.user(Role.OBSERVER, email="aisha@kestrel.example.org")
    users_before = count(session, User)
    row, _ = decide(session, make, letters, "consent", category="supporter", letter=None)
    assert row.status == ApplicationStatus.ADMITTED
    # decide() adds a Secretariat user, two partners' representatives: nothing else
    assert count(session, User) == users_before + 3
    session.refresh(existing)
    assert (existing.role, existing.partner_id) == (Role.OBSERVER, None)
    admitted = [e for e in published if isinstance(e, events.PartnerAdmitted)][0]
    assert (admitted.user_id, admitted.invitation_token) == (existing.id, None)
    assert count(session, Invitation) == 0


def test_a_blocked_admission_declines_the_application(
    session: Any, make: Factory, letters: str, published: list[Any]
) -> None:
    partners_before = count(session, Partner)
    row, _ = decide(session, make, letters, "object")
    assert row.status == ApplicationStatus.DECLINED
    assert row.partner_id is None
    assert count(session, Partner) == partners_before + 2  # the two voters only
    assert count(session, Invitation) == 0
    assert events.ApplicationStatusChanged(row.id, "declined") in published
    assert not [e for e in published if isinstance(e, events.PartnerAdmitted)]


def test_a_lapsed_admission_declines_the_application(
    session: Any, make: Factory, letters: str
) -> None:
    secretariat = make.secretariat()
    make.partner()
    row = submit(session, letters)
    application_review.recommend(session, secretariat, row.id, True, "Yes.")
    proposal_id = application_review.propose(session, secretariat, row.id).id
    round_ = make.open_round(proposals.get_proposal(session, proposal_id), by=secretariat, quorum=1)
    entry = rounds.close_round(session, secretariat, round_.id, now=round_.deadline)
    assert entry.outcome == Outcome.LAPSED
    assert applications.get_application(session, row.id).status == ApplicationStatus.DECLINED


def test_a_removed_partner_returns_by_admission(session: Any, make: Factory, letters: str) -> None:
    removed = make.partner("Kestrel Human Rights Forum", "PH", category="supporter")
    removed.status = PartnerStatus.REMOVED
    session.commit()
    removed_id = removed.id
    row, _ = decide(session, make, letters, "consent")
    assert row.partner_id == removed_id
    partner = session.get(Partner, removed_id)
    assert (partner.status, partner.country, partner.category.slug) == (
        PartnerStatus.ACTIVE,
        "MY",
        "member",
    )


def test_an_admission_is_not_applied_twice(session: Any, make: Factory, letters: str) -> None:
    """A second admission proposal for an application admitted meanwhile changes nothing."""
    row, secretariat = decide(session, make, letters, "consent")
    partners_before = count(session, Partner)
    with pytest.raises(InvalidInput):
        make.proposal(secretariat, "admission", subject={"application_id": row.id})
    assert count(session, Partner) == partners_before


# Categories ---------------------------------------------------------------------------


def test_a_category_change_reaches_only_rounds_opened_afterwards(
    session: Any, make: Factory
) -> None:
    secretariat = make.secretariat()
    member = make.partner("Mangrove Alliance")
    supporter = make.partner("Friends of the Reef", category="supporter")
    before = make.open_round(make.proposal(secretariat), by=secretariat)
    supporters = session.scalar(select(Category).where(Category.slug == "supporter"))
    categories.update_category(
        session, secretariat, supporters.id, name="Associate", has_standing=True
    )
    after = make.open_round(make.proposal(secretariat), by=secretariat)
    session.expire_all()
    assert rounds.get_round(session, before.id).electorate == [member.id]
    assert rounds.get_round(session, after.id).electorate == sorted([member.id, supporter.id])
    assert session.get(Category, supporters.id).name == "Associate"


def test_a_category_is_changed_by_the_secretariat_only_and_keeps_a_unique_name(
    session: Any, make: Factory
) -> None:
    supporters = session.scalar(select(Category).where(Category.slug == "supporter"))
    with pytest.raises(NotAllowed):
        categories.update_category(session, make.user(Role.PARTNER), supporters.id, name="X")
    with pytest.raises(AlreadyExists) as refused:
        categories.update_category(session, None, supporters.id, name="member")
    assert refused.value.field == "name"
    with pytest.raises(InvalidInput) as refused:
        categories.update_category(session, None, supporters.id, has_standing="yes")  # type: ignore[arg-type]
    assert refused.value.field == "has_standing"
    session.expire_all()
    unchanged = session.get(Category, supporters.id)
    assert (unchanged.name, unchanged.has_standing) == ("Supporter", False)
