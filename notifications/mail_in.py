"""Positions by e-mail reply (shared API.md, "Positions by e-mail reply"): one message a
mail server hands over (``accord mail-in`` on standard input, or its LMTP listener),
dealt with once: its position registered as on the web, with the same rules, or refused,
and its sender answered in their language; auto-replies are ignored without an answer,
so that no mail loop can start.

Each message is recorded (notifications.models.ReceivedReply) under its Message-ID in
the transaction that registers its position, queues its notices and its answer: a
message delivered again finds its record, and registers and answers nothing more.
Answers go to addresses of Accord's users only: a refusal to a stranger's address would
go to whoever a forged ``From`` names. Its record shows the Secretariat what came
(the outbox page).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from decisions import rounds
from decisions.clock import now as clock_now
from decisions.errors import DomainError
from decisions.models import Channel, PartnerStatus, Role, Round, User
from decisions.settings import get_partnership
from notifications.applicant_mail import DirectEmail, render_direct_email
from notifications.messages import deadline_in_zone, proposal_link
from notifications.models import Kind, ReceivedReply, ReplyOutcome
from notifications.outbox import mail
from notifications.reply_address import Named, ReplyAddresses
from notifications.reply_parsing import read_reply, text_of
from notifications.settings import Settings
from notifications.wording import stance_names

#: a reply larger than this is refused (with an answer)
MAX_BYTES = 1024 * 1024

#: why a reply was refused or ignored: what the answer and the outbox page say
REFUSALS = {
    "too_large": _l("The message is larger than 1 MB."),
    "no_text": _l("The message has no text to read."),
    "not_a_reply": _l("The message was not a reply to an e-mail about an open round."),
    "bad_address": _l("The address it was sent to is not a valid reply address."),
    "not_your_address": _l(
        "It did not come from the address of the representative the reply address belongs to."
    ),
    "no_say": _l("This account or its partner may not register positions."),
    "no_stance": _l(
        "Its first line says no position: write “consent”, “stand aside” or “object” on it."
    ),
    "auto_reply": _l("An automatic reply: ignored without an answer."),
    "no_sender": _l("The message says no sender: ignored without an answer."),
    "round_closed": _l("This round is closed."),
    "deadline_passed": _l("The deadline has passed: no position can be registered any more."),
    "reason_required": _l("An objection needs a reason."),
    "not_in_electorate": _l("This partner is not in the electorate of this round."),
}

#: how the subject of an out-of-office answer starts, in the interface languages and a
#: few others (a person's reply starts "Re:", and may name a proposal on "vacations")
_OUT_OF_OFFICE = re.compile(
    r"^\s*(out of (the )?office|auto(matic)?[ -]?(reply|response|answer)|autoreply|"
    r"vacation|absence|abwesen|r[ée]ponse automatique|absent|respuesta autom[áa]tica|"
    r"fuera de la oficina|ausente|رد تلقائي|خارج المكتب|balasan otomatis|di luar kantor)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dealt:
    """What became of a message."""

    outcome: ReplyOutcome
    #: a REFUSALS key, or a domain error's code; "" once registered
    refusal: str = ""
    #: whether its sender was answered (now, or the first time it came)
    answered: bool = False
    #: it came before: nothing done again
    again: bool = False

    def describe(self) -> str:
        said = {
            ReplyOutcome.REGISTERED: "registered",
            ReplyOutcome.REFUSED: f"refused ({self.refusal})",
            ReplyOutcome.IGNORED: f"ignored ({self.refusal})",
        }[self.outcome]
        if self.again:
            return f"already dealt with: {said}"
        return f"{said}, {'answered' if self.answered else 'not answered'}"


def refusal_text(code: str) -> str:
    """What the refusal ``code`` means, in the language in force."""
    return str(REFUSALS.get(code, _l("The position could not be registered.")))


@dataclass(frozen=True)
class Received:
    """What a message says about itself, read before anything is written."""

    key: str
    message_id: str
    sender: str
    subject: str
    #: None when it cannot be read as a message at all
    message: EmailMessage | None
    too_large: bool


def receive(raw: bytes) -> Received:
    too_large = len(raw) > MAX_BYTES
    parser = BytesParser(policy=policy.default)
    try:
        # A message too large is read for its headers only, to answer its sender.
        message = parser.parsebytes(raw[:MAX_BYTES], headersonly=too_large)
    except Exception:  # noqa: BLE001 - whatever arrived, it is dealt with, not retried
        message = None
    message_id = _header(message, "Message-ID")
    key_source = message_id.encode("utf-8", "replace") if message_id else raw
    sender = parseaddr(_header(message, "From"))[1] if message is not None else ""
    return Received(
        key=hashlib.sha256(key_source).hexdigest(),
        message_id=message_id[:255],
        sender=sender if "@" in sender else "",
        subject=" ".join(_header(message, "Subject").split())[:300],
        message=message,
        too_large=too_large,
    )


def _header(message: EmailMessage | None, name: str) -> str:
    if message is None:
        return ""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a header the email package cannot parse
        return ""
    return str(value or "").strip()


def is_auto_reply(message: EmailMessage, sender: str) -> bool:
    auto = _header(message, "Auto-Submitted").lower()
    precedence = _header(message, "Precedence").lower()
    return (
        (auto != "" and auto != "no")
        or precedence in ("bulk", "junk", "list")
        or any(_header(message, name) for name in ("X-Autoreply", "X-Autorespond", "List-Id"))
        or _header(message, "X-Auto-Response-Suppress").lower() == "all"
        or sender.lower().startswith(("mailer-daemon@", "postmaster@"))
        or bool(_OUT_OF_OFFICE.search(_header(message, "Subject")))
    )


def deal_with(
    session: Session, settings: Settings, raw: bytes, envelope_recipients: tuple[str, ...] = ()
) -> Dealt:
    """Register the position a reply gives, or refuse it; answer its sender once. Raises
    SQLAlchemy's OperationalError when the database cannot be reached (try again later)."""
    received = receive(raw)
    done = session.scalar(select(ReceivedReply).where(ReceivedReply.key == received.key))
    if done is not None:
        session.rollback()
        answered = done.outcome != ReplyOutcome.IGNORED
        return Dealt(done.outcome, done.refusal, answered=answered, again=True)
    message = received.message
    if message is None or not received.sender:
        return _record(session, settings, received, None, ReplyOutcome.IGNORED, "no_sender")
    if is_auto_reply(message, received.sender):
        return _record(session, settings, received, None, ReplyOutcome.IGNORED, "auto_reply")
    addresses = ReplyAddresses.of(settings)
    named, addressed = addresses.named_in(_recipients(message, envelope_recipients))
    if received.too_large:
        return _refuse(session, settings, received, named, "too_large")
    if named is None:
        return _refuse(
            session, settings, received, None, "bad_address" if addressed else "not_a_reply"
        )
    user = session.get(User, named.user_id)
    round_ = session.get(Round, named.round_id)
    if user is None or round_ is None:
        return _refuse(session, settings, received, None, "bad_address")
    if user.email.casefold() != received.sender.casefold():
        return _refuse(session, settings, received, named, "not_your_address")
    if not _has_a_say(user):
        return _refuse(session, settings, received, named, "no_say")
    text = text_of(message)
    if text is None:
        return _refuse(session, settings, received, named, "no_text")
    reply = read_reply(text)
    if reply is None or reply.stance is None:
        return _refuse(session, settings, received, named, "no_stance")
    assert user.partner_id is not None  # a representative (_has_a_say)
    locale = _locale(session, user)
    answer = _confirmation(session, settings, user, round_, str(reply.stance), reply.reason, locale)
    row = _row(received, named, ReplyOutcome.REGISTERED, "")
    try:
        with force_locale(locale):  # a refusal's words, in the sender's language
            session.add(row)
            mail(
                session,
                settings,
                f"reply:{received.key}",
                Kind.REPLY_REGISTERED,
                (user.email, user.name),
                answer,
                user.id,
            )
            # The position, its notices, this record and the answer: one transaction.
            position = rounds.register_position(
                session,
                user,
                round_.id,
                user.partner_id,
                str(reply.stance),
                reply.reason,
                channel=Channel.EMAIL,
            )
    except DomainError as error:
        # A refusal the table does not word (a reason too long, say) says the service's
        # own words, written in the sender's language.
        detail = "" if error.code in REFUSALS else error.message
        return _refuse(session, settings, received, named, error.code, detail)
    except IntegrityError:  # the same message, dealt with meanwhile by another delivery
        session.rollback()
        return deal_with(session, settings, raw, envelope_recipients)
    row.position_id = position.id
    session.commit()
    return Dealt(ReplyOutcome.REGISTERED, answered=True)


