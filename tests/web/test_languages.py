"""The language a page speaks: the signed-in user's choice, else the language switch's
(a cookie), else the browser's Accept-Language, else the partnership's; every page says
it with ``<html lang dir>``, Arabic right to left; the navigation is fully translated."""

import pytest
from bs4 import BeautifulSoup

from decisions import settings, users
from decisions.db import db
from decisions.languages import LANGUAGES
from tests.conftest import soup_of

#: the signed-in navigation's words in English: none may be left in another language
ENGLISH_NAVIGATION = {"Home", "Proposals", "Decision log", "Directory", "Inbox", "Sign out"}


def html_of(page: BeautifulSoup) -> tuple[str, str]:
    tag = page.find("html")
    return tag["lang"], tag["dir"]


def navigation_words(page: BeautifulSoup) -> set[str]:
    nav = page.find("nav")
    words = {a.get_text(" ", strip=True) for a in nav.find_all("a")}
    return words | {b.get_text(strip=True) for b in page.select("header button")}


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_a_signed_in_users_language_is_every_pages(code, make, session, login) -> None:  # type: ignore[no-untyped-def]
    person = make.secretariat()
    users.update_user(session, None, person.id, locale=code)
    client = login(person)
    for url in ("/", "/proposals", "/decisions", "/account"):
        page = client.page(url)
        assert html_of(page) == (code, "rtl" if code == "ar" else "ltr")
    words = navigation_words(client.page("/"))
    if code == "en":
        assert ENGLISH_NAVIGATION <= words
    else:
        assert not (ENGLISH_NAVIGATION & words), f"{code}: English left in {words}"


def test_a_visitors_choice_is_kept_in_a_cookie(web) -> None:  # type: ignore[no-untyped-def]
    assert html_of(web.page("/login")) == ("en", "ltr")
    response = web.submit("/language", {"language": "ar", "next": "/apply"}, form_url="/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/apply")
    assert "accord_language=ar" in response.headers["Set-Cookie"]
    page = web.page("/login")
    assert html_of(page) == ("ar", "rtl")
    assert page.find("option", selected=True)["value"] == "ar"


def test_the_switch_goes_back_only_to_this_site(web) -> None:  # type: ignore[no-untyped-def]
    for elsewhere in ("//evil.example/x", "/\\evil.example", "https://evil.example/"):
        response = web.submit("/language", {"language": "fr", "next": elsewhere}, "/login")
        assert response.status_code == 302
        assert "evil" not in response.headers["Location"]


def test_an_unknown_language_changes_nothing(web) -> None:  # type: ignore[no-untyped-def]
    response = web.submit("/language", {"language": "xx", "next": "/login"}, form_url="/login")
    assert response.status_code == 302
    assert not any("accord_language" in c for c in response.headers.getlist("Set-Cookie"))
    assert html_of(web.page("/login")) == ("en", "ltr")


def test_a_signed_in_users_choice_is_kept_on_the_account(make, session, login) -> None:  # type: ignore[no-untyped-def]
    person = make.representative(make.partner("Banyan Trust"))
    client = login(person)
    client.submit("/language", {"language": "id", "next": "/"}, form_url="/")
    db.session.refresh(person)
    assert person.locale == "id"
    assert html_of(client.page("/"))[0] == "id"


def test_the_order_user_cookie_browser_partnership(make, session, web, login) -> None:  # type: ignore[no-untyped-def]
    settings.update_settings(session, None, language="id")
    assert html_of(web.page("/login"))[0] == "id"  # nothing else asks: the partnership's
    asked = web.get("/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert html_of(soup_of(asked))[0] == "es"  # the browser's beats the partnership's
    web.submit("/language", {"language": "fr", "next": "/login"}, form_url="/login")
    asked = web.get("/login", headers={"Accept-Language": "es"})
    assert html_of(soup_of(asked))[0] == "fr"  # the switch beats the browser
    person = make.secretariat()
    users.update_user(session, None, person.id, locale="ar")
    client = login(person)
    client.client.set_cookie("accord_language", "fr")
    assert html_of(client.page("/"))[0] == "ar"  # the user's choice beats the cookie


def test_the_login_page_reads_in_arabic(web) -> None:  # type: ignore[no-untyped-def]
    page = soup_of(web.get("/login", headers={"Accept-Language": "ar"}))
    assert html_of(page) == ("ar", "rtl")
    button = page.select_one("main form button[type=submit]").get_text(strip=True)
    assert button and button != "Sign in"


def test_the_account_page_chooses_the_language(make, session, login) -> None:  # type: ignore[no-untyped-def]
    person = make.secretariat()
    client = login(person)
    assert client.page("/account").select_one("select#locale option[selected]")["value"] == "en"
    response = client.submit("/account", {"name": person.name, "time_zone": "", "locale": "es"})
    assert response.status_code == 302
    page = client.page("/account")
    assert html_of(page)[0] == "es"
    assert page.select_one("select#locale option[selected]")["value"] == "es"
    refused = client.submit("/account", {"name": person.name, "time_zone": "", "locale": "xx"})
    assert refused.status_code == 422
    db.session.refresh(person)
    assert person.locale == "es"
