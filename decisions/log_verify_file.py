"""Checking an export of the decision log (decisions/log_export.py's JSON) without the
database: the chain is recomputed from the file alone, with the log's own hash
(``log.check_chain``), and the export's ``count`` and ``head`` must name its entries.

A changed field breaks that entry's hash, a removed entry or a reordered pair breaks a
link, and a cut at the newest end changes ``count`` and ``head`` unless the cutter
rewrote those too: against that, a receipt (an entry's hash kept from its e-mail) or
the ``head`` of an earlier export shows whether the entries it vouches for are still
there. tools/verify_export.py does the same in the standard library only.

The file is read as it is checked, an entry at a time: an export of 100 000 entries is
checked in the memory of one entry (``_Reader`` decodes the top-level object's members
one by one, and the entries one by one, with the standard library's JSON decoder).
"""

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from decisions import log

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
#: characters read at a time; more while one value is larger than what is held
_READ = 64 * 1024


@dataclass(frozen=True)
class FileCheck:
    ok: bool
    #: entries in the file
    count: int
    #: what does not hold, in plain words (empty when ``ok``)
    problems: list[str]
    #: as ``log.Verification.receipt_found``
    receipt_found: bool | None = None


def check_export(binary: IO[bytes], receipt: str | None = None) -> FileCheck:
    """``binary``: the export, as a file opened for reading bytes (UTF-8); it is left
    open, for its opener to close."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig")
    try:
        return _checked(_Reader(text), receipt)
    finally:
        text.detach()


def _checked(reader: "_Reader", receipt: str | None) -> FileCheck:
    members: dict[str, Any] = {}
    count, head = 0, None
    result: log.Verification[tuple[int, Any]] | None = None

    def links() -> Iterator[tuple[tuple[int, Any], dict[str, Any], Any]]:
        nonlocal count, head
        for position, value in enumerate(reader.array(), 1):
            entry = value if isinstance(value, dict) else {}
            count, head = position, entry.get("hash")
            content = {key: entry[key] for key in log.COVERED if key in entry}
            yield (position, entry.get("number", "?")), content, entry.get("hash")

    try:
        reader.expect("{")
        while reader.peek() != "}":
            if members or result is not None:
                reader.expect(",")
            name = reader.value()
            reader.expect(":")
            if name == "entries" and result is None:
                result = log.check_chain(links(), receipt)
            else:
                members[str(name)] = reader.value()
        reader.expect("}")
    except (ValueError, UnicodeDecodeError) as error:
        problem = f"This is not a JSON export of the decision log ({error})."
        return FileCheck(False, count, [problem], None if receipt is None else False)
    if result is None:
        problem = "This is not an export of the decision log: it has no list of entries."
        return FileCheck(False, 0, [problem], None if receipt is None else False)
    problems = []
    if result.first_bad is not None:
        position, number = result.first_bad
        problems.append(
            f"Entry {position} of the file ({number}) does not match its hash chain: it, "
            "or an entry before it, was changed, removed or moved."
        )
    if members.get("count") != count:
        problems.append(
            f"The export says it holds {members.get('count')} entries, but it holds {count}."
        )
    if members.get("head") != head:
        problems.append(
            "The export's head is not the hash of its last entry: entries at its end "
            "were removed or added."
        )
    return FileCheck(not problems, result.count, problems, result.receipt_found)


class _Reader:
    """JSON text read a piece at a time: a value whole, or an array value by value."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.held = ""
        self.at = 0
        self.ended = False

    def _more(self, size: int = _READ) -> bool:
        """Read on; False at the end of the file."""
        piece = "" if self.ended else self.text.read(size)
        self.ended = not piece
        self.held, self.at = self.held[self.at :] + piece, 0
        return not self.ended

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.at = _SPACE.match(self.held, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.held) or not self._more():
                return self.held[self.at : self.at + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char!r} at {self.peek()!r}")
        self.at += 1

    def value(self) -> Any:
        """The next value, read whole (more of the file is read until it is)."""
        self.peek()
        size = _READ
        while True:
            try:
                found, end = _DECODER.raw_decode(self.held, self.at)
            except json.JSONDecodeError:
                if not self._more(size):
                    raise
                size *= 2  # a large value: read more at each try
                continue
            # a number at the end of what is held may go on in what is not read yet
            if end < len(self.held) or self.ended:
                self.at = end
                return found
            self._more(size)

    def array(self) -> Iterator[Any]:
        """The next value, an array, value by value."""
        self.expect("[")
        if self.peek() == "]":
            self.at += 1
            return
        while True:
            yield self.value()
            if self.peek() == "]":
                self.at += 1
                return
            self.expect(",")
