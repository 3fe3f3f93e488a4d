"""Error pages, and domain errors that reach the web layer unhandled."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from decisions.db import db
from decisions.errors import DomainError


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        return render_template(
            "errors/error.html", title=_("Not possible"), message=error.message
        ), error.status

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        message = _(
            "The form expired or was sent from elsewhere. Go back, reload it and try again."
        )
        return render_template("errors/error.html", title=_("Form expired"), message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            return error
        return (
            render_template("errors/error.html", title=error.name, message=error.description),
            error.code or 500,
        )
