"""A person's own API tokens, through the real HTML forms: created and shown once,
stored only as a hash, revoked by their owner alone."""

import pytest
from sqlalchemy import select

from decisions import tokens
from decisions.credential_models import ApiToken
from decisions.db import db
from decisions.models import NAME_MAX, Role
from tests.conftest import WebClient, soup_of

PAGE = "/account/tokens"


def _create(web: WebClient, label: str = "monthly report script") -> tuple[str, str]:
    """Create a token through the page: the token the response shows, and its HTML."""
    response = web.submit(PAGE, {"label": label})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/html"  # a browser shows the page, not its source
    shown = soup_of(response).select_one("#new-token")
    assert shown is not None
    return shown.get_text(strip=True), response.get_data(as_text=True)


def _tokens() -> list[ApiToken]:
    db.session.expire_all()
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id)))


@pytest.mark.parametrize("role", list(Role))
def test_each_role_creates_a_token_shown_once(login, make, role):  # type: ignore[no-untyped-def]
    user = make.user(role)
    web = login(user)
    token, html = _create(web)

    assert html.count(token) == 1
    assert "it will not be shown again" in html
    assert 'Authorization: Bearer TOKEN" http://localhost/api/v1/me' in html
    (row,) = _tokens()
    assert row.user_id == user.id and row.label == "monthly report script"
    assert row.token_hash != token and token not in row.token_hash
    assert tokens.user_for_token(db.session, token).id == user.id

    listing = web.get(PAGE)
    assert listing.status_code == 200
    assert token not in listing.get_data(as_text=True)
    assert soup_of(listing).select_one("#new-token") is None
    row_text = soup_of(listing).select_one(f"#token-{row.id}").get_text(" ", strip=True)
    assert "monthly report script" in row_text and "active" in row_text
    # Nor is it kept anywhere the browser would send it back or show it again.
    assert token not in web.get("/account").get_data(as_text=True)
    assert token not in web.get("/").get_data(as_text=True)


def test_the_account_page_leads_to_the_tokens(login, make):  # type: ignore[no-untyped-def]
    page = login(make.user("observer")).page("/account")
    assert page.find("a", attrs={"href": PAGE})


def test_the_tokens_page_is_labelled_and_its_table_has_headers(login, make):  # type: ignore[no-untyped-def]
    web = login(make.secretariat())
    _create(web, label="")
    page = web.page(PAGE)
    for field in page.select("input:not([type=hidden])"):
        assert page.find("label", attrs={"for": field["id"]}), field
    table = page.select_one("table.stack")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[:3] == ["Label", "Created", "Status"]
    assert table.select_one("tbody th[scope=row]").get_text(strip=True) == "(no label)"
    assert all(td.get("data-label") for td in table.select("tbody td:not(.actions)"))
    assert "(UTC, UTC+00:00)" in table.select_one("tbody time").get_text()


def test_revoking_a_token_closes_the_api_to_it(login, make):  # type: ignore[no-untyped-def]
    user = make.representative(make.partner())
    web = login(user)
    token, _html = _create(web)
    (row,) = _tokens()
    confirm_url = f"{PAGE}/{row.id}/revoke"
    # The list's button only leads to a page that asks once more.
    assert web.page(PAGE).select_one(f"#token-{row.id} a.button")["href"] == confirm_url
    confirm = web.get(confirm_url)
    assert confirm.status_code == 200 and confirm.headers["Cache-Control"] == "no-store"
    page = soup_of(confirm)
    assert page.find("h1").get_text(strip=True) == "Revoke the token “monthly report script”?"
    assert "Scripts using it stop working at once" in page.get_text()
    assert page.find("a", string="Cancel: keep the token")["href"] == PAGE
    assert _tokens()[0].revoked_at is None  # asking changes nothing
    assert tokens.user_for_token(db.session, token).id == user.id

    response = web.submit(confirm_url, {})
    assert response.status_code == 302
    assert response.headers["Location"] == PAGE
    (row,) = _tokens()
    assert row.revoked_at is not None
    assert tokens.user_for_token(db.session, token) is None
    page = web.page(PAGE)
    row_text = page.select_one(f"#token-{row.id}").get_text(" ", strip=True)
    assert "revoked" in row_text
    assert page.find("a", attrs={"href": confirm_url}) is None
    # The confirmation of a revoked token leads back to the list.
    again = web.get(confirm_url)
    assert again.status_code == 302 and again.headers["Location"] == PAGE


def test_another_persons_token_cannot_be_revoked(login, make):  # type: ignore[no-untyped-def]
    owner, other = make.secretariat(), make.user("observer")
    theirs, token = tokens.create_token(db.session, owner, "theirs")
    web = login(other)
    _create(web)  # so that the page has a revoke form whose CSRF token we can take

    for token_id in (theirs.id, 999_999):
        asked = web.get(f"{PAGE}/{token_id}/revoke")
        response = web.submit(f"{PAGE}/{token_id}/revoke", {}, form_url=PAGE)
        for answer in (asked, response):
            assert answer.status_code == 404
            assert "No such token." in answer.get_data(as_text=True)
            assert "theirs" not in answer.get_data(as_text=True)
    assert all(row.revoked_at is None for row in _tokens())
    assert tokens.user_for_token(db.session, token).id == owner.id
    assert "theirs" not in web.get(PAGE).get_data(as_text=True)


def test_an_over_long_label_changes_nothing(login, make):  # type: ignore[no-untyped-def]
    web = login(make.secretariat())
    response = web.submit(PAGE, {"label": "x" * (NAME_MAX + 1)})
    assert response.status_code == 422
    page = soup_of(response)
    assert page.select_one("#label-error")
    assert page.select_one("#new-token") is None
    assert _tokens() == []


def test_posts_without_csrf_token_change_nothing(login, make):  # type: ignore[no-untyped-def]
    user = make.user("partner")
    web = login(user)
    _token, _html = _create(web)
    (row,) = _tokens()

    created = web.client.post(PAGE, data={"label": "forged"})
    revoked = web.client.post(f"{PAGE}/{row.id}/revoke", data={})
    for response in (created, revoked):
        assert response.status_code == 400
        assert "Form expired" in response.get_data(as_text=True)
    (row,) = _tokens()
    assert row.revoked_at is None


def test_junk_addresses_are_not_found(login, make):  # type: ignore[no-untyped-def]
    web = login(make.secretariat())
    _create(web)
    for token_id in ("-1", "abc", "99999999999999999999999"):
        response = web.submit(f"{PAGE}/{token_id}/revoke", {}, form_url=PAGE)
        assert response.status_code == 404
        assert web.get(f"{PAGE}/{token_id}/revoke").status_code == 404
    assert all(row.revoked_at is None for row in _tokens())


def test_an_anonymous_visitor_is_sent_to_sign_in(web, make):  # type: ignore[no-untyped-def]
    owner = make.secretariat()
    row, _token = tokens.create_token(db.session, owner, "theirs")
    # The posts carry a valid CSRF token (from the sign-in page): only the sign-in is missing.
    for response in (
        web.get(PAGE),
        web.get(f"{PAGE}/{row.id}/revoke"),
        web.submit(PAGE, {"label": "x"}, form_url="/login"),
        web.submit(f"{PAGE}/{row.id}/revoke", {}, form_url="/login"),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    assert [(r.label, r.revoked_at) for r in _tokens()] == [("theirs", None)]
