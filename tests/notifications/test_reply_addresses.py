"""Every e-mail about an open round to a representative (round opened, deadline extended,
reminder) carries a Reply-To of its own for that representative and round, and says in
one line, in the recipient's language, how to answer by reply (shared API.md, "Positions
by e-mail reply")."""

from datetime import timedelta

import time_machine

from decisions import rounds, users
from notifications.models import Kind
from notifications.reply_address import LOCAL_PART_MAX, ReplyAddresses
from notifications.settings import Settings
from tests.conftest import T0
from tests.notifications.conftest import configure, outbox_of, person, tick

HINT_EN = "You may also answer by e-mail"


def test_each_representative_has_a_reply_address_for_each_round(ctx, make, session, smtp):  # type: ignore[no-untyped-def]
    partners = make.partners(2)
    reps = [make.representative(p) for p in partners]
    users.update_user(session, None, reps[1].id, locale="fr")
    sec = person(session, "secretariat")
    with time_machine.travel(T0, tick=False):
        first = make.open_round(make.proposal(sec), sec, days=7)
        second = make.open_round(make.proposal(sec), sec, days=7)
        rounds.extend_round(session, sec, first.id, T0 + timedelta(days=9))
        tick()
    addresses = ReplyAddresses.of(Settings.of_app(ctx))
    seen = set()
    for rep in reps:
        mails = smtp.to(rep.email)
        assert len(mails) == 3  # two openings, one extension
        for mail in mails:
            reply_to = mail["Reply-To"].addresses[0].addr_spec
            local = reply_to.partition("@")[0]
            assert reply_to.endswith("@coral-sea.example") and local.startswith("accord+")
            assert len(local) <= LOCAL_PART_MAX
            named = addresses.read(addresses.token_in(reply_to) or "")
            assert named is not None and named.user_id == rep.id
            seen.add(reply_to)
        rounds_named = {
            addresses.read(addresses.token_in(m["Reply-To"].addresses[0].addr_spec) or "").round_id
            for m in mails
        }  # type: ignore[union-attr]
        assert rounds_named == {first.id, second.id}
    assert len(seen) == 4  # one per representative and round
    english = smtp.to(reps[0].email)[0]
    french = smtp.to(reps[1].email)[0]
    assert HINT_EN in english.get_body(("plain",)).get_content()
    assert HINT_EN in english.get_body(("html",)).get_content()
    assert "répondre par e-mail" in french.get_body(("plain",)).get_content()


def test_a_reminder_carries_the_reply_address_and_other_notices_none(ctx, make, session, smtp):  # type: ignore[no-untyped-def]
    partner = make.partner()
    rep = make.representative(partner)
    sec = person(session, "secretariat")
    with time_machine.travel(T0, tick=False) as clock:
        round_ = make.open_round(make.proposal(sec), sec, days=4)
        clock.shift(timedelta(days=3, hours=1))  # 71 hours before the deadline: due
        tick()
        (reminder,) = outbox_of(rep, Kind.REMINDER)
        rounds.register_position(session, rep, round_.id, partner.id, "object", "No budget")
        tick()
    addresses = ReplyAddresses.of(Settings.of_app(ctx))
    assert reminder.reply_to == addresses.address(rep.id, round_.id)
    assert smtp.to(rep.email)[-1]["Reply-To"] == reminder.reply_to
    (objection,) = outbox_of(sec, Kind.OBJECTION_REGISTERED)
    assert objection.reply_to == "" and HINT_EN not in objection.text_body
    (sent,) = smtp.to(sec.email)
    assert sent["Reply-To"] is None


def test_a_token_is_signed_and_bound_to_its_user_and_round(ctx, monkeypatch):  # type: ignore[no-untyped-def]
    configure(ctx, monkeypatch, ACCORD_MAIL_REPLY_DOMAIN="Replies.Example")
    addresses = ReplyAddresses.of(Settings.of_app(ctx))
    token = addresses.token(41, 907)
    assert addresses.domain == "replies.example"
    assert addresses.read(token.upper()) is not None  # any case
    user, round_, signature = token.split("-")
    moved = f"{user}-{int(round_, 36) + 1:x}-{signature}"
    assert addresses.read(moved) is None
    assert addresses.read(f"{user}-{round_}-{'a' * len(signature)}") is None
    other_key = ReplyAddresses.of(
        Settings.of_app(ctx).__class__(**{**Settings.of_app(ctx).__dict__, "secret_key": "another"})
    )
    assert other_key.read(token) is None
    big = addresses.address(2**31 - 1, 2**31 - 1)
    assert len(big.partition("@")[0]) <= LOCAL_PART_MAX
