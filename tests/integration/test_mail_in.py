"""Positions by e-mail reply (shared API.md, "Positions by e-mail reply"), through the
real `accord mail-in` with messages built by the standard library's ``email`` package,
and its LMTP listener through smtplib.LMTP."""

import os
import smtplib
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select

from decisions import proposals, users
from decisions.models import Position, Role, Round, User
from notifications import lmtp
from notifications.models import Kind, OutboxMessage, ReceivedReply
from notifications.reply_parsing import STANCE_WORDS
from tests.conftest import T0
from tests.notifications.conftest import free_port, inbox_of, outbox_of, outbox_to

ROOT = Path(__file__).resolve().parents[2]
QUOTE = (
    "On Mon, 2 Mar 2026 at 09:00, Accord <accord@localhost> wrote:\n"
    "> Round 1 on “Tide gauges” is open.\n> Register the position by Monday.\n"
)


class Election:
    """A round open at T0 for a week, two partners with a representative each; the
    clock an hour later. ``address[i]``: representative i's reply address, as the round's
    e-mail gave it."""

    def __init__(self, make: Any, session: Any) -> None:
        self.session = session
        self.partners = make.partners(2)
        self.reps = [make.representative(p) for p in self.partners]
        self.sec = make.secretariat()
        self.round = make.open_round(make.proposal(self.sec, title="Tide gauges"), self.sec)
        self.address = [outbox_of(rep, Kind.ROUND_OPENED)[0].reply_to for rep in self.reps]

    def positions(self) -> list[Position]:
        self.session.rollback()
        return list(self.session.scalars(select(Position).order_by(Position.id)))

    def replies(self) -> list[ReceivedReply]:
        self.session.rollback()
        return list(self.session.scalars(select(ReceivedReply).order_by(ReceivedReply.id)))


@pytest.fixture
def election(make: Any, session: Any) -> Any:
    with time_machine.travel(T0, tick=False) as clock:
        made = Election(make, session)
        clock.shift(timedelta(hours=1))
        yield made


_ids = iter(range(1, 10**6))


