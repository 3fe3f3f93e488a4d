"""Which language a page speaks (shared API.md, "Languages"): the signed-in user's choice,
else the one chosen with the page's language switch (a cookie), else the browser's
Accept-Language, else the partnership's. The catalogues are app/translations/."""

from typing import Any

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, refresh
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from decisions.db import db
from decisions.languages import LANGUAGES, direction
from decisions.models import Proposal, User
from decisions.proposal_texts import ProposalText, text_in
from decisions.settings import get_partnership
from decisions.tokens import Caller

#: the cookie that keeps a visitor's (or an applicant's) choice of language
COOKIE = "accord_language"
#: a year: a choice of language is not a secret, and is kept until changed
COOKIE_AGE = 365 * 24 * 3600
#: the name on ``flask.g`` of the user an API token speaks for (see ``speak_for``): the
#: API never looks at the session, so without it its answers would ignore the user's
#: language
TOKEN_USER = "token_user"
#: the name on ``flask.g`` of the mark that the database is out of reach for the rest of
#: the request (``without_database``)
NO_DATABASE = "no_database"


def init_app(app: Flask) -> None:
    app.before_request(_choose_afresh)


def _choose_afresh() -> None:
    # Flask-Babel keeps its choice on ``g``, which outlives a request wherever one app
    # context holds several (the test suite does): each request chooses afresh, and
    # forgets an earlier request's token and its mark of a database out of reach.
    g.pop(TOKEN_USER, None)
    g.pop(NO_DATABASE, None)
    refresh()


def speak_for(user: User | Caller) -> None:
    """The rest of the request speaks the language of ``user``, an API token's: known
    only once the token is checked, after a message may have been translated already."""
    setattr(g, TOKEN_USER, user)
    refresh()


def without_database() -> None:
    """The rest of the request chooses its language without the database (out of reach):
    an API token's user already known, else the cookie, the browser, the default; never
    the session's user, whose loading would wait for the database again."""
    setattr(g, NO_DATABASE, True)
    refresh()


def _reader() -> Any:
    """Whose chosen language comes first: the API token's user, else the session's; none
    once the database is out of reach (the session's would be loaded from it)."""
    user = g.get(TOKEN_USER)
    if user is not None or g.get(NO_DATABASE):
        return user
    return current_user


def select_locale() -> str:
    default = str(current_app.config.get("BABEL_DEFAULT_LOCALE") or "en")
    if not has_request_context():  # the CLI and the scheduler: each notice names its own
        return default
    reader = _reader()
    if reader is not None and reader.is_authenticated and reader.locale in LANGUAGES:
        return str(reader.locale)
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    asked = request.accept_languages.best_match(LANGUAGES)
    if asked:
        return str(asked)
    if g.get(NO_DATABASE):
        return default
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


def in_reader_language(proposal: Proposal) -> ProposalText:
    """The proposal's title and text in the page's language when it is translated into
    it, else the authoritative ones (a list of proposals names each as its page does)."""
    return text_in(proposal, str(get_locale() or "en"))
