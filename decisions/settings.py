"""The partnership's settings: its one row of name, time zone, quorum, reminders, focus,
rules per kind of proposal and whether its decision log is public; its categories change
here too (through the API)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decisions import kind_rules, languages, validation
from decisions.access import require_secretariat
from decisions.categories import DEFAULT_CATEGORIES, apply_categories
from decisions.errors import FocusByDecision, InvalidInput
from decisions.models import NAME_MAX, Category, DecisionEntry, Partnership, User
from decisions.unit_of_work import unit_of_work


def ensure_partnership(session: Session, name: str = "Our partnership") -> Partnership:
    """Create the settings row and default categories if missing; the caller commits."""
    partnership = session.get(Partnership, 1)
    if partnership is None:
        partnership = Partnership(id=1, name=name, time_zone="UTC")
        session.add(partnership)
    if session.scalar(select(func.count()).select_from(Category)) == 0:
        for slug, label, voice in DEFAULT_CATEGORIES:
            session.add(Category(slug=slug, name=label, has_standing=voice))
    session.flush()
    return partnership


def get_partnership(session: Session) -> Partnership:
    """The settings row, which init-db (and the tests' fixtures) create; reads only."""
    partnership = session.get(Partnership, 1)
    if partnership is None:
        raise LookupError("The partnership has no settings row: run `accord init-db`.")
    # The identity map holds rows only weakly, and a page reads the settings in several
    # places (the domain's rule, the header, the times shown): keep them for the session's
    # life, or the same page reads them once or twice depending on the garbage collector.
    session.info["partnership"] = partnership
    return partnership


def log_is_empty(session: Session) -> bool:
    return session.scalar(select(DecisionEntry.id).limit(1)) is None


def update_settings(session: Session, actor: User | None, **changes: Any) -> Partnership:
    with unit_of_work(session):
        require_secretariat(actor)
        partnership = get_partnership(session)
        if "name" in changes:
            partnership.name = validation.line(changes["name"], "name", NAME_MAX)
        if "time_zone" in changes:
            partnership.time_zone = validation.time_zone(changes["time_zone"])
        if "language" in changes:
            partnership.language = languages.language(changes["language"], "language")
        if "default_quorum" in changes:
            partnership.default_quorum = validation.non_negative_int(
                changes["default_quorum"], "default_quorum"
            )
        if "reminder_offsets_hours" in changes:
            partnership.reminder_offsets_hours = reminder_offsets(changes["reminder_offsets_hours"])
        if "regional_focus" in changes:
            focus = changes["regional_focus"]
            if not isinstance(focus, list | tuple):
                raise InvalidInput(_l("A list of country codes."), field="regional_focus")
            codes = sorted({validation.country(c, "regional_focus") for c in focus})
            if codes != sorted(partnership.regional_focus or []) and not log_is_empty(session):
                raise FocusByDecision(field="regional_focus")
            partnership.regional_focus = codes
        if "kind_rules" in changes:
            partnership.kind_rules = kind_rules.changed(partnership, changes["kind_rules"])
        if "categories" in changes:
            apply_categories(session, changes["categories"])
        if "public_log" in changes:
            partnership.public_log = validation.boolean(changes["public_log"], "public_log")
        return partnership


def reminder_offsets(value: object) -> list[int]:
    if not isinstance(value, list | tuple) or len(value) > 10:
        raise InvalidInput(_l("Up to ten numbers of hours."), field="reminder_offsets_hours")
    hours = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 24 * 60:
            raise InvalidInput(
                _l("Each offset is a whole number of hours between 1 and 1440."),
                field="reminder_offsets_hours",
            )
        hours.add(item)
    return sorted(hours, reverse=True)
