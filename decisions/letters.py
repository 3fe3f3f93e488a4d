"""Letters of intent: checked to be a plain PDF by content, stored under a random name."""

import os
import secrets

from flask_babel import lazy_gettext as _l

from decisions import pdf
from decisions.application_models import Application
from decisions.errors import InvalidInput
from decisions.models import Category

#: the largest letter of intent accepted
LETTER_MAX = 5 * 1024 * 1024


#: where a PDF's end-of-file marker must be: the last bytes, give or take trailing junk
_EOF_WINDOW = 1024


def check_letter(data: bytes | None, category: Category) -> None:
    """A letter of intent is a PDF by its content, whatever its name or declared type,
    and at most LETTER_MAX bytes; a category with a voice requires one. ``None`` is
    no letter; empty bytes are an empty file, refused."""
    if data is None:
        if category.has_standing:
            raise InvalidInput(
                _l("A signed letter of intent (PDF) is required for this category."),
                field="letter_of_intent",
            )
        return
    if not data:
        raise InvalidInput(_l("The letter of intent is an empty file."), field="letter_of_intent")
    if len(data) > LETTER_MAX:
        raise InvalidInput(
            _l("The letter of intent may be at most 5 MB."), field="letter_of_intent"
        )
    if not is_pdf(data):
        raise InvalidInput(_l("The letter of intent must be a PDF."), field="letter_of_intent")
    if pdf.active_content(data):
        raise InvalidInput(
            _l(
                "The letter of intent runs a script or launches a program when opened: "
                "send it as a plain PDF (print it to PDF, or export it without scripts)."
            ),
            field="letter_of_intent",
        )


def is_pdf(data: bytes) -> bool:
    """The two marks every PDF carries: its header first, its end-of-file marker last."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-_EOF_WINDOW:]


def store_letter(data: bytes, letters_dir: str) -> str:
    """Write the letter under a name nobody can guess or choose; returns that name."""
    os.makedirs(letters_dir, mode=0o700, exist_ok=True)
    name = secrets.token_hex(16) + ".pdf"
    path = os.path.join(letters_dir, name)
    # "x": never overwrite, however unlikely a clash of 128 random bits is
    with open(path, "xb") as file:
        file.write(data)
    return name


def remove_letter(letters_dir: str, name: str) -> None:
    try:
        os.remove(os.path.join(letters_dir, name))
    except OSError:
        pass  # nothing was written, or it is gone already: either way nothing is kept


def letter_file(application: Application, letters_dir: str) -> str | None:
    """The path of the application's letter of intent, or None when it has none."""
    if not application.letter_file:
        return None
    path = os.path.join(letters_dir, os.path.basename(application.letter_file))
    return path if os.path.isfile(path) else None
