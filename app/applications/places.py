"""Countries as people pick them: named in the reader's language, grouped by UN M49
sub-region (decisions.countries holds the codes and the grouping)."""

from collections.abc import Iterable
from dataclasses import dataclass

from babel import Locale
from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
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


@dataclass(frozen=True)
class FocusGroup:
    """One sub-region of a regional focus: the whole of it, or some of its countries."""

    subregion: str
    #: the focus's countries in it, by name
    countries: list[str]
    whole: bool

    @property
    def in_words(self) -> str:
        """Say, "Melanesia: every country" or "Southern Asia: Bangladesh and Nepal"."""
        if self.whole:
            return _("%(subregion)s: every country", subregion=self.subregion)
        return _(
            "%(subregion)s: %(countries)s",
            subregion=self.subregion,
            countries=in_a_list(self.countries),
        )


@dataclass(frozen=True)
class Focus:
    """A partnership's regional focus as an applicant reads it."""

    groups: list[FocusGroup]
    #: the focus's country codes
    codes: frozenset[str]

    def reach(self, subregion: str) -> str | None:
        """How much of ``subregion`` is in the focus: "whole", "part" or None."""
        for group in self.groups:
            if group.subregion == subregion:
                return "whole" if group.whole else "part"
        return None

    @property
    def whole_subregions(self) -> bool:
        """Whether the focus is whole sub-regions only, so naming them says it all."""
        return all(group.whole for group in self.groups)

    @property
    def lead(self) -> str:
        """The sentence that says where an applicant must work."""
        if not self.groups:
            return _("The partnership welcomes organisations working in any country.")
        if self.whole_subregions:
            return _(
                "The partnership works in %(places)s: at least one of your countries of "
                "operation must be there.",
                places=in_a_list([group.subregion for group in self.groups]),
            )
        return _(
            "The partnership works in the countries below: at least one of your countries "
            "of operation must be among them."
        )


def focus_of(codes: Iterable[str]) -> Focus:
    """The focus by sub-region, each said whole when the focus holds all its countries."""
    wanted = set(codes)
    return Focus(
        [
            FocusGroup(
                subregion,
                [name for _code, name in countries],
                whole=subregion in SUBREGIONS and wanted.issuperset(SUBREGIONS[subregion]),
            )
            for subregion, countries in by_subregion(wanted)
        ],
        frozenset(wanted),
    )


def in_a_list(items: list[str]) -> str:
    """The items as "a, b and c" in the reader's language."""
    return format_list(items, locale=str(get_locale() or "en"))


def _by_name(pair: tuple[str, str]) -> str:
    return pair[1]