def reply(
    sender: str,
    to: str,
    body: str = "consent",
    subject: str = "Re: Decision round open: Tide gauges",
    html: str | None = None,
    charset: str = "utf-8",
    cte: str | None = None,
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<reply.{next(_ids)}@phone.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if html is not None:
        message.set_content(html, subtype="html", charset=charset, cte=cte)
    else:
        message.set_content(body, charset=charset, cte=cte)
    return bytes(message)


@pytest.fixture
def mail_in(ctx: Any) -> Any:
    """mail_in(raw bytes) -> the click Result of `accord mail-in` reading them."""
    runner = ctx.test_cli_runner()

    def run(raw: bytes, *args: str) -> Any:
        return runner.invoke(args=["accord", "mail-in", *args], input=raw)

    return run


def _answers(user: User) -> list[OutboxMessage]:
    return [m for m in outbox_of(user) if m.kind in (Kind.REPLY_REGISTERED, Kind.REPLY_REFUSED)]


WORDS = [(stance, word) for stance, words in STANCE_WORDS.items() for word in words]
#: as people type them: capitals, accents, Arabic vowel marks, punctuation
WRITTEN = {
    "je m abstiens": "Je m'abstiens.",
    "abstencion": "Abstención",
    "objecion": "¡Objeción!",
    "تنح جانبا": "تنحٍّ جانبًا",
    "موافقه": "موافقة",
    "اوافق": "أوافق",
    "اتنحى جانبا": "أتنحى جانباً",
}


@pytest.mark.parametrize(("stance", "word"), WORDS, ids=[w for _, w in WORDS])
def test_each_stance_word_of_each_language(election, mail_in, stance, word) -> None:  # type: ignore[no-untyped-def]
    written = WRITTEN.get(word, word.upper() + "!")
    reason = "" if stance == "consent" else "Not in our region."
    result = mail_in(reply(election.reps[0].email, election.address[0], f"{written}\n{reason}"))
    assert result.exit_code == 0, result.output
    assert "registered" in result.output
    (position,) = election.positions()
    assert (position.stance, position.reason, position.channel) == (stance, reason, "email")
    assert position.registered_by_id == election.reps[0].id and not position.on_behalf


def test_the_reason_stops_at_the_quote_or_the_signature(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    users.update_user(election.session, None, election.reps[0].id, locale="fr")
    body = f"Objection\nThe budget is not known.\nWe need the figures.\n\n{QUOTE}"
    assert mail_in(reply(election.reps[0].email, election.address[0], body)).exit_code == 0
    signed = "\n> earlier\n\nstand aside\nNot our region.\n-- \nAna Lima\nReef Watch\n"
    assert mail_in(reply(election.reps[1].email, election.address[1], signed)).exit_code == 0
    objection, aside = election.positions()
    assert objection.reason == "The budget is not known.\nWe need the figures."
    assert (aside.stance, aside.reason) == ("stand_aside", "Not our region.")
    # The objection's notices, in the same transaction: the Secretariat hears of it.
    assert inbox_of(election.sec, Kind.OBJECTION_REGISTERED)
    (answer,) = _answers(election.reps[0])
    assert answer.kind == Kind.REPLY_REGISTERED and 'lang="fr"' in answer.html_body
    assert "Tide gauges" in answer.subject and "The budget is not known." in answer.text_body


def test_html_only_mail_in_another_charset_and_encoding(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    html = (
        "<html><head><style>p { color: red }</style></head><body>"
        "<div>Objection</div><div>Le budget n'est pas détaillé.</div>"
        '<div class="gmail_quote"><div>Le lun. 2 mars 2026, Accord a écrit :</div>'
        "<blockquote>Round 1 is <b>open</b></blockquote></div></body></html>"
    )
    raw = reply(
        election.reps[0].email, election.address[0], html=html, charset="iso-8859-1", cte="base64"
    )
    assert mail_in(raw).exit_code == 0
    (position,) = election.positions()
    assert (position.stance, position.reason) == ("object", "Le budget n'est pas détaillé.")


def test_a_strangers_from_is_refused_unanswered(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    result = mail_in(reply("someone@elsewhere.example", election.address[0]))
    assert result.exit_code == 0 and "refused (not_your_address)" in result.output
    assert election.positions() == []
    assert outbox_to("someone@elsewhere.example") == []  # a forged From gets no mail
    (received,) = election.replies()
    assert received.refusal == "not_your_address" and received.user_id == election.reps[0].id


def test_another_representatives_token_is_refused_with_an_answer(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    users.update_user(election.session, None, election.reps[1].id, locale="es")
    result = mail_in(reply(election.reps[1].email.upper(), election.address[0]))
    assert result.exit_code == 0 and "refused (not_your_address)" in result.output
    assert election.positions() == []
    (answer,) = _answers(election.reps[1])
    assert answer.kind == Kind.REPLY_REFUSED and 'lang="es"' in answer.html_body


def test_a_forged_token_is_refused(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    local, _, domain = election.address[0].partition("@")
    forged = f"{local[:-4]}aaaa@{domain}"
    result = mail_in(reply(election.reps[0].email, forged))
    assert "refused (bad_address)" in result.output
    moved = election.address[0].replace(f"-{election.round.id:x}-", f"-{election.round.id + 1:x}-")
    assert "refused" in mail_in(reply(election.reps[0].email, moved)).output
    assert election.positions() == []
    assert [a.kind for a in _answers(election.reps[0])] == [Kind.REPLY_REFUSED] * 2


def test_a_closed_round_and_a_passed_deadline_refuse(election, mail_in, make) -> None:  # type: ignore[no-untyped-def]
    other = make.open_round(make.proposal(election.sec), election.sec, now=T0)
    (opened,) = [
        m
        for m in outbox_of(election.reps[0], Kind.ROUND_OPENED)
        if m.reply_to != election.address[0]
    ]
    proposals.withdraw_proposal(election.session, election.sec, other.proposal_id)
    closed = mail_in(reply(election.reps[0].email, opened.reply_to))
    assert "refused (round_closed)" in closed.output
    with time_machine.travel(T0 + timedelta(days=8), tick=False):
        late = mail_in(reply(election.reps[0].email, election.address[0]))
    assert "refused (deadline_passed)" in late.output
    assert election.positions() == []
    assert len(_answers(election.reps[0])) == 2


def test_an_objection_without_a_reason_and_a_line_that_says_no_stance(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    assert (
        "reason_required"
        in mail_in(reply(election.reps[0].email, election.address[0], "Object\n\n" + QUOTE)).output
    )
    assert (
        "no_stance"
        in mail_in(reply(election.reps[0].email, election.address[0], "Maybe later")).output
    )
    assert election.positions() == []
    answers = _answers(election.reps[0])
    assert "An objection needs a reason." in answers[0].text_body
    assert "first line says no position" in answers[1].text_body


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"subject": "Automatic reply: Decision round open: Tide gauges"},
        {"subject": "Réponse automatique : absent du bureau"},
    ],
)
def test_an_auto_reply_is_ignored_without_an_answer(election, mail_in, headers) -> None:  # type: ignore[no-untyped-def]
    result = mail_in(reply(election.reps[0].email, election.address[0], **headers))
    assert result.exit_code == 0 and "ignored (auto_reply)" in result.output
    assert election.positions() == [] and _answers(election.reps[0]) == []


def test_the_same_message_twice_registers_and_answers_once(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    raw = reply(election.reps[0].email, election.address[0], "Object\nNo budget.")
    first, second = mail_in(raw), mail_in(raw)
    assert first.exit_code == second.exit_code == 0
    assert "already dealt with: registered" in second.output
    assert len(election.positions()) == 1 and len(_answers(election.reps[0])) == 1
    assert len(inbox_of(election.sec, Kind.OBJECTION_REGISTERED)) == 1


def test_too_large_or_without_text_is_refused_with_an_answer(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    big = reply(election.reps[0].email, election.address[0], "consent\n" + "x" * (1100 * 1024))
    assert "refused (too_large)" in mail_in(big).output
    message = EmailMessage()
    message["From"] = election.reps[0].email
    message["To"] = election.address[0]
    message["Subject"] = "Re: photo"
    message.set_content(b"\x89PNG...", maintype="image", subtype="png")
    assert "refused (no_text)" in mail_in(bytes(message)).output
    assert election.positions() == []
    assert len(_answers(election.reps[0])) == 2


def test_garbage_on_standard_input_is_dealt_with(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    for garbage in (b"", b"\x00\xff\xfe garbage \r\n\r\n\x80", b"From: \r\n\r\nconsent"):
        result = mail_in(garbage)
        assert result.exit_code == 0, result.output
    assert election.positions() == []


def test_a_suspended_account_has_no_say(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    users.update_user(election.session, None, election.reps[0].id, active=False)
    assert "refused (no_say)" in mail_in(reply(election.reps[0].email, election.address[0])).output
    assert election.positions() == []


def test_the_envelope_recipient_names_the_token(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    raw = reply(election.reps[0].email, "Accord <accord@localhost>")
    assert "refused (not_a_reply)" in mail_in(raw).output
    result = mail_in(
        reply(election.reps[0].email, "accord@localhost"), "--recipient", election.address[0]
    )
    assert "registered" in result.output


def _run_cli(
    database_url: str, raw: bytes, secret: str = "down"
) -> subprocess.CompletedProcess[bytes]:
    """`accord mail-in` in a process of its own, the message on its standard input, as a
    mail server's pipe runs it."""
    env = {**os.environ, "ACCORD_DATABASE_URL": database_url, "SECRET_KEY": secret}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "accord", "mail-in"],
        cwd=ROOT,
        env=env,
        input=raw,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://postgres@127.0.0.1:{free_port()}/accord",
        "sqlite:////nonexistent/dir/accord.sqlite3",
    ],
    ids=["postgresql", "sqlite"],
)
def test_the_database_down_says_try_later(url) -> None:  # type: ignore[no-untyped-def]
    done = _run_cli(url, reply("rep@example.org", "accord+1-1-abc@localhost"))
    assert done.returncode == 75, done.stderr
    assert b"try again later" in done.stderr


def test_the_pipe_as_a_mail_server_runs_it(make, session, database_url) -> None:  # type: ignore[no-untyped-def]
    """In a process of its own, on the real clock: a round open from now on."""
    partner = make.partner()
    rep = make.representative(partner)
    sec = make.secretariat()
    round_ = make.open_round(make.proposal(sec), sec, now=datetime.now(UTC))
    (opened,) = outbox_of(rep, Kind.ROUND_OPENED)
    raw = reply(rep.email, opened.reply_to, "Keberatan\nAnggaran belum jelas.")
    session.rollback()  # the test holds no transaction meanwhile
    done = _run_cli(database_url, raw, secret="test secret")  # the test app's key
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == "registered, answered"
    (position,) = session.scalars(select(Position).where(Position.round_id == round_.id))
    assert (position.stance, position.reason, position.channel) == (
        "object",
        "Anggaran belum jelas.",
        "email",
    )


# --- the LMTP listener ----------------------------------------------------------------


def test_the_lmtp_listener_registers_and_answers_each_recipient(election, ctx) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    sender = election.reps[0].email
    raw = reply(sender, election.address[0], "Stand aside\nLater, perhaps.")
    election.session.rollback()  # the test holds no transaction (SQLite's lock) meanwhile
    listener = lmtp.listener(ctx, "127.0.0.1", port)
    listener.start()
    try:
        client = smtplib.LMTP("127.0.0.1", port)
        refused = client.sendmail(sender, [election.address[0]], raw)
        again = client.sendmail(sender, [election.address[0]], raw)
        client.quit()
    finally:
        listener.stop()
    assert refused == {} and again == {}
    (position,) = election.positions()
    assert (position.stance, position.channel, position.reason) == (
        "stand_aside",
        "email",
        "Later, perhaps.",
    )


def test_accord_mail_in_lmtp_listens_until_stopped(make, session, database_url) -> None:  # type: ignore[no-untyped-def]
    """`accord mail-in --lmtp HOST:PORT` in a process of its own, on the real clock."""
    partner = make.partner()
    rep = make.representative(partner)
    sec = make.secretariat()
    round_ = make.open_round(make.proposal(sec), sec, now=datetime.now(UTC))
    (opened,) = outbox_of(rep, Kind.ROUND_OPENED)
    sender, address = rep.email, opened.reply_to
    raw = reply(sender, address, "Setuju")
    session.rollback()  # the test holds no transaction (SQLite's lock) meanwhile
    port = free_port()
    env = {**os.environ, "ACCORD_DATABASE_URL": database_url, "SECRET_KEY": "test secret"}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "accord", "mail-in"]
    process = subprocess.Popen(
        [*command, "--lmtp", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        assert b"Listening for LMTP" in process.stdout.readline()
        client = smtplib.LMTP("127.0.0.1", port)
        assert client.sendmail(sender, [address], raw) == {}
        client.quit()
    finally:
        process.terminate()
        process.communicate(timeout=30)
    (position,) = session.scalars(select(Position).where(Position.round_id == round_.id))
    assert (position.stance, position.channel) == ("consent", "email")


def test_a_bad_lmtp_address_is_refused(mail_in) -> None:  # type: ignore[no-untyped-def]
    result = mail_in(b"", "--lmtp", "nowhere")
    assert result.exit_code == 2 and "HOST:PORT" in result.output


def test_the_lmtp_listener_answers_451_when_the_database_is_down(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app import create_app

    down = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"postgresql://postgres@127.0.0.1:{free_port()}/accord",
            "ACCORD_SCHEDULER": "off",
            "SECRET_KEY": "down",
        }
    )
    port = free_port()
    listener = lmtp.listener(down, "127.0.0.1", port)
    listener.start()
    try:
        client = smtplib.LMTP("127.0.0.1", port)
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail(
                "rep@example.org", ["accord+1-1-abc@localhost"], reply("rep@example.org", "x@y")
            )
        client.quit()
    finally:
        listener.stop()
    assert refused.value.smtp_code == 451


def test_the_round_and_user_of_an_answer_are_ones_that_exist(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    """A valid signature over ids no row has (a database restored, say) is refused."""
    from notifications.reply_address import ReplyAddresses
    from notifications.settings import Settings

    address = ReplyAddresses.of(Settings.of_app()).address(election.reps[0].id, 10**6)
    assert "refused (bad_address)" in mail_in(reply(election.reps[0].email, address)).output
    assert election.session.scalar(select(func.count()).select_from(Round)) == 1
    assert election.session.get(User, election.reps[0].id).role == Role.PARTNER


# --- what the Secretariat sees ----------------------------------------------------------


def test_the_secretariat_sees_the_channel_and_the_refusals(election, mail_in, login) -> None:  # type: ignore[no-untyped-def]
    assert "registered" in mail_in(reply(election.reps[0].email, election.address[0])).output
    mail_in(reply(election.reps[1].email, election.address[0], subject="Re: wrong address"))
    client = login(election.sec)
    page = client.page(f"/proposals/{election.round.proposal_id}")
    row = page.find("tr", attrs={"data-partner": str(election.partners[0].id)})
    assert row is not None  # a consent without a reason, shown whole for its mark
    assert row.select_one(".badge.channel.email").get_text() == "by e-mail reply"
    history = client.page(
        f"/rounds/{election.round.id}/positions/{election.partners[0].id}/history"
    )
    assert history.select_one("tbody .badge.channel.email") is not None
    outbox = client.page("/outbox")
    (refused,) = outbox.select("table.replies tbody tr")
    assert refused["data-refusal"] == "not_your_address"
    assert "Re: wrong address" in refused.get_text()
    assert "did not come from the address of the representative" in refused.get_text()


def test_a_reason_too_long_is_refused_in_the_senders_words(election, mail_in) -> None:  # type: ignore[no-untyped-def]
    users.update_user(election.session, None, election.reps[0].id, locale="fr")
    body = "Objection\n" + "trop long " * 600
    result = mail_in(reply(election.reps[0].email, election.address[0], body))
    assert result.exit_code == 0 and "refused (invalid)" in result.output
    assert election.positions() == []
    (answer,) = _answers(election.reps[0])
    assert 'lang="fr"' in answer.html_body and "5000" in answer.text_body.replace(
        "\u202f", ""
    ).replace(" ", "")
