"""The words said of an application: each eligibility reason, and the admission
proposal's Markdown composed from the application and its eligibility."""

from flask_babel import lazy_gettext as _l

from decisions.application_models import Application
from decisions.countries import COUNTRIES
from decisions.eligibility import Eligibility

#: what is said of each reason an application is not, or not quite, eligible
REASONS = {
    "outside_focus": _l("It operates in no country of the partnership's regional focus."),
    "government_controlled": _l("It is government-operated or -controlled."),
    "principles_not_agreed": _l("It does not agree with the partnership's principles."),
    "not_registered": _l("It is not legally registered."),
}


def reason_wording() -> dict[str, str]:
    """Each reason's words in the language of the moment."""
    return {code: str(text) for code, text in REASONS.items()}


def proposal_text(application: Application, checked: Eligibility) -> str:
    """The admission proposal's Markdown: the organisation, its eligibility, and the
    Secretariat's recommendation."""
    verdict = (
        _l("The Secretariat recommends admission.")
        if application.recommend
        else _l("The Secretariat does not recommend admission.")
    )
    lines = [
        str(
            _l(
                "**%(name)s** applies to join the partnership as %(category)s.",
                name=_markdown_plain(application.organisation_name),
                category=application.category.name,
            )
        ),
        "",
        f"**{_l('Mandate and principal activities')}**",
        "",
        application.mandate,
        "",
        *_answers(application),
        "",
        f"**{_l('Eligibility')}**: "
        + (str(_l("eligible")) if checked.eligible else str(_l("not eligible"))),
    ]
    lines += [f"- {reason.message}" for reason in checked.reasons]
    lines += [
        "",
        f"**{_l('Recommendation of the Secretariat')}**: {verdict}",
        "",
        application.recommendation,
    ]
    return "\n".join(lines)


def _answers(application: Application) -> list[str]:
    """The application form's answers, as a Markdown list."""
    countries = ", ".join(country_label(c) for c in application.operating_countries)
    return [
        f"- {_l('Headquarters')}: {country_label(application.headquarters_country)}",
        f"- {_l('Countries of operation')}: {countries}",
        f"- {_l('Legally registered')}: {_yes_no_label(application.legally_registered)}",
        f"- {_l('Government-operated or -controlled')}: "
        f"{_yes_no_label(application.government_controlled)}",
        f"- {_l('Agrees with the principles')}: "
        f"{_yes_no_label(application.agrees_with_principles)}",
    ]


def country_label(code: str) -> str:
    return f"{COUNTRIES.get(code, code)} ({code})"


def _yes_no_label(value: bool) -> str:
    return str(_l("yes")) if value else str(_l("no"))


def _markdown_plain(value: str) -> str:
    """A name as literal text inside Markdown emphasis."""
    return value.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
