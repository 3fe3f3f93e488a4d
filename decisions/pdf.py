"""What a PDF would do when opened: a letter of intent is read by the Secretariat, and
one that runs a script or launches a program is refused before anyone opens it.

The names that start an action (/JavaScript, /JS, /Launch) are looked for in the file
as it is and in its compressed streams (where a PDF 1.5 file keeps most of its objects),
after undoing the #xx escapes a name may be spelled with (/J#61vaScript is /JavaScript).
"""

import re
import zlib

#: an action that runs code or another program; an /OpenAction or /AA that runs a
#: script names /JS or /JavaScript too
ACTIVE = {b"JavaScript", b"JS", b"Launch"}
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
#: at most this much is inflated from one stream: a bomb of a few KB stays harmless
INFLATE_MAX = 20 * 1024 * 1024


def active_content(data: bytes) -> str | None:
    """The first action name found (``"JavaScript"``), or None for a quiet document."""
    for part in (data, *_inflated(data)):
        for match in _NAME.finditer(part):
            name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
            if name in ACTIVE:
                return name.decode("ascii")
    return None


def _inflated(data: bytes) -> list[bytes]:
    found = []
    budget = INFLATE_MAX
    for match in _STREAM.finditer(data):
        if budget <= 0:
            break
        try:
            content = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate, or not whole: nothing a reader would inflate either
        budget -= len(content)
        found.append(content)
    return found
