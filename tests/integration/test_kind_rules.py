"""Rules per kind of proposal, in the services: the shortest round and whether silence may
count, at their edges; the settings that change them; and categories added or retired,
which reach only the rounds opened afterwards."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.demo import fill
from decisions import applications, categories, kind_rules, rounds, settings
from decisions.errors import AlreadyExists, InvalidInput, NotAllowed
from decisions.models import Category, Partnership, Round
from tests.conftest import T0

MEMBERSHIP = ("admission", "suspension", "removal")
KINDS = ("general", "admission", "regional_focus", "suspension", "removal")


def proposal_of(make: Any, kind: str, author: Any) -> Any:
    subject = None
    if kind in ("suspension", "removal"):
        subject = {"partner_id": make.partner("Partner concerned").id}
    elif kind == "regional_focus":
        subject = {"countries": ["PH"]}
    return make.proposal(author, kind=kind, subject=subject)


def set_rules(session: Any, secretariat: Any, **rules: Any) -> None:
    settings.update_settings(session, secretariat, kind_rules=rules)


def stored(session: Any) -> Partnership:
    session.expire_all()
    return session.get(Partnership, 1)


# The defaults (**Changed** in December 2026) -------------------------------------------


def test_the_defaults_let_silence_count_only_on_general_and_regional_focus(session) -> None:  # type: ignore[no-untyped-def]
    assert stored(session).kind_rules == {}
    assert kind_rules.rules_of(stored(session)) == {
        "general": {"min_round_hours": 0, "allow_silence": True},
        "admission": {"min_round_hours": 0, "allow_silence": False},
        "regional_focus": {"min_round_hours": 0, "allow_silence": True},
        "suspension": {"min_round_hours": 0, "allow_silence": False},
        "removal": {"min_round_hours": 0, "allow_silence": False},
    }


@pytest.mark.parametrize("kind", KINDS)
def test_quorum_0_is_refused_only_where_silence_may_not_count(make, session, kind) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    make.partners(2)
    proposal = proposal_of(make, kind, secretariat)
    if kind in MEMBERSHIP:
        with pytest.raises(InvalidInput) as refused:
            make.open_round(proposal, secretariat, quorum=0)
        assert refused.value.field == "quorum"
        assert refused.value.message.startswith("Silence cannot count on a")
        assert "set a quorum of at least 1" in refused.value.message
        assert session.scalars(select(Round)).all() == []
        assert make.open_round(proposal, secretariat, quorum=1).quorum == 1
    else:
        assert make.open_round(proposal, secretariat, quorum=0).quorum == 0


def test_the_message_names_the_kind(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    make.partner()
    with pytest.raises(InvalidInput) as refused:
        make.open_round(make.proposal(secretariat, kind="admission"), secretariat, quorum=0)
    assert refused.value.message == (
        "Silence cannot count on an admission: set a quorum of at least 1."
    )


def test_the_partnerships_default_quorum_of_0_counts_as_given(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    make.partner()
    assert stored(session).default_quorum == 0
    proposal = make.proposal(secretariat, kind="admission")
    with pytest.raises(InvalidInput) as refused:
        make.open_round(proposal, secretariat)  # no quorum: the partnership's, 0
    assert refused.value.field == "quorum"
    settings.update_settings(session, secretariat, default_quorum=1)
    assert make.open_round(proposal, secretariat).quorum == 1


def test_silence_may_be_allowed_again_and_forbidden_on_general(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    make.partner()
    set_rules(session, secretariat, admission={"allow_silence": True})
    set_rules(session, secretariat, general={"allow_silence": False})
    assert make.open_round(make.proposal(secretariat, kind="admission"), secretariat).quorum == 0
    with pytest.raises(InvalidInput) as refused:
        make.open_round(make.proposal(secretariat), secretariat, quorum=0)
    assert refused.value.field == "quorum"


# The shortest round ----------------------------------------------------------------------


def test_exactly_the_minimum_length_is_accepted(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    make.partner()
    set_rules(session, secretariat, admission={"min_round_hours": 72})
    proposal = make.proposal(secretariat, kind="admission")
    round_ = rounds.open_round(
        session, secretariat, proposal.id, T0 + timedelta(hours=72), quorum=1, now=T0
    )
    assert round_.deadline == T0 + timedelta(hours=72)


def test_one_minute_less_is_refused_naming_the_earliest_deadline(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    make.partner()
    set_rules(session, secretariat, admission={"min_round_hours": 72})
    proposal = make.proposal(secretariat, kind="admission")
    with pytest.raises(InvalidInput) as refused:
        rounds.open_round(
            session,
            secretariat,
            proposal.id,
            T0 + timedelta(hours=72) - timedelta(minutes=1),
            quorum=1,
            now=T0,
            zone="Asia/Manila",
        )
    assert refused.value.field == "deadline"
    assert refused.value.message == (
        "An admission round lasts at least 72 hours: choose a deadline on or after "
        "2026-03-05 17:00 (Asia/Manila)."
    )
    assert session.scalars(select(Round)).all() == []


def test_the_earliest_deadline_is_said_to_the_next_whole_minute(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    make.partner()
    set_rules(session, secretariat, general={"min_round_hours": 1})
    opened_at = T0 + timedelta(seconds=30)
    with pytest.raises(InvalidInput) as refused:
        rounds.open_round(
            session,
            secretariat,
            make.proposal(secretariat).id,
            T0 + timedelta(minutes=59),
            now=opened_at,
        )
    assert "1 hour:" in refused.value.message
    assert "on or after 2026-03-02 10:01 (UTC)" in refused.value.message


def test_other_kinds_keep_their_own_minimum(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    make.partner()
    set_rules(session, secretariat, admission={"min_round_hours": 72})
    short = rounds.open_round(
        session, secretariat, make.proposal(secretariat).id, T0 + timedelta(hours=1), now=T0
    )
    assert short.deadline == T0 + timedelta(hours=1)


# Settings: any subset merges over what is stored ------------------------------------------


def test_a_change_merges_and_only_what_differs_from_the_defaults_is_stored(session, make) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    set_rules(session, secretariat, admission={"min_round_hours": 72})
    set_rules(
        session, secretariat, admission={"allow_silence": True}, removal={"min_round_hours": 48}
    )
    assert stored(session).kind_rules == {
        "admission": {"min_round_hours": 72, "allow_silence": True},
        "removal": {"min_round_hours": 48},
    }
    # Back to a default value: nothing of it is kept.
    set_rules(session, secretariat, admission={"min_round_hours": 0, "allow_silence": False})
    assert stored(session).kind_rules == {"removal": {"min_round_hours": 48}}
    rules = kind_rules.rules_of(stored(session))
    assert rules["removal"] == {"min_round_hours": 48, "allow_silence": False}
    assert rules["admission"] == {"min_round_hours": 0, "allow_silence": False}


@pytest.mark.parametrize(
    "value",
    [
        [],
        "admission",
        {"coup": {"min_round_hours": 1}},
        {"admission": 72},
        {"admission": {"colour": "blue"}},
        {"admission": {"min_round_hours": -1}},
        {"admission": {"min_round_hours": 1.5}},
        {"admission": {"min_round_hours": "72"}},
        {"admission": {"min_round_hours": True}},
        {"admission": {"min_round_hours": kind_rules.MAX_ROUND_HOURS + 1}},
        {"admission": {"allow_silence": "yes"}},
        {"admission": {"allow_silence": 1}},
    ],
)
def test_bad_rules_are_refused_and_nothing_changes(session, make, value) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    set_rules(session, secretariat, removal={"min_round_hours": 48})
    with pytest.raises(InvalidInput) as refused:
        settings.update_settings(session, secretariat, kind_rules=value)
    assert refused.value.field == "kind_rules"
    assert stored(session).kind_rules == {"removal": {"min_round_hours": 48}}


def test_the_largest_minimum_is_a_year(session, make) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    set_rules(session, secretariat, general={"min_round_hours": kind_rules.MAX_ROUND_HOURS})
    assert kind_rules.rules_of(stored(session))["general"]["min_round_hours"] == 24 * 365


def test_only_the_secretariat_changes_the_rules(session, make) -> None:  # type: ignore[no-untyped-def]
    representative = make.user("partner")
    with pytest.raises(NotAllowed):
        set_rules(session, representative, admission={"min_round_hours": 1})
    assert stored(session).kind_rules == {}


# What a new round is offered -------------------------------------------------------------


def test_a_new_round_is_offered_a_quorum_and_a_deadline_within_the_rules() -> None:
    silent = {"min_round_hours": 0, "allow_silence": True}
    answered = {"min_round_hours": 0, "allow_silence": False}
    assert kind_rules.suggested_quorum(silent, 0) == 0
    assert kind_rules.suggested_quorum(answered, 0) == 1
    assert kind_rules.suggested_quorum(answered, 3) == 3
    week = kind_rules.suggested_deadline(silent, T0, "UTC")
    assert week == T0 + timedelta(days=7)
    long = {"min_round_hours": 24 * 10 + 1, "allow_silence": True}
    assert kind_rules.suggested_deadline(long, T0 + timedelta(minutes=20), "Asia/Kolkata") == (
        T0 + timedelta(hours=24 * 10 + 1, minutes=30)  # 10:30 UTC is 16:00 in Kolkata
    )


# Categories: added, renamed, retired; rounds opened later only ---------------------------


def category(session: Any, slug: str) -> Category:
    session.expire_all()
    return session.scalars(select(Category).where(Category.slug == slug)).one()


def test_a_category_added_with_a_voice_reaches_only_later_rounds(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    member = make.partner(category="member")
    earlier = make.open_round(make.proposal(secretariat), secretariat)
    added = categories.add_category(session, secretariat, "Parliamentarians", True)
    assert added.slug == "parliamentarians"
    parliamentarian = make.partner(category="parliamentarians")
    later = make.open_round(make.proposal(secretariat), secretariat, now=T0 + timedelta(days=1))
    session.expire_all()
    assert session.get(Round, earlier.id).electorate == [member.id]
    assert session.get(Round, later.id).electorate == sorted([member.id, parliamentarian.id])


def test_a_retired_category_keeps_its_partners_and_its_voice_in_rounds(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    member = make.partner(category="member")
    categories.add_category(session, secretariat, "Civil society", True)
    civil = make.partner(category="civil_society")
    earlier = make.open_round(make.proposal(secretariat), secretariat)
    retired = category(session, "civil_society")
    categories.update_category(session, secretariat, retired.id, retired=True)
    session.expire_all()
    assert civil.category.slug == "civil_society" and civil.category.retired
    # Retiring takes nothing from its partners; taking the voice away reaches later rounds.
    categories.update_category(session, secretariat, retired.id, has_standing=False)
    later = make.open_round(make.proposal(secretariat), secretariat, now=T0 + timedelta(days=1))
    session.expire_all()
    assert session.get(Round, earlier.id).electorate == sorted([member.id, civil.id])
    assert session.get(Round, later.id).electorate == [member.id]


def test_slugs_are_made_from_names_and_never_taken_twice(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    made = [
        categories.add_category(session, secretariat, name, False).slug
        for name in ("NGO supporters", "NGO  Supporters!", "Académiques", "2nd tier", "تحالف")
    ]
    assert made == [
        "ngo_supporters",
        "ngo_supporters_2",
        "academiques",
        "category_2nd_tier",
        "category",
    ]


@pytest.mark.parametrize(("name", "error"), [("member", AlreadyExists), ("", InvalidInput)])
def test_a_new_category_needs_a_free_name(make, session, name, error) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    with pytest.raises(error) as refused:
        categories.add_category(session, secretariat, name, True)
    assert refused.value.field == "name"
    assert len(categories.categories(session)) == 4


def test_the_settings_add_rename_and_retire_categories(make, session) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    settings.update_settings(
        session,
        secretariat,
        categories=[
            {"slug": "academics", "name": "Academics", "has_standing": False},
            {"slug": "supporter", "name": "NGO supporter", "has_standing": False},
            {"slug": "observer", "name": "Observer", "has_standing": False, "retired": True},
        ],
    )
    assert [
        (c.slug, c.name, c.has_standing, c.retired) for c in categories.categories(session)
    ] == [
        ("member", "Member", True, False),
        ("supporter", "NGO supporter", False, False),
        ("focal_point", "Focal point", False, False),
        ("observer", "Observer", False, True),
        ("academics", "Academics", False, False),
    ]
    assert [c.slug for c in categories.open_categories(session)] == [
        "member",
        "supporter",
        "focal_point",
        "academics",
    ]
    # Two names swapped in one change are no clash.
    settings.update_settings(
        session,
        secretariat,
        categories=[
            {"slug": "supporter", "name": "Academics", "has_standing": False},
            {"slug": "academics", "name": "NGO supporter", "has_standing": False},
        ],
    )
    assert category(session, "supporter").name == "Academics"


@pytest.mark.parametrize(
    "value",
    [
        {"slug": "x"},
        [{"slug": "x", "name": "X"}],
        [{"slug": "Bad Slug", "name": "X", "has_standing": True}],
        [{"slug": "x", "name": "X", "has_standing": "yes"}],
        [{"slug": "x", "name": "X", "has_standing": True, "retired": "no"}],
        [{"slug": "x", "name": "X", "has_standing": True, "colour": "blue"}],
        [{"slug": "x", "name": "", "has_standing": True}],
        [{"slug": "x", "name": "Member", "has_standing": True}],
        [
            {"slug": "x", "name": "X", "has_standing": True},
            {"slug": "x", "name": "Y", "has_standing": True},
        ],
        ["x"],
    ],
)
def test_bad_categories_are_refused_and_nothing_changes(make, session, value) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    with pytest.raises(InvalidInput) as refused:
        settings.update_settings(session, secretariat, categories=value)
    assert refused.value.field == "categories"
    assert [c.slug for c in categories.categories(session)] == [
        "member",
        "supporter",
        "focal_point",
        "observer",
    ]


def test_no_organisation_applies_for_a_retired_category(make, session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secretariat = make.secretariat()
    categories.update_category(
        session, secretariat, category(session, "supporter").id, retired=True
    )
    data = applications.ApplicationInput(
        organisation_name="Late Supporter",
        mandate="Supports.",
        headquarters_country="PH",
        operating_countries=["PH"],
        legally_registered=True,
        government_controlled=False,
        agrees_with_principles=True,
        category="supporter",
        contact_name="Ana",
        contact_email="ana@late.example",
    )
    with pytest.raises(InvalidInput) as refused:
        applications.submit_application(session, data, None, tmp_path)
    assert refused.value.field == "category"
    assert "retired" in refused.value.message


def test_the_demo_keeps_its_own_rules(session) -> None:  # type: ignore[no-untyped-def]
    fill(session)
    rules = kind_rules.rules_of(stored(session))
    for kind in MEMBERSHIP:
        assert rules[kind] == {"min_round_hours": 72, "allow_silence": False}
    assert rules["general"] == kind_rules.DEFAULTS["general"]
    demo_rounds = session.scalars(select(Round)).all()
    assert demo_rounds
    for round_ in demo_rounds:
        rule = rules[round_.proposal.kind]
        assert round_.deadline - round_.opened_at >= timedelta(hours=rule["min_round_hours"])
        assert round_.quorum >= (0 if rule["allow_silence"] else 1)
