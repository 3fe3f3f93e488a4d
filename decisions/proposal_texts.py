"""A proposal's text in several languages (shared API.md, "Languages"): the authoritative
text, in the proposal's ``language``, is the one partners decide on and the decision log
records; translations help readers, and change only as an amendment does (between rounds).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from decisions import validation
from decisions.errors import InvalidInput
from decisions.languages import LANGUAGES, language
from decisions.models import BODY_MAX, TITLE_MAX, Proposal

#: a translation's parts, as the API and the stored JSON name them
PARTS = ("title", "body")


@dataclass(frozen=True)
class ProposalText:
    """What a reader is shown: a title and a body in ``language``; ``translated`` when it
    is not the authoritative text."""

    title: str
    body: str
    language: str
    translated: bool


def authoritative(proposal: Proposal) -> ProposalText:
    return ProposalText(proposal.title, proposal.body, proposal.language, translated=False)


def text_in(proposal: Proposal, code: str | None) -> ProposalText:
    """The proposal's text in ``code`` when a translation exists, else the authoritative."""
    rendering = (proposal.translations or {}).get(code or "")
    if code == proposal.language or not rendering:
        return authoritative(proposal)
    return ProposalText(rendering["title"], rendering["body"], str(code), translated=True)


def languages_of(proposal: Proposal) -> list[str]:
    """The languages the proposal can be read in, the authoritative one first, the others
    in the interface's order."""
    translated = proposal.translations or {}
    return [proposal.language] + [code for code in LANGUAGES if code in translated]


def revised(
    current: Mapping[str, Mapping[str, str]],
    changes: Mapping[str, Any],
    authoritative_language: str,
) -> dict[str, dict[str, str]]:
    """``current`` with ``changes`` applied: a language given a title and a body is added
    or replaced, a language given None is removed. Checked whole, so no language can be
    both the authoritative text's and a translation's."""
    if not isinstance(changes, Mapping):
        raise InvalidInput(_l("Translations are given by language code."), field="translations")
    result = {code: dict(parts) for code, parts in current.items()}
    for key, parts in changes.items():
        code = language(key, field="translations")
        if parts is None:
            result.pop(code, None)
        else:
            result[code] = _checked_parts(code, parts)
    if authoritative_language in result:
        raise InvalidInput(
            _l(
                "The authoritative text is in this language; a translation into it "
                "would be a second original."
            ),
            field=f"translations.{authoritative_language}",
        )
    return result


def _checked_parts(code: str, parts: object) -> dict[str, str]:
    if not isinstance(parts, Mapping) or set(parts) != set(PARTS):
        raise InvalidInput(
            _l("A translation has a title and a text."), field=f"translations.{code}"
        )
    return {
        "title": validation.line(parts["title"], f"translations.{code}.title", TITLE_MAX),
        "body": validation.text(parts["body"], f"translations.{code}.body", BODY_MAX),
    }
