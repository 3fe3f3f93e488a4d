"""Error pages, and domain errors that reach the web layer unhandled."""

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from app.api import errors as api_errors
from app.domain_errors import status_of
from decisions.db import db
from decisions.errors import DomainError

#: what a person is told, in their language, for the HTTP errors they can meet
TITLES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("Your role does not allow this.")),
    404: (_l("Not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This address does not take this kind of request.")),
    413: (_l("Too large"), _l("What was sent is too large.")),
    500: (_l("Something went wrong"), _l("Nothing was changed. Please try again.")),
}


def register(app: Flask) -> None:
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
    return render_template("errors/error.html", title=title, message=message), status
