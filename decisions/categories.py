"""Membership categories, and which of them give a partner a voice in rounds.

The Secretariat adds, renames and retires them. A retired category leaves the
application form and keeps its partners. A round's electorate is frozen when it opens,
so every change reaches only the rounds opened afterwards.
"""

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decisions import validation
from decisions.access import require_secretariat
from decisions.errors import AlreadyExists, InvalidInput
from decisions.lookup import get_row
from decisions.models import NAME_MAX, Category, User
from decisions.unit_of_work import unit_of_work

DEFAULT_CATEGORIES = (
    ("member", "Member", True),
    ("supporter", "Supporter", False),
    ("focal_point", "Focal point", False),
    ("observer", "Observer", False),
)
SLUG_MAX = 64
#: a slug: lowercase ASCII letters, digits and underscores, starting with a letter
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
#: what a category takes in ``PATCH /partnership``'s ``categories``
ITEM_KEYS = {"slug", "name", "has_standing", "retired"}


def categories(session: Session) -> Sequence[Category]:
    return session.scalars(select(Category).order_by(Category.id)).all()


def open_categories(session: Session) -> Sequence[Category]:
    """The categories an organisation may apply for: those not retired."""
    return session.scalars(
        select(Category).where(Category.retired.is_(False)).order_by(Category.id)
    ).all()


def get_category(session: Session, category_id: int) -> Category:
    return get_row(session, Category, category_id, _l("No such category."))


def add_category(session: Session, actor: User | None, name: str, has_standing: bool) -> Category:
    """A new category, its slug made from its name."""
    with unit_of_work(session):
        require_secretariat(actor)
        name = _free_name(session, name, "name")
        category = Category(
            slug=new_slug(session, name),
            name=name,
            has_standing=_yes_no(has_standing, "has_standing"),
            retired=False,
        )
        session.add(category)
        session.flush()
        return category


def update_category(
    session: Session,
    actor: User | None,
    category_id: int,
    *,
    name: str | None = None,
    has_standing: bool | None = None,
    retired: bool | None = None,
) -> Category:
    """Rename a category, give it a voice or take it away, retire it or bring it back."""
    with unit_of_work(session):
        require_secretariat(actor)
        category = get_category(session, category_id)
        if name is not None:
            category.name = _free_name(session, name, "name", category.id)
        if has_standing is not None:
            category.has_standing = _yes_no(has_standing, "has_standing")
        if retired is not None:
            category.retired = _yes_no(retired, "retired")
        return category


def apply_categories(session: Session, items: object) -> None:
    """``PATCH /partnership``'s ``categories``: an item with a new slug adds a category,
    one with a known slug renames it, changes its voice and, with ``retired``, retires
    it or brings it back. Categories not named stay as they are. Anything wrong is
    refused with the field ``categories``; the caller commits."""
    field = "categories"
    if not isinstance(items, list | tuple):
        raise InvalidInput(_l("A list of categories."), field=field)
    known = {c.slug: c for c in categories(session)}
    changes = [_checked_item(item) for item in items]
    slugs = [change["slug"] for change in changes]
    if len(set(slugs)) < len(slugs):
        raise InvalidInput(_l("Name each category once."), field=field)
    names = {slug: c.name for slug, c in known.items()}
    names.update({change["slug"]: change["name"] for change in changes})
    folded = [name.casefold() for name in names.values()]
    if len(set(folded)) < len(folded):
        raise AlreadyExists(_l("Two categories would have the same name."), field=field)
    for change in changes:
        category = known.get(change["slug"])
        if category is None:
            category = Category(slug=change["slug"], retired=False)
            session.add(category)
        category.name = change["name"]
        category.has_standing = change["has_standing"]
        if change.get("retired") is not None:
            category.retired = change["retired"]
    session.flush()


def _checked_item(item: object) -> dict[str, Any]:
    field = "categories"
    if not isinstance(item, dict):
        raise InvalidInput(
            _l("Each category is {slug, name, has_standing, retired?}."), field=field
        )
    unknown = set(item) - ITEM_KEYS
    if unknown:
        raise InvalidInput(
            _l("A category takes slug, name, has_standing and retired only."), field=field
        )
    for key in ("slug", "name", "has_standing"):
        if key not in item:
            raise InvalidInput(_l("Each category needs its %(key)s.", key=key), field=field)
    slug = item["slug"]
    if not isinstance(slug, str) or len(slug) > SLUG_MAX or not SLUG.match(slug):
        raise InvalidInput(
            lazy_ngettext(
                "A slug is lowercase letters, digits and underscores, starting with a letter, "
                "at most %(num)d character.",
                "A slug is lowercase letters, digits and underscores, starting with a letter, "
                "at most %(num)d characters.",
                SLUG_MAX,
            ),
            field=field,
        )
    retired = item.get("retired")
    return {
        "slug": slug,
        "name": validation.line(item["name"], field, NAME_MAX),
        "has_standing": _yes_no(item["has_standing"], field),
        "retired": None if retired is None else _yes_no(retired, field),
    }


def new_slug(session: Session, name: str) -> str:
    """A slug made from ``name`` (lowercase ASCII, underscores), not taken yet: "NGO
    supporters" → ``ngo_supporters``, then ``ngo_supporters_2``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[: SLUG_MAX - 4]
    base = base.strip("_")
    if not base or not base[0].isalpha():
        base = f"category_{base}".strip("_")[: SLUG_MAX - 4]
    taken = set(session.scalars(select(Category.slug)))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}_{n}"
    return slug


def _free_name(session: Session, name: object, field: str, category_id: int | None = None) -> str:
    name = validation.line(name, field, NAME_MAX)
    taken = session.scalar(
        select(Category.id).where(
            func.lower(Category.name) == name.lower(),
            Category.id != (category_id or 0),
        )
    )
    if taken:
        raise AlreadyExists(_l("A category with this name exists already."), field=field)
    return name


def _yes_no(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(_l("Answer yes or no."), field=field)
    return value


def category_by_slug(
    session: Session, slug: str, field: str = "category", *, open_only: bool = False
) -> Category:
    """The category of ``slug``; with ``open_only``, only one not retired (an application
    applies for one of those)."""
    slug = validation.line(slug, field, SLUG_MAX)
    category = session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise InvalidInput(_l("Unknown membership category."), field=field)
    if open_only and category.retired:
        raise InvalidInput(
            _l("This membership category is retired: choose another one."), field=field
        )
    return category
