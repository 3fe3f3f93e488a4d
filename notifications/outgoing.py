"""A message on its way out: what a sender claimed from the outbox, the e-mail built from
it, and the result of one attempt to send it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime

from notifications.settings import Settings


@dataclass(frozen=True)
class ClaimedMessage:
    """An outbox message this sender has claimed, detached from the session that
    claimed it."""

    id: int
    to_address: str
    to_name: str
    subject: str
    text_body: str
    html_body: str
    message_id: str
    created_at: datetime
    #: attempts so far, this one included (the backoff after a failure counts from it)
    attempts: int = 1
    #: the recipient's own reply address (notifications.reply_address), or ""
    reply_to: str = ""


@dataclass(frozen=True)
class Result:
    ok: bool
    permanent: bool = False
    error: str = ""


SENT = Result(ok=True)
NOT_ATTEMPTED = Result(ok=False, error="not attempted")


#: headers whose values are the same in message after message (a Content-Type without a
#: boundary): parsed once, then shared, as headers are immutable strings
ALIKE = frozenset({"from", "auto-submitted", "mime-version", "content-transfer-encoding"})


class MadeOnce(HeaderRegistry):
    """The email package's header registry builds a new class for each header of each
    message, and parses the same From and MIME headers again for each: half of what
    building a message costs. Here each class is built once, and each alike header."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}
        self._alike: dict[tuple[str, str], BaseHeader] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = super().__getitem__(name)
        return made

    def __call__(self, name: str, value: str) -> BaseHeader:
        lowered = name.lower()
        alike = lowered in ALIKE or (lowered == "content-type" and "boundary" not in value)
        if not alike:
            return super().__call__(name, value)
        header = self._alike.get((name, value))
        if header is None:
            header = super().__call__(name, value)
            if len(self._alike) < 100:  # a few values each; never a leak
                self._alike[(name, value)] = header
        return header


#: headers on one line up to the 998 characters RFC 5322 allows: Python's folding at 78
#: breaks a long subject right after "Subject:", and some clients then show it indented
LONG_LINES = policy.default.clone(max_line_length=998, header_factory=MadeOnce())


def built(settings: Settings, claimed: ClaimedMessage) -> EmailMessage | Result:
    """The message, or why it cannot be built: one bad message (a line break smuggled
    into a header, say) is failed on its own and never stops the others."""
    try:
        return build_message(settings, claimed)
    except Exception as error:  # noqa: BLE001 - whatever the email package refuses
        return Result(ok=False, permanent=True, error=f"The message cannot be built: {error}")


def build_message(settings: Settings, claimed: ClaimedMessage) -> EmailMessage:
    message = EmailMessage(policy=LONG_LINES)
    message["Subject"] = claimed.subject
    message["From"] = settings.mail_from
    # an Address, not formataddr's text, which the header's parser then reads again: a
    # name like "Zoë <b>" came out as the address "b"
    message["To"] = Address(display_name=claimed.to_name, addr_spec=claimed.to_address)
    message["Date"] = format_datetime(claimed.created_at)
    message["Message-ID"] = claimed.message_id
    message["Auto-Submitted"] = "auto-generated"
    if claimed.reply_to:
        message["Reply-To"] = claimed.reply_to
    message.set_content(claimed.text_body)
    # A boundary of our own: left to itself, the generator compiles a regular expression
    # for each message to check its random one against the text; 122 random bits need
    # no checking.
    message.make_alternative(boundary=f"=_{uuid.uuid4().hex}")
    message.add_alternative(claimed.html_body, subtype="html")
    return message