def _recipients(message: EmailMessage, envelope: tuple[str, ...]) -> list[str]:
    """Where the message went: the envelope's recipients first (the mail server's own
    word), then its headers."""
    found = list(envelope)
    for name in ("Delivered-To", "X-Original-To", "To", "Cc"):
        try:
            found.extend(str(value) for value in message.get_all(name) or [])
        except Exception:  # noqa: BLE001, S112 - a header that cannot be read names none
            continue
    return found


def _has_a_say(user: User) -> bool:
    return (
        user.active
        and user.role == Role.PARTNER
        and user.partner is not None
        and user.partner.status == PartnerStatus.ACTIVE
    )


def _locale(session: Session, user: User | None) -> str:
    if user is not None and user.locale:
        return user.locale
    return get_partnership(session).language


def _row(
    received: Received, named: Named | None, outcome: ReplyOutcome, refusal: str
) -> ReceivedReply:
    return ReceivedReply(
        key=received.key,
        message_id=received.message_id,
        received_at=clock_now(),
        from_address=received.sender[:254],
        subject=received.subject,
        user_id=named.user_id if named else None,
        round_id=named.round_id if named else None,
        outcome=outcome,
        refusal=refusal,
    )


def _record(
    session: Session,
    settings: Settings,
    received: Received,
    named: Named | None,
    outcome: ReplyOutcome,
    refusal: str,
    answer_to: User | None = None,
    detail: str = "",
) -> Dealt:
    """Record the message (and queue the refusal's answer, saying ``detail`` or what
    the refusal's code means) in one transaction."""
    session.rollback()
    if named is not None and (
        session.get(User, named.user_id) is None or session.get(Round, named.round_id) is None
    ):
        named = None
    session.add(_row(received, named, outcome, refusal))
    if answer_to is not None:
        locale = _locale(session, answer_to)
        content = _refusal(settings, answer_to, received, refusal, detail, locale)
        mail(
            session,
            settings,
            f"reply:{received.key}",
            Kind.REPLY_REFUSED,
            (answer_to.email, answer_to.name),
            content,
            answer_to.id,
        )
    try:
        session.commit()
    except IntegrityError:  # recorded meanwhile by another delivery of the same message
        session.rollback()
        return Dealt(outcome, refusal, answered=answer_to is not None, again=True)
    return Dealt(outcome, refusal, answered=answer_to is not None)


