"""Pages whose address or content holds a secret: a set-password link, an applicant's
withdrawal link, a new API token."""

from flask import Response
from werkzeug.wrappers import Response as BaseResponse


def private(body: str | BaseResponse, status: int = 200) -> BaseResponse:
    """No cache keeps the page, and no other site learns its address from a Referer
    header when a link on it is followed."""
    # Flask's Response for a page, not Werkzeug's: Werkzeug's default type is text/plain,
    # and a browser would show the page's source instead of the page.
    response = body if isinstance(body, BaseResponse) else Response(body, status=status)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
