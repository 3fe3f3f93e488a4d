"""A proposal in several languages (API.md, "Languages"): ``language`` names the
authoritative text, ``translations`` the others; translations change only as the text
does, between rounds; the decision log records the authoritative text."""

from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import NOW, Api, World, iso

FRENCH = {"title": "Bouées d’amarrage partagées", "body": "Dix bouées dans la baie."}
ARABIC = {"title": "عوامات رسو مشتركة", "body": "عشر عوامات في الخليج."}


def _error(answer: Any, status: int, code: str, field: str | None = None) -> None:
    assert answer.status_code == status, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == code and error.get("field") == field, error


def _proposal(api: Api, world: World, proposal_id: int) -> dict[str, Any]:
    return api.get(f"/proposals/{proposal_id}", token=world.token("observer")).get_json()


def test_a_proposal_is_submitted_with_its_language_and_translations(api: Api, world: World) -> None:
    body = {
        "title": "Shared mooring buoys",
        "body": "Ten buoys in the bay.",
        "language": "en",
        "translations": {"fr": FRENCH, "ar": ARABIC},
    }
    answer = api.post("/proposals", token=world.token("partner"), json=body)
    assert answer.status_code == 201, answer.get_json()
    created = answer.get_json()
    assert created["language"] == "en"
    assert created["translations"] == {"fr": FRENCH, "ar": ARABIC}
    assert _proposal(api, world, created["id"]) == created


def test_the_language_defaults_to_the_partnerships(api: Api, world: World) -> None:
    token = world.token("secretariat")
    api.patch("/partnership", token=token, json={"language": "id"})
    answer = api.post("/proposals", token=token, json={"title": "Pelampung", "body": "Sepuluh."})
    assert answer.status_code == 201
    assert (answer.get_json()["language"], answer.get_json()["translations"]) == ("id", {})


@pytest.mark.parametrize(
    ("extra", "code", "field"),
    [
        ({"language": "xx"}, "invalid", "language"),
        ({"translations": {"xx": FRENCH}}, "invalid", "translations"),
        ({"translations": {"en": FRENCH}}, "invalid", "translations.en"),
        ({"translations": {"fr": {"title": "Sans texte"}}}, "missing", "translations"),
        ({"translations": {"fr": [1]}}, "invalid", "translations"),
        (
            {"translations": {"fr": {**FRENCH, "title": "Deux\nlignes"}}},
            "invalid",
            "translations.fr.title",
        ),
        ({"translations": {"fr": {**FRENCH, "body": "   "}}}, "invalid", "translations.fr.body"),
    ],
)
def test_a_bad_language_or_translation_is_refused_and_nothing_is_drafted(
    api: Api, world: World, extra: dict[str, Any], code: str, field: str
) -> None:
    token = world.token("secretariat")
    before = api.get("/proposals", token=token).get_json()["total"]
    body = {"title": "Shared mooring buoys", "body": "Ten buoys.", "language": "en", **extra}
    _error(api.post("/proposals", token=token, json=body), 422, code, field)
    assert api.get("/proposals", token=token).get_json()["total"] == before


def test_translations_are_added_replaced_and_removed_between_rounds(api: Api, world: World) -> None:
    token = world.token("secretariat")
    path = f"/proposals/{world.draft}"
    added = api.patch(path, token=token, json={"translations": {"fr": FRENCH, "ar": ARABIC}})
    assert added.status_code == 200 and added.get_json()["translations"] == {
        "fr": FRENCH,
        "ar": ARABIC,
    }
    revised = {"title": FRENCH["title"], "body": "Douze bouées."}
    replaced = api.patch(path, token=token, json={"translations": {"fr": revised}})
    assert replaced.get_json()["translations"] == {"fr": revised, "ar": ARABIC}
    removed = api.patch(path, token=token, json={"translations": {"ar": None}})
    assert removed.get_json()["translations"] == {"fr": revised}
    # The authoritative text is untouched by all this.
    assert removed.get_json()["title"] == _proposal(api, world, world.draft)["title"]


def test_the_authoritative_language_cannot_also_be_a_translation(api: Api, world: World) -> None:
    token = world.token("secretariat")
    path = f"/proposals/{world.draft}"
    api.patch(path, token=token, json={"translations": {"fr": FRENCH}})
    _error(api.patch(path, token=token, json={"language": "fr"}), 422, "invalid", "translations.fr")
    # Said the other way round, in one change, it is a change of original.
    answer = api.patch(
        path,
        token=token,
        json={**FRENCH, "language": "fr", "translations": {"fr": None}},
    )
    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["language"], answer.get_json()["translations"]) == ("fr", {})


@pytest.mark.parametrize("state", ["voting", "adopted", "withdrawn"])
def test_translations_are_refused_while_a_round_is_open_or_once_settled(
    api: Api, world: World, state: str
) -> None:
    proposal_id = world.ids[state]
    before = _proposal(api, world, proposal_id)
    answer = api.patch(
        f"/proposals/{proposal_id}",
        token=world.token("secretariat"),
        json={"translations": {"fr": FRENCH}},
    )
    _error(answer, 409, "proposal_locked")
    assert _proposal(api, world, proposal_id) == before


def test_the_log_records_the_authoritative_text(api: Api, world: World) -> None:
    token = world.token("secretariat")
    path = f"/proposals/{world.draft}"
    api.patch(path, token=token, json={"translations": {"fr": FRENCH}})
    authoritative = _proposal(api, world, world.draft)
    opened = api.post(
        f"{path}/rounds", token=token, json={"deadline": iso(NOW + timedelta(days=3))}
    ).get_json()
    for partner in (world.alpha, world.beta):
        api.put(
            f"/rounds/{opened['id']}/positions/{partner}",
            token=token,
            json={"stance": "consent", "note": "by telephone"},
        )
    closed = api.post(f"/rounds/{opened['id']}/close", token=token).get_json()
    entry = api.get(f"/decisions/{closed['decision_id']}", token=token).get_json()
    assert (entry["title"], entry["text"]) == (authoritative["title"], authoritative["body"])
