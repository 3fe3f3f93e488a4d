"""The partnership's settings, its categories, partners and users, and API tokens."""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from decisions import events, validation
from decisions.clock import now as clock_now
from decisions.errors import (
    AlreadyExists,
    FocusByDecision,
    InvalidInput,
    InvitationInvalid,
    NotAllowed,
    NotFound,
    NotInvitable,
)
from decisions.lookup import get_row, is_row_id
from decisions.models import (
    EMAIL_MAX,
    NAME_MAX,
    ApiToken,
    Category,
    DecisionEntry,
    Invitation,
    Partner,
    Partnership,
    PartnerStatus,
    Role,
    User,
)
from decisions.unit_of_work import unit_of_work

DEFAULT_CATEGORIES = (
    ("member", "Member", True),
    ("supporter", "Supporter", False),
    ("focal_point", "Focal point", False),
    ("observer", "Observer", False),
)

# Checked against when an e-mail is unknown, so a failed login takes as long either way.
_DUMMY_HASH = generate_password_hash("not a password")


def require_secretariat(actor: User | None) -> None:
    """``None`` is the system itself (the CLI, the scheduler)."""
    if actor is not None and actor.role != Role.SECRETARIAT:
        raise NotAllowed()


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


def create_partner(
    session: Session, actor: User | None, name: str, country: str, category: str = "member"
) -> Partner:
    with unit_of_work(session):
        require_secretariat(actor)
        partner = Partner(
            name=validation.line(name, "name", NAME_MAX),
            country=validation.country(country),
            category=category_by_slug(session, category),
            status=PartnerStatus.ACTIVE,
        )
        _ensure_unique_partner_name(session, partner.name)
        session.add(partner)
        return partner


def update_partner(
    session: Session,
    actor: User | None,
    partner_id: int,
    *,
    name: str | None = None,
    country: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> Partner:
    with unit_of_work(session):
        require_secretariat(actor)
        partner = get_partner(session, partner_id)
        if name is not None:
            name = validation.line(name, "name", NAME_MAX)
            if name != partner.name:
                _ensure_unique_partner_name(session, name)
            partner.name = name
        if country is not None:
            partner.country = validation.country(country)
        if category is not None:
            partner.category = category_by_slug(session, category)
        if status is not None:
            partner.status = _status_change(partner.status, status)
        return partner


def _status_change(current: PartnerStatus, value: object) -> PartnerStatus:
    """The status the Secretariat may set: it suspends and reactivates a partner, but
    removal, and the return of a removed partner, happen only by a decision of the
    partnership (an adopted removal or admission proposal), never by an edit."""
    wanted = validation.choice(PartnerStatus, value, "status")
    if wanted == current:
        return current
    if current == PartnerStatus.REMOVED:
        raise InvalidInput(
            _l("A removed partner returns only by decision: propose its admission."),
            field="status",
        )
    if wanted == PartnerStatus.REMOVED:
        raise InvalidInput(
            _l("A partner is removed only by decision: propose its removal."), field="status"
        )
    return wanted


def _ensure_unique_partner_name(session: Session, name: str) -> None:
    if session.scalar(select(Partner.id).where(func.lower(Partner.name) == name.lower())):
        raise AlreadyExists(_l("A partner with this name exists already."), field="name")


def get_partner(session: Session, partner_id: int) -> Partner:
    return get_row(session, Partner, partner_id, _l("No such partner."))


def partners_query() -> Select[Partner]:
    """Every partner, by name (the id breaks no tie: names are unique)."""
    return select(Partner).order_by(Partner.name)


def partners(session: Session) -> Sequence[Partner]:
    return session.scalars(partners_query()).all()


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
            user.password_hash = generate_password_hash(_password(password))
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
        if active is not None:
            if actor is not None and user.id == actor.id and not active:
                raise InvalidInput(_l("You cannot suspend yourself."), field="active")
            user.active = active
            if not active:
                _end_sessions(user)
        if password:
            user.password_hash = generate_password_hash(_password(password))
            _end_sessions(user)
        return user


def end_sessions(session: Session, user: User) -> None:
    """Sign the user out everywhere: every session and remember-me cookie stops working."""
    with unit_of_work(session):
        _end_sessions(user)


def _end_sessions(user: User) -> None:
    """A new session token ends every session and remember-me cookie of the user."""
    user.session_token = secrets.token_urlsafe(32)


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


def _password(value: str) -> str:
    if len(value) < 8 or len(value) > 200:
        raise InvalidInput(_l("A password of 8 to 200 characters."), field="password")
    return value


def set_password(session: Session, user: User, password: str) -> None:
    with unit_of_work(session):
        user.password_hash = generate_password_hash(_password(password))
        _end_sessions(user)


def get_user(session: Session, user_id: int, *, lock: bool = False) -> User:
    return get_row(session, User, user_id, _l("No such user."), lock=lock)


def users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.role, User.name)).all()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user, or None; says nothing about whether the e-mail exists."""
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def user_by_session_token(session: Session, token: str) -> User | None:
    return session.scalar(select(User).where(User.session_token == token, User.active.is_(True)))


def token_digest(token: str) -> str:
    """What is stored of a secret token (API, invitation, withdraw link): its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, label: str = "") -> tuple[ApiToken, str]:
    """A new API token: the row and the token itself, which is shown once only."""
    with unit_of_work(session):
        token = "acc_" + secrets.token_urlsafe(32)
        row = ApiToken(
            user_id=user.id,
            token_hash=token_digest(token),
            label=validation.line(label, "label", NAME_MAX, required=False),
        )
        session.add(row)
        return row, token


