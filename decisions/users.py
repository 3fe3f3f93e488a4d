"""Users: the Secretariat, partner representatives and readers, and their accounts."""

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions import languages, validation
from decisions.access import require_secretariat
from decisions.errors import AlreadyExists, InvalidInput
from decisions.lookup import get_row, is_row_id
from decisions.models import EMAIL_MAX, NAME_MAX, Partner, Role, User
from decisions.passwords import password_hash, renew_session_token
from decisions.unit_of_work import unit_of_work


def normalise_email(value: object) -> str:
    email = validation.line(value, "email", EMAIL_MAX).lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email:
        raise InvalidInput(_l("An e-mail address."), field="email")
    return email


def create_user(
    session: Session,
    actor: User | None,
    email: str,
    name: str,
    role: str,
    partner_id: int | None = None,
    password: str | None = None,
    time_zone: str | None = None,
) -> User:
    with unit_of_work(session):
        require_secretariat(actor)
        email = normalise_email(email)
        if session.scalar(select(User.id).where(User.email == email)):
            raise AlreadyExists(_l("A user with this e-mail exists already."), field="email")
        user = User(
            email=email,
            name=validation.line(name, "name", NAME_MAX),
            role=validation.choice(Role, role, "role"),
            time_zone=validation.time_zone(time_zone) if time_zone else None,
        )
        user.partner_id = _partner_for_role(session, user.role, partner_id)
        if password:
            user.password_hash = password_hash(password)
        session.add(user)
        return user


def update_user(
    session: Session,
    actor: User | None,
    user_id: int,
    *,
    name: str | None = None,
    role: str | None = None,
    partner_id: int | None = None,
    active: bool | None = None,
    time_zone: str | None = None,
    locale: str | None = None,
    password: str | None = None,
) -> User:
    with unit_of_work(session):
        require_secretariat(actor)
        user = get_user(session, user_id)
        if name is not None:
            user.name = validation.line(name, "name", NAME_MAX)
        if role is not None:
            user.role = validation.choice(Role, role, "role")
            user.partner_id = _partner_for_role(session, user.role, partner_id)
        if time_zone is not None:
            user.time_zone = validation.time_zone(time_zone) if time_zone else None
        if locale is not None:
            user.locale = languages.language(locale)
        if active is not None:
            if actor is not None and user.id == actor.id and not active:
                raise InvalidInput(_l("You cannot suspend yourself."), field="active")
            user.active = active
            if not active:
                renew_session_token(user)
        if password:
            user.password_hash = password_hash(password)
            renew_session_token(user)
        return user


def _partner_for_role(session: Session, role: Role, partner_id: int | None) -> int | None:
    if role != Role.PARTNER:
        if partner_id:
            raise InvalidInput(
                _l("Only a partner representative belongs to a partner."), field="partner_id"
            )
        return None
    if not is_row_id(partner_id) or session.get(Partner, partner_id) is None:
        raise InvalidInput(
            _l("A partner representative must belong to a partner."), field="partner_id"
        )
    return partner_id


def get_user(session: Session, user_id: int, *, lock: bool = False) -> User:
    return get_row(session, User, user_id, _l("No such user."), lock=lock)


def users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.role, User.name)).all()
