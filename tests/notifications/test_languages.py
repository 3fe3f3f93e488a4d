"""Notices speak their recipient's language (shared API.md, "Languages"): each inbox entry
and e-mail is written in the recipient's own locale, else the partnership's; never the
sender's or the request's."""

from decisions import proposals, settings, users
from notifications.models import Kind
from tests.notifications.conftest import inbox_of, outbox_of, person


def test_each_recipient_reads_the_round_opening_in_their_language(make, session):  # type: ignore[no-untyped-def]
    french, arabic, silent = (make.partner(name) for name in ("Banyan", "Kestrel", "Monsoon"))
    rep_fr, rep_ar, rep_default = (make.representative(p) for p in (french, arabic, silent))
    users.update_user(session, None, rep_fr.id, locale="fr")
    users.update_user(session, None, rep_ar.id, locale="ar")
    settings.update_settings(session, None, language="id")  # for who chose none
    sec = person(session, "secretariat")
    users.update_user(session, None, sec.id, locale="es")  # the sender's: not theirs
    proposal = make.proposal(sec, title="Tide gauges")
    make.open_round(proposal, sec)
    subjects = {
        who: inbox_of(user, Kind.ROUND_OPENED)[0].subject
        for who, user in (("fr", rep_fr), ("ar", rep_ar), ("id", rep_default))
    }
    assert subjects["fr"].startswith("Tour de décision ouvert")
    assert subjects["ar"].startswith("جولة قرار مفتوحة")
    assert "Tide gauges" in subjects["id"] and not subjects["id"].startswith("Decision round")
    mail = outbox_of(rep_ar, Kind.ROUND_OPENED)[0]
    assert 'lang="ar" dir="rtl"' in mail.html_body


def test_the_password_reset_mail_speaks_the_accounts_language(make, session, web, mail_dir):  # type: ignore[no-untyped-def]
    user = person(session, "observer")
    users.update_user(session, None, user.id, locale="fr")
    web.submit("/password/forgotten", {"email": user.email})
    (mail,) = outbox_of(user)
    assert mail.subject.startswith("Choisir") or "mot de passe" in mail.subject
    assert 'lang="fr" dir="ltr"' in mail.html_body


def test_a_recipient_reads_the_proposals_title_in_their_language_when_translated(make, session):  # type: ignore[no-untyped-def]
    french, other = make.partner("Banyan"), make.partner("Kestrel")
    rep_fr, rep_en = make.representative(french), make.representative(other)
    users.update_user(session, None, rep_fr.id, locale="fr")
    sec = person(session, "secretariat")
    proposal = make.proposal(sec, title="Tide gauges")
    proposals.amend_proposal(
        session,
        sec,
        proposal.id,
        translations={"fr": {"title": "Marégraphes", "body": "Des marégraphes."}},
    )
    make.open_round(proposal, sec)
    assert "Marégraphes" in inbox_of(rep_fr, Kind.ROUND_OPENED)[0].subject
    assert "Tide gauges" in inbox_of(rep_en, Kind.ROUND_OPENED)[0].subject
