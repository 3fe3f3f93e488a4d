"""GET /healthz, for a load balancer: 200 while this process can reach the database, 503
while it cannot, so that traffic goes to the hosts that can serve it.

It reads nothing of the session or the signed-in user, so it sets no cookie and needs no
sign-in; it is no limited action, so no rate limit counts it; and it says nothing of why
the database failed (the error goes to this process's log, never to the caller).
"""

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from decisions.db import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        # One line, no stack: a load balancer asks every few seconds through an outage.
        logging.getLogger(__name__).warning("Health check: database unreachable: %s", error)
        return _answer("unavailable", 503)
    return _answer("ok", 200)


def _answer(status: str, code: int) -> tuple[Response, int]:
    response = jsonify(status=status)
    # A cached "ok" would hide an outage from whoever asks next.
    response.headers["Cache-Control"] = "no-store"
    return response, code
