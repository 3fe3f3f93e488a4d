"""API tokens, and how every secret token (API, invitation, withdraw link) is stored."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from decisions import validation
from decisions.clock import now as clock_now
from decisions.credential_models import ApiToken
from decisions.errors import NotFound
from decisions.lookup import get_row
from decisions.models import NAME_MAX, Role, User
from decisions.unit_of_work import unit_of_work


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


_USERS = cast(Table, User.__table__)
_TOKENS = cast(Table, ApiToken.__table__)
#: an unrevoked token of the digest given, of an active user (the tables' own columns:
#: nothing of the ORM in the Core statement below)
_LIVE_TOKEN = (
    _TOKENS.c.token_hash == bindparam("digest"),
    _TOKENS.c.revoked_at.is_(None),
    _USERS.c.active.is_(True),
)
#: built once: every API request runs it, and building it cost more than running it
_USER_OF_TOKEN = select(User).join(ApiToken, ApiToken.user_id == User.id).where(*_LIVE_TOKEN)


def user_for_token(session: Session, token: str) -> User | None:
    """The active user an unrevoked API token speaks for, else None: one statement."""
    return session.scalar(_USER_OF_TOKEN, {"digest": token_digest(token)})


@dataclass(frozen=True, slots=True)
class Caller:
    """An API token's active user as the busiest operations need it (a position's
    registration): who, in which role, for which partner, in which language. Read by
    ``caller_for_token`` in one Core statement of four columns, where a ``User`` is an
    ORM load of the user with its partner and the partner's category."""

    id: int
    role: Role
    partner_id: int | None
    #: the interface language the user chose; None: not chosen
    locale: str | None
    #: what app.i18n asks of whoever a page speaks to, as of Flask-Login's users
    is_authenticated: ClassVar[bool] = True


#: Core on the tables: no ORM entity to compile, load or keep in the session's identity map
_CALLER_OF_TOKEN = (
    select(_USERS.c.id, _USERS.c.role, _USERS.c.partner_id, _USERS.c.locale)
    .join_from(_USERS, _TOKENS, _TOKENS.c.user_id == _USERS.c.id)
    .where(*_LIVE_TOKEN)
)


def caller_for_token(session: Session, token: str) -> Caller | None:
    """The active user an unrevoked API token speaks for, as a ``Caller``, else None:
    the same question as ``user_for_token``, one statement, in the session's transaction."""
    found = session.connection().execute(_CALLER_OF_TOKEN, {"digest": token_digest(token)})
    row = found.first()
    return None if row is None else Caller(*row)


def tokens_of(session: Session, user: User) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).all()
