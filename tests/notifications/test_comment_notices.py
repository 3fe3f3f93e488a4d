"""A new comment reaches the proposer, the Secretariat and the earlier commenters, the
author excepted, once each; by e-mail only to those who chose every notice."""

from decisions import comments, rounds
from notifications import preferences
from notifications.comment_notices import excerpt
from notifications.models import Kind
from tests.conftest import T0
from tests.notifications.conftest import inbox_of, outbox_of, person, recipients_of


def cast(make, session):  # type: ignore[no-untyped-def]
    member_a, member_b, member_c = make.partners(3)
    people = {
        "proposer": person(session, "partner", member_a, name="Ana Proposer"),
        "a2": person(session, "partner", member_a),
        "b1": person(session, "partner", member_b, name="Ben Commenter"),
        "c1": person(session, "partner", member_c, name="Cy Later"),
        "observer": person(session, "observer"),
        "sec1": person(session, "secretariat", name="Sol Secretary"),
        "sec2": person(session, "secretariat"),
    }
    proposal = make.proposal(people["proposer"], title="Shared tide gauges")
    session.commit()
    return people, proposal, (member_a, member_b, member_c)


def test_a_comment_reaches_proposer_secretariat_and_earlier_commenters_not_the_author(  # type: ignore[no-untyped-def]
    make, session
):
    people, proposal, (_a, member_b, _c) = cast(make, session)
    first = comments.post_comment(session, people["b1"], proposal.id, "We support it.", now=T0)
    expected_first = {people[k].id for k in ("proposer", "sec1", "sec2")}
    assert recipients_of(Kind.COMMENT) == expected_first
    assert inbox_of(people["b1"], Kind.COMMENT) == []  # the author hears nothing of it

    second = comments.post_comment(
        session, people["c1"], proposal.id, "So do we, with one change.", now=T0
    )
    (notice,) = inbox_of(people["b1"], Kind.COMMENT)  # the earlier commenter, once
    assert notice.subject == "New comment on “Shared tide gauges”"
    assert notice.body == (
        f"Cy Later ({people['c1'].partner.name}) commented on “Shared tide gauges”."
    )
    assert notice.link.endswith(f"/proposals/{proposal.id}#comment-{second.id}")
    for nobody in ("a2", "observer", "c1"):
        assert inbox_of(people[nobody], Kind.COMMENT) == []
    assert len(inbox_of(people["proposer"], Kind.COMMENT)) == 2
    assert first.partner_id == member_b.id


def test_each_recipient_hears_once_when_they_are_several_things(make, session):  # type: ignore[no-untyped-def]
    """The proposer who commented, a Secretariat user who commented twice: one notice each."""
    people, proposal, _partners = cast(make, session)
    comments.post_comment(session, people["proposer"], proposal.id, "Context.", now=T0)
    noted = comments.post_comment(session, people["sec1"], proposal.id, "Noted.", now=T0)
    comments.post_comment(session, people["sec1"], proposal.id, "And one more.", now=T0)
    question = comments.post_comment(session, people["b1"], proposal.id, "A question.", now=T0)

    def about(user_key: str, comment_id: int) -> list[str]:
        return [
            n.body
            for n in inbox_of(people[user_key], Kind.COMMENT)
            if n.link.endswith(f"#comment-{comment_id}")
        ]

    assert len(about("sec1", question.id)) == 1
    assert len(about("proposer", question.id)) == 1
    assert len(about("sec2", question.id)) == 1
    # The Secretariat's comment names the Secretariat where a partner's name would be.
    assert about("proposer", noted.id) == [
        "Sol Secretary (Secretariat) commented on “Shared tide gauges”."
    ]


def test_e_mail_goes_only_to_those_who_chose_every_notice(make, session):  # type: ignore[no-untyped-def]
    people, proposal, _partners = cast(make, session)
    preferences.set_email_events(session, people["sec2"], "reminders_outcomes")
    preferences.set_email_events(session, people["proposer"], "none")
    session.commit()
    comments.post_comment(
        session,
        people["b1"],
        proposal.id,
        "We **support** it, see [the study](https://example.org/study).\n\n- one\n- two",
        now=T0,
    )
    # Every one of them has it in the inbox…
    assert recipients_of(Kind.COMMENT) == {people[k].id for k in ("proposer", "sec1", "sec2")}
    # …and only sec1, who takes every notice by e-mail, has a message.
    assert outbox_of(people["sec2"], Kind.COMMENT) == []
    assert outbox_of(people["proposer"], Kind.COMMENT) == []
    (message,) = outbox_of(people["sec1"], Kind.COMMENT)
    assert message.subject == "New comment on “Shared tide gauges”"
    assert "We support it, see the study. one two" in message.text_body
    assert "**" not in message.text_body and "https://example.org/study" not in message.text_body
    assert "Open the discussion" in message.text_body


def test_a_reminders_and_outcomes_reader_still_gets_the_outcome_by_e_mail(make, session):  # type: ignore[no-untyped-def]
    """The comment kind is an "every notice" kind; reminders and outcomes are not."""
    people, proposal, (member_a, member_b, member_c) = cast(make, session)
    preferences.set_email_events(session, people["sec2"], "reminders_outcomes")
    session.commit()
    round_ = make.open_round(proposal, people["sec1"])
    for rep, partner in ((people["proposer"], member_a), (people["b1"], member_b)):
        rounds.register_position(session, rep, round_.id, partner.id, "consent", now=T0)
    rounds.register_position(session, people["c1"], round_.id, member_c.id, "consent", now=T0)
    rounds.close_round(session, people["sec1"], round_.id, now=T0)
    assert len(outbox_of(people["sec2"], Kind.ROUND_CLOSED)) == 1
    assert outbox_of(people["sec2"], Kind.COMMENT) == []


def test_the_excerpt_is_plain_text_cut_near_300_characters() -> None:
    assert excerpt("# Title\n\nSome *emphasis* and `code`.") == "Title Some emphasis and code."
    assert excerpt("![a remote image](https://evil.example/x.png) after") == "after"
    long = " ".join(["word"] * 200)
    cut = excerpt(long)
    assert cut.endswith("…") and len(cut) <= 301
    assert excerpt("") == ""
