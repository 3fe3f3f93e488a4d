"""Countries as people pick them: named in the reader's language, grouped by UN M49
sub-region (decisions.countries holds the codes and the grouping)."""

from collections.abc import Iterable

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from decisions.countries import COUNTRIES, SUBREGIONS, subregion_of

#: where a code that no sub-region lists is shown (Antarctica, a code kept from before)
OTHER = _l("Other")


def country_name(code: str) -> str:
    """The ISO 3166 short name in English; in another language, Babel's name for it."""
    locale = str(get_locale() or "en")
    if not locale.startswith("en"):
        translated = Locale.parse(locale).territories.get(code)
        if translated:
            return str(translated)
    return COUNTRIES.get(code, code)


_IN_A_SUBREGION = {code for codes in SUBREGIONS.values() for code in codes}


def subregion_label(code: str) -> str:
    """The country's M49 sub-region, or "Other" (Antarctica, a code no list knows)."""
    return subregion_of(code) if code in _IN_A_SUBREGION else str(OTHER)


def by_subregion(codes: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(sub-region, [(code, name), …]) in the order of SUBREGIONS, names sorted; a code no
    sub-region lists comes last under "Other"."""
    wanted = set(codes)
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    placed: set[str] = set()
    for subregion, members in SUBREGIONS.items():
        inside = sorted(((c, country_name(c)) for c in members if c in wanted), key=_by_name)
        placed.update(c for c, _name in inside)
        if inside:
            groups.append((subregion, inside))
    rest = sorted(((c, country_name(c)) for c in wanted - placed), key=_by_name)
    if rest:
        groups.append((str(OTHER), rest))
    return groups


def country_choices(
    current: Iterable[str] = (), empty_label: str | None = None
) -> list[SelectChoice]:
    """Every country as a choice, in an optgroup per sub-region; codes in ``current`` stay
    offered even if the list lacks them, so an edit never loses one."""
    choices = [SelectChoice(value="", label=empty_label)] if empty_label else []
    for subregion, countries in by_subregion(set(COUNTRIES) | set(current)):
        choices += [
            SelectChoice(value=code, label=f"{name} ({code})", optgroup=subregion)
            for code, name in countries
        ]
    return choices


def countries_of(subregions: Iterable[str]) -> list[str]:
    """Every country code of the named sub-regions."""
    return sorted({code for name in subregions for code in SUBREGIONS.get(name, [])})


def _by_name(pair: tuple[str, str]) -> str:
    return pair[1]
