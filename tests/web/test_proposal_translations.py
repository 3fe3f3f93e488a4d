"""A proposal's translations in the browser: the reader is shown the text in their
language when there is a translation, always with a note naming the authoritative text
and a link to it; whoever may amend adds, corrects and removes translations between
rounds only."""

from decisions import proposals, users
from decisions.db import db
from tests.conftest import T0, soup_of

FRENCH = {"title": "Bouées d’amarrage partagées", "body": "Dix bouées dans la baie."}


def _translated(session, make, **kwargs):  # type: ignore[no-untyped-def]
    sec = make.secretariat()
    proposal = make.proposal(sec, title="Shared mooring buoys", body="Ten buoys in the bay.")
    proposals.amend_proposal(session, sec, proposal.id, translations={"fr": FRENCH}, now=T0)
    return sec, proposal


def test_a_french_reader_reads_the_french_translation_with_a_note(make, session, login) -> None:  # type: ignore[no-untyped-def]
    sec, proposal = _translated(session, make)
    reader = make.representative(make.partner())
    users.update_user(session, None, reader.id, locale="fr")
    page = login(reader).page(f"/proposals/{proposal.id}")
    assert page.find("h1").get_text(strip=True) == FRENCH["title"]
    assert page.find("h1")["lang"] == "fr"
    assert "Dix bouées" in page.select_one(".proposal-text").get_text()
    note = page.select_one("#translation-note")
    assert "anglais" in note.get_text()  # the authoritative language, named in French
    original = note.find("a", hreflang="en")
    assert original["href"] == f"/proposals/{proposal.id}?text=en#text"
    # The link shows the authoritative text, which names the translation in turn.
    authoritative = login(reader).page(original["href"].split("#")[0])
    assert authoritative.find("h1").get_text(strip=True) == "Shared mooring buoys"
    assert authoritative.select_one(".proposal-text")["lang"] == "en"
    assert authoritative.select_one("#translation-note").find("a", hreflang="fr") is not None


def test_a_reader_without_a_translation_reads_the_authoritative_text(make, session, login) -> None:  # type: ignore[no-untyped-def]
    sec, proposal = _translated(session, make)
    reader = make.representative(make.partner())
    users.update_user(session, None, reader.id, locale="es")
    page = login(reader).page(f"/proposals/{proposal.id}")
    assert page.find("h1").get_text(strip=True) == "Shared mooring buoys"
    note = page.select_one("#translation-note")
    assert "inglés" in note.get_text() and note.find("a", hreflang="fr")


def test_a_translation_is_added_corrected_and_removed_between_rounds(make, session, login) -> None:  # type: ignore[no-untyped-def]
    sec = make.secretariat()
    proposal = make.proposal(sec, title="Shared mooring buoys")
    client = login(sec)
    link = client.page(f"/proposals/{proposal.id}").find(
        "a", string="Add a translation into Arabic"
    )
    url = link["href"]
    assert url == f"/proposals/{proposal.id}/translations/ar"
    refused = client.submit(url, {"title": "عنوان", "body": ""})
    assert refused.status_code == 422
    response = client.submit(url, {"title": "عوامات رسو مشتركة", "body": "عشر عوامات."})
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.translations == {"ar": {"title": "عوامات رسو مشتركة", "body": "عشر عوامات."}}
    form = client.page(url)
    assert form.find("input", attrs={"name": "title"})["value"] == "عوامات رسو مشتركة"
    # typed right to left, in Arabic, on an English page
    assert (form.find("textarea")["lang"], form.find("textarea")["dir"]) == ("ar", "auto")
    response = client.submit(f"{url}/remove", {}, form_url=url)
    assert response.status_code == 303
    db.session.refresh(proposal)
    assert proposal.translations == {}


def test_translations_are_refused_while_a_round_is_open(make, session, login) -> None:  # type: ignore[no-untyped-def]
    sec, proposal = _translated(session, make)
    make.partners(2)
    make.open_round(proposal, sec)
    client = login(sec)
    page = client.page(f"/proposals/{proposal.id}")
    assert page.find("a", href=f"/proposals/{proposal.id}/translations/fr") is None
    url = f"/proposals/{proposal.id}/translations/fr"
    assert client.get(url).status_code == 302  # the form is not offered
    response = client.submit(
        url, {"title": "Changé", "body": "Changé"}, f"/proposals/{proposal.id}"
    )
    assert response.status_code == 409
    assert "between rounds" in soup_of(response).get_text()
    removal = client.submit(f"{url}/remove", {}, f"/proposals/{proposal.id}")
    assert removal.status_code == 303
    db.session.refresh(proposal)
    assert proposal.translations == {"fr": FRENCH}


def test_the_text_cannot_take_the_language_of_one_of_its_translations(make, session, login) -> None:  # type: ignore[no-untyped-def]
    sec, proposal = _translated(session, make)
    client = login(sec)
    url = f"/proposals/{proposal.id}/edit"
    response = client.submit(url, {"title": "T", "body": "B", "language": "fr"})
    assert response.status_code == 422
    error = soup_of(response).select_one("#language-error, .error")
    assert error is not None and "second original" in soup_of(response).get_text()
    db.session.refresh(proposal)
    assert (proposal.language, proposal.title) == ("en", "Shared mooring buoys")


def test_a_draft_names_its_language(make, session, login) -> None:  # type: ignore[no-untyped-def]
    rep = make.representative(make.partner())
    client = login(rep)
    form = client.page("/proposals/new")
    assert (
        form.find("select", attrs={"name": "language"}).find("option", selected=True)["value"]
        == "en"
    )
    response = client.submit(
        "/proposals/new",
        {"title": "Pelampung", "body": "Sepuluh.", "kind": "general", "language": "id"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    drafted = proposals.proposals(db.session)[0]
    assert (drafted.title, drafted.language) == ("Pelampung", "id")


def test_an_unknown_language_is_not_a_page(make, session, login) -> None:  # type: ignore[no-untyped-def]
    sec, proposal = _translated(session, make)
    client = login(sec)
    assert client.get(f"/proposals/{proposal.id}/translations/xx").status_code == 404
    assert client.get(f"/proposals/{proposal.id}/translations/en").status_code == 404
