"""Which language a page speaks (shared API.md, "Languages"): the signed-in user's choice,
else the one chosen with the page's language switch (a cookie), else the browser's
Accept-Language, else the partnership's. The catalogues are app/translations/."""

from typing import Any

from babel import Locale
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from decisions.db import db
from decisions.languages import LANGUAGES, direction
from decisions.settings import get_partnership

#: the cookie that keeps a visitor's (or an applicant's) choice of language
COOKIE = "accord_language"
#: a year: a choice of language is not a secret, and is kept until changed
COOKIE_AGE = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    # Flask-Babel keeps its choice on ``g``, which outlives a request wherever one app
    # context holds several (the test suite does): each request chooses afresh.
    app.before_request(refresh)


def select_locale() -> str:
    default = str(current_app.config.get("BABEL_DEFAULT_LOCALE") or "en")
    if not has_request_context():  # the CLI and the scheduler: each notice names its own
        return default
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    asked = request.accept_languages.best_match(LANGUAGES)
    if asked:
        return str(asked)
    try:
        return get_partnership(db.session).language or default
    except (SQLAlchemyError, LookupError):
        # The error page of a failed transaction asks too: it speaks the default.
        return default


def request_language() -> str:
    """The language this request is answered in (chosen by ``select_locale``)."""
    return str(get_locale() or "en")


def page_language() -> dict[str, Any]:
    """For base.html: ``<html lang dir>`` and the language switch."""
    code = request_language()
    return {"page_language": code, "page_direction": direction(code), "languages": LANGUAGES}


def language_name(code: str) -> str:
    """A language's name in the reader's language ("anglais" on a French page), for a
    sentence that names it; the switch names each in its own words instead."""
    return str(Locale.parse(code).get_display_name(str(get_locale() or "en")) or code)