def _refuse(
    session: Session,
    settings: Settings,
    received: Received,
    named: Named | None,
    refusal: str,
    detail: str = "",
) -> Dealt:
    """Refused, and answered when the sender is one of Accord's users."""
    session.rollback()
    sender = session.scalar(
        select(User).where(func.lower(User.email) == received.sender.lower(), User.active)
    )
    outcome = ReplyOutcome.REFUSED
    return _record(session, settings, received, named, outcome, refusal, sender, detail)


_WHY = _l("You receive this because you answered an e-mail from Accord by reply.")


def _confirmation(
    session: Session,
    settings: Settings,
    user: User,
    round_: Round,
    stance: str,
    reason: str,
    locale: str,
):  # type: ignore[no-untyped-def]
    zone = user.time_zone or get_partnership(session).time_zone
    with force_locale(locale):
        title = (round_.proposal.translations or {}).get(locale, {}).get("title", round_.title)
        words = {
            "title": title,
            "n": round_.number,
            "partner": user.partner.name if user.partner else "",
            "stance": stance_names()[stance],
            "deadline": deadline_in_zone(round_.deadline, zone, locale),
        }
        details = [(_("Position"), str(words["stance"]))]
        if reason:
            details.append((_("Reason"), reason))
        answer = DirectEmail(
            subject=_("Your position is registered: %(title)s", **words),
            paragraphs=[
                _(
                    "Your reply is registered as the position of %(partner)s in round %(n)d "
                    "on “%(title)s”.",
                    **words,
                ),
                _(
                    "You may change it until the deadline, %(deadline)s, by replying again "
                    "or on the proposal's page.",
                    **words,
                ),
            ],
            details=details,
            action=_("Open the proposal"),
            link=proposal_link(settings, round_, f"round-{round_.id}"),
            why=str(_WHY),
        )
        return render_direct_email(settings, answer, user.name, locale)


def _refusal(  # type: ignore[no-untyped-def]
    settings: Settings, user: User, received: Received, refusal: str, detail: str, locale: str
):
    """``detail``: the refusal's own words, else what its code means (REFUSALS)."""
    with force_locale(locale):
        details = [(_("Subject"), received.subject)] if received.subject else []
        answer = DirectEmail(
            subject=_("Your reply could not be registered"),
            paragraphs=[
                _(
                    "Accord could not register a position from your reply: %(why)s",
                    why=detail or refusal_text(refusal),
                ),
                _(
                    "To register a position, reply to an e-mail about an open round with "
                    "“consent”, “stand aside” or “object” on the first line, and your reason "
                    "on the lines after it, or use the proposal's page."
                ),
            ],
            details=details,
            why=str(_WHY),
        )
        return render_direct_email(settings, answer, user.name, locale)


#: errors that say the database cannot be reached now: the mail server tries again later
UNREACHABLE = (OperationalError, InterfaceError)


def read_message(stream: BinaryIO) -> bytes:
    """A message as a pipe delivers it: read whole (a mail server expects its pipe read
    to the end), kept up to one byte over the limit (enough to know it is too large)."""
    kept = stream.read(MAX_BYTES + 1)
    while stream.read(65536):
        pass
    return kept
