"""Pages whose address or content holds a secret: a set-password link, an applicant's
withdrawal link, a new API token."""

from werkzeug.wrappers import Response


def private(body: str | Response, status: int = 200) -> Response:
    """No cache keeps the page, and no other site learns its address from a Referer
    header when a link on it is followed."""
    response = body if isinstance(body, Response) else Response(body, status=status)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
