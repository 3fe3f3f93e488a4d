"""The headers that protect a reader, on every page of the URL map: a
Content-Security-Policy with no inline script and images only from Accord, a frame ban,
no content sniffing, a Referrer-Policy; behind HTTPS, Secure cookies and HSTS."""

from typing import Any

from app import create_app
from app.demo import SECRETARIAT_PASSWORD, fill
from app.security import CONTENT_SECURITY_POLICY
from decisions.db import db
from decisions.models import User

#: a value for each path argument of a page: the demo's first rows, or a token that
#: is no token (its page says so, with the same headers)
ARGUMENTS = {"token": "not-a-token", "filename": "accord.css"}


def pages(app: Any) -> list[str]:
    """Every GET address of the web pages (the API answers JSON, tested by its suite)."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        values = {name: ARGUMENTS.get(name, 1) for name in rule.arguments}
        found.append(app.url_for(rule.endpoint, **values) if values else rule.rule)
    return sorted(set(found))


def answer(web: Any, address: str) -> tuple[Any, str]:
    response = web.get(address)
    try:
        return response.headers, response.get_data(as_text=True)
    finally:
        response.close()


def test_every_page_carries_the_protective_headers(ctx, web) -> None:  # type: ignore[no-untyped-def]
    fill(db.session)
    secretariat = db.session.scalar(db.select(User).where(User.role == "secretariat"))
    with ctx.test_request_context():
        addresses = pages(ctx)
    assert len(addresses) > 30
    signed_out = [answer(web, address) for address in addresses]
    web.login(secretariat, SECRETARIAT_PASSWORD)
    signed_in = [answer(web, address) for address in addresses]
    html = 0
    for address, (headers, body) in zip(addresses * 2, signed_out + signed_in, strict=True):
        assert headers["X-Content-Type-Options"] == "nosniff", address
        assert headers["Referrer-Policy"] in ("same-origin", "no-referrer"), address
        if headers.get("Content-Type", "").startswith("text/html"):
            html += 1
            policy = headers["Content-Security-Policy"]
            assert policy == CONTENT_SECURITY_POLICY, address
            assert "frame-ancestors 'none'" in policy and "img-src 'self'" in policy
            assert "unsafe-inline" not in policy
            assert "<script" not in body, address
        assert "Strict-Transport-Security" not in headers  # plain HTTP here
    assert html > 40


def test_behind_https_cookies_are_secure_and_hsts_is_sent(database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "https test",
            "ACCORD_BASE_URL": "https://accord.partnership.example",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/login", base_url="https://accord.partnership.example")
    with app.app_context():
        db.engine.dispose()  # this app's own connections, before the database is dropped
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie, cookie  # the session cookie with the CSRF token
