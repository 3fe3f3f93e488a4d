"""Reading a position out of an e-mail reply (shared API.md, "Positions by e-mail reply"):
the message's text (its plain part, else its HTML turned into text), the stance on its
first line that is neither blank nor quoted, the reason on the lines after it down to the
quoted message (with its "On … wrote:" line, in any interface language) or a signature.

No database and no Flask: the standard library's ``email`` package decodes any charset
and transfer encoding, its ``html.parser`` reads HTML.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage, MIMEPart
from html.parser import HTMLParser

from decisions.consensus import Stance

#: the words of each stance, in every interface language (en, fr, es, ar, id), as they
#: read once folded (see ``_folded``): lower case, no accents or Arabic vowel marks, no
#: punctuation. The e-mail's line on how to answer names those of its reader's language.
STANCE_WORDS: dict[Stance, tuple[str, ...]] = {
    Stance.CONSENT: (
        "consent",
        "i consent",
        "consentement",
        "je consens",
        "consens",
        "consentimiento",
        "consiento",
        "موافقه",
        "موافق",
        "اوافق",
        "setuju",
        "saya setuju",
    ),
    Stance.STAND_ASIDE: (
        "stand aside",
        "standaside",
        "stand_aside",
        "i stand aside",
        "abstention",
        "je m abstiens",
        "abstiens",
        "abstencion",
        "me abstengo",
        "تنح جانبا",
        "تنحي جانبا",
        "اتنحى جانبا",
        "menahan diri",
        "saya menahan diri",
    ),
    Stance.OBJECT: (
        "object",
        "objection",
        "i object",
        "je m oppose",
        "objeter",
        "objecion",
        "me opongo",
        "objetar",
        "اعتراض",
        "اعترض",
        "keberatan",
        "saya keberatan",
    ),
}

_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ـ": ""})


def _folded(line: str) -> str:
    """Case, accents, Arabic vowel marks and letter variants, and punctuation forgiven."""
    decomposed = unicodedata.normalize("NFKD", line.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = kept.translate(_ARABIC_LETTERS)
    words = "".join(
        c if c.isalnum() or c == "_" else " " for c in unicodedata.normalize("NFC", kept)
    )
    return " ".join(words.split())


_STANCES = {_folded(word): stance for stance, words in STANCE_WORDS.items() for word in words}

#: the line a mail program writes above the message it quotes, in each interface
#: language: "On Mon, 1 Dec 2026, Accord <…> wrote:", "Le … a écrit :", "El … escribió:",
#: "في … كتب …:", "Pada … menulis:"; it may be wrapped over two or three lines
_ATTRIBUTION_START = re.compile(r"^(on|le|el|pada|في|بتاريخ)\b", re.IGNORECASE)
_ATTRIBUTION_END = re.compile(
    r"\b(wrote|a [ée]crit|escribi[óo]|(كتب|كتابة)\b.*|menulis)\s*:\s*$", re.IGNORECASE | re.DOTALL
)
#: the marks of direction mail programs put around names in a right-to-left line
_BIDI = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
#: where a mail program starts the message it forwards or quotes below a reply
_QUOTE_HEADER = re.compile(
    r"^(-{2,}\s*(original message|message d'origine|mensaje original|pesan asli|الرسالة الأصلية)"
    r"\s*-{2,}|_{10,}|(from|de|dari|من)\s*:\s*.+@.+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reply:
    #: None when the first line says no stance
    stance: Stance | None
    reason: str
    #: the first line as written, to quote back when it says no stance
    first_line: str


def read_reply(text: str) -> Reply | None:
    """The stance and reason of a reply's text; None when it has no line of its own
    (blank, or only quoted)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    number = 0
    # Above the answer, in a reply written below the quote: the quote and its attribution.
    while number < len(lines) and (
        not lines[number].strip()
        or lines[number].lstrip().startswith(">")
        or _starts_attribution(lines, number)
    ):
        number += 1
    if number == len(lines):
        return None
    first = lines[number].strip()
    reason = "\n".join(line.rstrip() for line in _own_lines(lines, number + 1)).strip()
    return Reply(_STANCES.get(_folded(first)), reason, first)


def _own_lines(lines: list[str], start: int) -> list[str]:
    """The lines from ``start`` down to the quoted message or the signature."""
    own: list[str] = []
    for number in range(start, len(lines)):
        line = lines[number]
        stripped = line.strip()
        if stripped.startswith(">") or line.rstrip() in ("--", "-- ", "—"):
            break
        if _QUOTE_HEADER.match(stripped) or _starts_attribution(lines, number):
            break
        own.append(line)
    return own


def _starts_attribution(lines: list[str], number: int) -> bool:
    """Whether an attribution line, perhaps wrapped over up to three lines, starts here."""
    first = lines[number].translate(_BIDI).strip()
    if not _ATTRIBUTION_START.match(first):
        return False
    joined = ""
    for line in lines[number : number + 3]:
        line = line.translate(_BIDI).strip()
        if joined and (not line or line.startswith(">")):
            return False  # an attribution ends before a blank or quoted line
        joined = f"{joined} {line}"
        if _ATTRIBUTION_END.search(joined):
            return True
    return False


def text_of(message: EmailMessage) -> str | None:
    """The message's text: its plain part, else its HTML part as text; None when it has
    neither. The email package decodes its transfer encoding and charset."""
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _content(plain)
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        content = _content(html)
        return None if content is None else html_to_text(content)
    return None


def _content(part: MIMEPart) -> str | None:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset, a broken part
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            return None
        content = payload.decode("utf-8", errors="replace")
    return content if isinstance(content, str) else None


#: elements that end a line of text
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt footer form h1 h2 h3 h4 h5 h6 header "
    "hr li ol p pre section table tr ul".split()
)
_HIDDEN = frozenset({"head", "script", "style", "title", "template"})


class _Text(HTMLParser):
    """HTML as the plain text a mail program would show, quotes (``<blockquote>``, and
    the quoted part mail programs mark with a class) as ``>`` lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.hidden = 0
        self.quoted = 0
        #: the open elements' names and whether each opened a quote
        self.open: list[tuple[str, bool]] = []

    def _break(self) -> None:
        prefix = "> " * self.quoted
        self.lines.append(prefix + " ".join(self.line.split()))
        self.line = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCKS:
            if self.line.strip():
                self._break()
        classes = dict(attrs).get("class") or ""
        quote = tag == "blockquote" or "gmail_quote" in classes or "moz-cite-prefix" in classes
        if tag == "br":
            return
        self.open.append((tag, quote))
        if quote:
            self.quoted += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        if tag in _BLOCKS and self.line.strip():
            self._break()
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                closed = self.open[index:]
                del self.open[index:]
                self.quoted -= sum(1 for _, quote in closed if quote)
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.line += data


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    if parser.line.strip():
        parser._break()
    return "\n".join(parser.lines)
