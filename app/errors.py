"""Error pages, and domain errors that reach the web layer unhandled."""

import logging

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, ServiceUnavailable

from app import i18n
from app.api import errors as api_errors
from app.domain_errors import status_of
from decisions.db import db
from decisions.errors import DomainError
from decisions.languages import direction

#: what a person is told, in their language, for the HTTP errors they can meet
TITLES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("Your role does not allow this.")),
    404: (_l("Not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This address does not take this kind of request.")),
    413: (_l("Too large"), _l("What was sent is too large.")),
    500: (_l("Something went wrong"), _l("Nothing was changed. Please try again.")),
    503: (
        _l("Unavailable for a moment"),
        _l("Accord cannot reach its database just now. Please try again in a few seconds."),
    ),
}
#: seconds a client is asked to wait (Retry-After) when the database is out of reach
RETRY_AFTER = 5


#: the database out of reach: PostgreSQL down or its connection lost, SQLite's file locked
#: past its wait (OperationalError), or every connection of this process's pool in use
#: longer than its pool_timeout (TimeoutError)
OUT_OF_REACH = (exc.OperationalError, exc.TimeoutError)


def register(app: Flask) -> None:
    # A 503 the client may retry, not a 500, and an answer that reads nothing more from
    # the database.
    def database_unavailable(error: exc.SQLAlchemyError):  # type: ignore[no-untyped-def]
        _without_database(error)
        unavailable = ServiceUnavailable(retry_after=RETRY_AFTER)
        if request.path.startswith("/api/"):
            return api_errors.from_http(unavailable)
        title, message = TITLES[503]
        return _page_without_database(str(title), str(message)), 503, unavailable.get_headers()

    for out_of_reach in OUT_OF_REACH:
        app.register_error_handler(out_of_reach, database_unavailable)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):  # type: ignore[no-untyped-def]
        return _page(_("Not possible"), error.message, status_of(error))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        message = _(
            "The form expired or was sent from elsewhere. Go back, reload it and try again."
        )
        return _page(_("Form expired"), message, 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        # The page itself reads the database (the partnership's name): a failed
        # transaction must be undone first, or the error page fails too.
        db.session.rollback()
        if isinstance(error, MethodNotAllowed) and _names_nothing(error):
            error = NotFound()
        if request.path.startswith("/api/"):
            return api_errors.from_http(error)
        code = error.code or 500
        title, message = TITLES.get(code, (error.name, error.description))
        return _page(str(title), str(message), code)


def _names_nothing(error: MethodNotAllowed) -> bool:
    """Whether the address names nothing under any method either. Werkzeug answers 405
    when another method's route has the same shape, even if that route would refuse the
    values too (an id too large to be stored): then the honest answer is 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in sorted(error.valid_methods or ()):
        try:
            adapter.match(method=method)
        except HTTPException:
            continue
        return False
    return True


def _page(title: str, message: str, status: int):  # type: ignore[no-untyped-def]
    try:
        return render_template("errors/error.html", title=title, message=message), status
    except OUT_OF_REACH as error:
        # An error met while the database is out of reach (a 404, an expired form): its
        # own status and words, on the page that reads nothing from the database.
        _without_database(error)
        return _page_without_database(title, message), status


def _without_database(error: exc.SQLAlchemyError) -> None:
    """The rest of the request reads nothing from the database; the host's log says why
    in one line, without the statement or its values (they can hold a token's digest)."""
    reason = error.orig if isinstance(error, exc.DBAPIError) else error
    logging.getLogger(__name__).warning("Database unavailable: %s", reason)
    i18n.without_database()


def _page_without_database(title: str, message: str) -> str:
    """An error page rendered without the context processors, which read the database
    (the partnership's name, the signed-in user, the inbox): it names none of them."""
    language = i18n.request_language()
    template = current_app.jinja_env.get_template("errors/unavailable.html")
    return template.render(
        title=title, message=message, language=language, direction=direction(language)
    )
