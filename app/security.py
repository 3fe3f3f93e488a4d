"""What every answer tells the browser to protect its reader: no script but Accord's own
files, no image from elsewhere, no framing by another site, no guessing of content types;
behind HTTPS, cookies only over HTTPS and HSTS."""

from flask import Flask
from werkzeug.wrappers import Response

#: 'self' only: no inline script or style, no image that could tell a third party who
#: reads a proposal; no plugin, no <base> rewriting links, forms post only to Accord
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"


def over_https(app: Flask) -> bool:
    return str(app.config.get("ACCORD_BASE_URL") or "").lower().startswith("https://")


def register(app: Flask) -> None:
    if over_https(app):
        # Set here rather than left to instance/config.py: a cookie sent over plain HTTP
        # behind an HTTPS address is a session anyone on the way can take.
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    strict_transport = over_https(app)

    @app.after_request
    def protect(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # A page with a secret in its address sets no-referrer itself; keep it.
        headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            headers.setdefault("X-Frame-Options", "DENY")  # browsers before CSP level 2
        if strict_transport:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
