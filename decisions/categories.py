"""Membership categories, and which of them give a partner a voice in rounds."""

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
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


def categories(session: Session) -> Sequence[Category]:
    return session.scalars(select(Category).order_by(Category.id)).all()


def get_category(session: Session, category_id: int) -> Category:
    return get_row(session, Category, category_id, _l("No such category."))


def update_category(
    session: Session,
    actor: User | None,
    category_id: int,
    *,
    name: str | None = None,
    has_standing: bool | None = None,
) -> Category:
    """Rename a category or give it a voice or take it away. A round's electorate is
    frozen when it opens, so a change reaches only the rounds opened afterwards."""
    with unit_of_work(session):
        require_secretariat(actor)
        category = get_category(session, category_id)
        if name is not None:
            name = validation.line(name, "name", NAME_MAX)
            taken = session.scalar(
                select(Category.id).where(
                    func.lower(Category.name) == name.lower(), Category.id != category.id
                )
            )
            if taken:
                raise AlreadyExists(_l("A category with this name exists already."), field="name")
            category.name = name
        if has_standing is not None:
            if not isinstance(has_standing, bool):
                raise InvalidInput(_l("Answer yes or no."), field="has_standing")
            category.has_standing = has_standing
        return category


def category_by_slug(session: Session, slug: str, field: str = "category") -> Category:
    slug = validation.line(slug, field, 64)
    category = session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise InvalidInput(_l("Unknown membership category."), field=field)
    return category
