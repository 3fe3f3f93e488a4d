"""Every interface language is complete: each message the code and the templates mark is
translated in every catalogue (none missing, empty or fuzzy), the compiled catalogue that
ships with the package says the same as its source, and placeholders survive.

A new string therefore cannot land untranslated: extract, update, translate (README,
"Translations")."""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from decisions.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
#: the lazy forms the code uses besides Babel's defaults (README, "Translations")
KEYWORDS = DEFAULT_KEYWORDS | {
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}


def marked_messages() -> set[str]:
    """Every marked message's msgid (a plural's singular), as pybabel extract finds them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple | list) else message
        if msgid:
            found.add(msgid)
    return found


@pytest.fixture(scope="module")
def marked() -> set[str]:
    return marked_messages()


def catalogue(code: str) -> Catalog:
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as source:
        return read_po(source, locale=code)


TRANSLATED = [code for code in LANGUAGES if code != "en"]


def test_the_extraction_finds_the_lazy_messages_too(marked: set[str]) -> None:
    assert "This value is not valid." in marked  # decisions/errors.py, lazy
    assert "Register the position" in marked  # a template
    assert len(marked) > 500


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_message_is_translated(code: str, marked: set[str]) -> None:
    messages = catalogue(code)
    missing = sorted(msgid for msgid in marked if msgid not in messages)
    assert not missing, f"{code}: {len(missing)} messages not in the catalogue: {missing[:5]}"
    untranslated = []
    for message in messages:
        if not message.id or message.id not in marked:
            continue  # the header, or an obsolete entry
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(strings):
            untranslated.append(message.id)
    assert not untranslated, f"{code}: empty or fuzzy: {untranslated[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_the_translation(code: str) -> None:
    messages = catalogue(code)
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in messages.check()
        if errors
    ]
    assert not problems, f"{code}: {problems[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_is_up_to_date(code: str) -> None:
    source = catalogue(code)
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo", "rb") as compiled_file:
        compiled = read_mo(compiled_file)
    expected = {_plain(m.id): _plain(m.string) for m in source if m.id and not m.fuzzy}
    shipped = {_plain(m.id): _plain(m.string) for m in compiled if m.id}
    assert shipped == expected, f"{code}: run `pybabel compile -d app/translations`"


def _plain(value: object) -> object:
    """A plural's forms as a tuple (read_po and read_mo give lists or tuples)."""
    return tuple(value) if isinstance(value, list | tuple) else value
