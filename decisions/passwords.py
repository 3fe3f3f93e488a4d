"""Signing in: passwords, and the session token every session and remember-me cookie carries."""

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from decisions.errors import InvalidInput
from decisions.models import User
from decisions.unit_of_work import unit_of_work

# Checked against when an e-mail is unknown, so a failed login takes as long either way.
_DUMMY_HASH = generate_password_hash("not a password")


def password_hash(value: str) -> str:
    """What is stored of a new password, once its length is checked."""
    if len(value) < 8 or len(value) > 200:
        raise InvalidInput(_l("A password of 8 to 200 characters."), field="password")
    return generate_password_hash(value)


def set_password(session: Session, user: User, password: str) -> None:
    with unit_of_work(session):
        user.password_hash = password_hash(password)
        renew_session_token(user)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user, or None; says nothing about whether the e-mail exists."""
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def end_sessions(session: Session, user: User) -> None:
    """Sign the user out everywhere: every session and remember-me cookie stops working."""
    with unit_of_work(session):
        renew_session_token(user)


def renew_session_token(user: User) -> None:
    """A new session token ends every session and remember-me cookie of the user."""
    user.session_token = secrets.token_urlsafe(32)


def user_by_session_token(session: Session, token: str) -> User | None:
    return session.scalar(select(User).where(User.session_token == token, User.active.is_(True)))
