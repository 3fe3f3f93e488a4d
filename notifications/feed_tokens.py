"""The secret addresses of a user's feeds (the calendar, the decision log): feed readers
and calendar programs cannot sign in, so a token in the address is the key. Each feed has
its own column on the user, so that one address is renewed or revoked without the other."""

from __future__ import annotations

import secrets
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from decisions.models import User

#: the user's column that holds each feed's token
Feed = Literal["calendar_token", "log_feed_token"]

#: the longest token looked up (issued ones are 43 characters)
TOKEN_MAX = 64


def issue(session: Session, user: User, feed: Feed) -> str:
    """A new secret for the user's feed; the old address stops working."""
    token = secrets.token_urlsafe(32)
    setattr(user, feed, token)
    session.commit()
    return token


def revoke(session: Session, user: User, feed: Feed) -> None:
    setattr(user, feed, None)
    session.commit()


def user_for(session: Session, feed: Feed, token: str) -> User | None:
    """The active user whose feed has this address, else None."""
    if not token or len(token) > TOKEN_MAX:
        return None
    user = session.scalar(select(User).where(getattr(User, feed) == token))
    return user if user is not None and user.active else None