def own_token(session: Session, user: User, token_id: int) -> ApiToken:
    """One of ``user``'s API tokens; another person's is not found, like a missing one."""
    row = get_row(session, ApiToken, token_id, _l("No such token."))
    if row.user_id != user.id:
        raise NotFound(_l("No such token."))
    return row


def revoke_token(session: Session, user: User, token_id: int) -> None:
    with unit_of_work(session):
        row = own_token(session, user, token_id)
        if row.revoked_at is None:
            row.revoked_at = clock_now()


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    return row.user


def tokens_of(session: Session, user: User) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).all()


#: how long a set-password link stays valid
INVITATION_DAYS = 14


def invite(session: Session, user: User, now: datetime | None = None) -> str:
    """A set-password link's token for ``user`` (stored hashed); the caller commits, so
    that an invitation made while a round closes is part of that transaction."""
    moment = now or clock_now()
    token = secrets.token_urlsafe(32)
    session.add(
        Invitation(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=moment,
            expires_at=moment + timedelta(days=INVITATION_DAYS),
        )
    )
    session.flush()
    return token


def invitation_by_token(
    session: Session, token: str, now: datetime | None = None
) -> Invitation | None:
    """The invitation ``token`` names, when it is unused and unexpired; else None."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None or invitation.used_at is not None:
        return None
    if invitation.expires_at <= (now or clock_now()) or not invitation.user.active:
        return None
    return invitation


def accept_invitation(
    session: Session, token: str, password: str, now: datetime | None = None
) -> User:
    """Set the invited user's password; the link then works no more, nor do the user's
    other open invitations."""
    with unit_of_work(session):
        moment = now or clock_now()
        invitation = invitation_by_token(session, token, moment)
        if invitation is None:
            raise InvitationInvalid()
        user = invitation.user
        choose_password(session, user, password, moment)
        return user


def choose_password(session: Session, user: User, password: str, moment: datetime) -> None:
    """A password chosen through a link (an invitation, a password reset): the user's
    sessions end, and so do their open invitations. The caller commits."""
    user.password_hash = generate_password_hash(_password(password))
    _end_sessions(user)
    _end_invitations(session, user, moment)


def invite_again(
    session: Session, actor: User | None, user_id: int, now: datetime | None = None
) -> User:
    """A new set-password link for an active user who has none yet: an admitted
    partner's contact whose link expired, or a user added without a password. The
    earlier links stop working; the new one is e-mailed (see notifications)."""
    with unit_of_work(session):
        require_secretariat(actor)
        user = get_user(session, user_id, lock=True)
        if not user.active or user.password_hash:
            raise NotInvitable()
        moment = now or clock_now()
        _end_invitations(session, user, moment)
        token = invite(session, user, moment)
        events.publish(session, events.UserInvited(user_id=user.id, invitation_token=token))
        return user


def _end_invitations(session: Session, user: User, moment: datetime) -> None:
    for pending in session.scalars(
        select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ):
        pending.used_at = moment
