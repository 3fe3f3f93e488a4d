"""The API's errors speak the token's user's language (shared API.md, "Languages"; issue
14): the user's locale, else the language switch's cookie, else Accept-Language, else the
partnership's. The ``code`` stays English whatever the language."""

from typing import Any

from app.i18n import COOKIE
from decisions import settings, users
from decisions.models import Role
from tests.api.conftest import Api, api_user

BAD_ZONE = {"time_zone": "Mars/Olympus"}


def refused(api: Api, token: str, **kwargs: Any) -> dict[str, str]:
    answer = api.patch("/me", token=token, json=BAD_ZONE, **kwargs)
    assert answer.status_code == 422
    return answer.get_json()["error"]


def test_a_user_with_a_locale_reads_the_error_in_it_whatever_the_client_asks(  # type: ignore[no-untyped-def]
    api, session, token_for
):
    user = api_user(session, Role.OBSERVER)
    users.update_user(session, None, user.id, locale="fr")
    token = token_for(user)
    error = refused(api, token, headers={"Accept-Language": "en"})
    assert error == {
        "code": "invalid",
        "message": "Un fuseau horaire IANA, p. ex. Asia/Manila.",
        "field": "time_zone",
    }
    # The same error, to another user with no language of their own: as the client asks.
    other = token_for(api_user(session, Role.OBSERVER))
    english = refused(api, other, headers={"Accept-Language": "en"})
    assert english["message"] == "An IANA time zone such as Asia/Manila."
    assert english["code"] == error["code"] == "invalid"


def test_a_user_without_a_locale_reads_the_error_as_the_client_asks(api, session, token_for):  # type: ignore[no-untyped-def]
    settings.update_settings(session, None, language="id")  # asked for, so not this one
    token = token_for(api_user(session, Role.OBSERVER))
    error = refused(api, token, headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert error == {
        "code": "invalid",
        "message": "Una zona horaria IANA, como Asia/Manila.",
        "field": "time_zone",
    }


def test_the_users_locale_comes_before_the_language_switchs_cookie(api, session, token_for):  # type: ignore[no-untyped-def]
    user = api_user(session, Role.OBSERVER)
    users.update_user(session, None, user.id, locale="ar")
    api.client.set_cookie(COOKIE, "fr")
    error = refused(api, token_for(user), headers={"Accept-Language": "es"})
    assert error["message"] == "منطقة زمنية وفق IANA، مثل Asia/Manila."
    # Without a locale of its own, the cookie comes before Accept-Language.
    other = token_for(api_user(session, Role.OBSERVER))
    assert refused(api, other, headers={"Accept-Language": "es"})["message"] == (
        "Un fuseau horaire IANA, p. ex. Asia/Manila."
    )


def test_a_role_refused_is_told_so_in_the_users_language(api, session, token_for):  # type: ignore[no-untyped-def]
    user = api_user(session, Role.OBSERVER)
    users.update_user(session, None, user.id, locale="fr")
    answer = api.post(
        "/proposals",
        token=token_for(user),
        json={"title": "Tide gauges", "body": "Buy four."},
        headers={"Accept-Language": "en"},
    )
    assert answer.status_code == 403
    assert answer.get_json()["error"] == {
        "code": "forbidden",
        "message": "Votre rôle ne permet pas cette action.",
    }


def test_without_a_token_the_error_follows_the_client(api):  # type: ignore[no-untyped-def]
    answer = api.get("/me", headers={"Accept-Language": "fr"})
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"
    assert "Bearer" in answer.get_json()["error"]["message"]
    assert not answer.get_json()["error"]["message"].startswith("Send a valid")


def test_a_refused_position_speaks_the_users_locale(api, world, session):  # type: ignore[no-untyped-def]
    # The registration reads its token's user apart (tokens.caller_for_token): its locale
    # comes along, before what the client asks.
    users.update_user(session, None, world.alpha_rep.id, locale="fr")
    answer = api.put(
        f"/rounds/{world.voting_round}/positions/{world.alpha}",
        token=world.token("partner"),
        json={"stance": "object"},
        headers={"Accept-Language": "en"},
    )
    assert answer.status_code == 422
    assert answer.get_json()["error"] == {
        "code": "reason_required",
        "message": "Une objection exige un motif.",
        "field": "reason",
    }
