"""The pages' session, a signed cookie as Flask keeps it, and none for the API.

The API authenticates each request by its token and never looks at a session cookie
(app/api/operations.py). Reading the cookie, building its signer and writing it back is
then work for nothing on every API request, the busiest of which (a position's PUT) has
little else to do: an API request gets an empty session of its own, never read from a
cookie nor sent back in one. The API's reference page is a page, with its forms: it
keeps the cookie.
"""

from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

#: the API's addresses, and the one among them read by people in a browser
API = "/api/"
API_PAGES = frozenset({"/api/v1/docs"})


class RequestSession(SecureCookieSession):
    """An API request's session: empty, and forgotten when the request ends."""


class PageSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(API) and request.path not in API_PAGES:
            return RequestSession()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if isinstance(session, RequestSession):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = PageSessions()
