"""The interface languages Accord speaks (shared API.md, "Languages"): their codes, the
name each has in itself, and which are written right to left."""

from flask_babel import lazy_gettext as _l

from decisions.errors import InvalidInput

#: code -> the language's name in that language (a switch shows each in its own words)
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "id": "Bahasa Indonesia",
}
RIGHT_TO_LEFT = frozenset({"ar"})


def language(value: object, field: str = "locale") -> str:
    """One of the codes offered, or InvalidInput naming ``field``."""
    code = value.strip().lower() if isinstance(value, str) else None
    if code not in LANGUAGES:
        raise InvalidInput(_l("Choose one of: %(codes)s.", codes=", ".join(LANGUAGES)), field=field)
    return code


def direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"
