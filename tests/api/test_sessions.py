"""The API keeps no session (app/sessions.py): its answers set no cookie and do not vary
by one, even for a browser that is signed in; a token is what signs an API request in.
The API's reference page is a page, and keeps the pages' session (its forms' CSRF)."""

from typing import Any

from tests.conftest import PASSWORD, WebClient

API = "/api/v1"


def _signed_in(web: WebClient, make: Any, *, remember: bool = False) -> Any:
    user = make.secretariat()
    answer = web.submit(
        "/login", {"email": user.email, "password": PASSWORD, "remember": "y" if remember else None}
    )
    assert answer.status_code == 302
    return user


def test_an_api_answer_sets_no_cookie_for_a_signed_in_browser(
    web: WebClient, make: Any, token_for: Any
) -> None:
    user = _signed_in(web, make)
    answer = web.client.get(
        f"{API}/partnership", headers={"Authorization": f"Bearer {token_for(user)}"}
    )
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert "Cookie" not in answer.headers.get("Vary", "")
    # The browser's session signs nobody in to the API.
    refused = web.client.get(f"{API}/partnership")
    assert refused.status_code == 401 and refused.is_json
    assert "Set-Cookie" not in refused.headers
    # and the browser is still signed in on the pages
    assert web.client.get("/account").status_code == 200


def test_a_remembered_browser_without_its_session_gets_the_apis_refusal(
    web: WebClient, make: Any
) -> None:
    """The remember-me cookie would sign the browser in again on a page (writing a new
    session); on the API it is no token either, and nothing is written."""
    _signed_in(web, make, remember=True)
    web.client.delete_cookie("session")
    refused = web.client.get(f"{API}/partnership")
    assert refused.status_code == 401 and refused.is_json
    assert "Set-Cookie" not in refused.headers
    assert web.client.get("/account").status_code == 200  # a page still remembers it


def test_the_api_reference_is_a_page_with_the_pages_session(web: WebClient) -> None:
    page = web.page(f"{API}/docs")
    assert page.find("input", attrs={"name": "csrf_token"}) is not None
    answer = web.client.get(f"{API}/docs")
    assert "session=" in answer.headers.get("Set-Cookie", "")
