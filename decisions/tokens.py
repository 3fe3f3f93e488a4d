"""API tokens, and how every secret token (API, invitation, withdraw link) is stored."""

import hashlib
import secrets
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from decisions import validation
from decisions.clock import now as clock_now
from decisions.credential_models import ApiToken
from decisions.errors import NotFound
from decisions.lookup import get_row
from decisions.models import NAME_MAX, User
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


#: built once: every API request runs it, and building it cost more than running it
_USER_OF_TOKEN = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked_at.is_(None),
        User.active.is_(True),
    )
)


def user_for_token(session: Session, token: str) -> User | None:
    """The active user an unrevoked API token speaks for, else None: one statement."""
    return session.scalar(_USER_OF_TOKEN, {"digest": token_digest(token)})


def tokens_of(session: Session, user: User) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).all()
