"""The decision log's Atom feed: a member's secret address (made, renewed and stopped on
the account page), the public log's plain one; what a feed reader reads there, checked
as XML against the Atom format (RFC 4287) with lxml, which feedgen itself builds on."""

from typing import Any

from lxml import etree

from decisions import users
from tests.web.test_log import Log, log  # noqa: F401 - a fixture
from tests.web.test_public_log import NOTE, REASON, make_public

ATOM = "http://www.w3.org/2005/Atom"
BASE = "http://127.0.0.1:5000"
NS = {"a": ATOM}


def feed_address(client: Any) -> str:
    """Make the signed-in member's feed address on the account page; its path."""
    response = client.submit("/account/log-feed", {}, form_url="/account")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account#log-feed")
    address = client.page("/account").find(id="log-feed-address")["value"]
    assert address.startswith(f"{BASE}/decisions/feed/") and address.endswith(".atom")
    return str(address).removeprefix(BASE)


def atom(web: Any, path: str) -> etree._Element:
    """The feed at ``path``, parsed, after checking what RFC 4287 requires of it."""
    response = web.get(path)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = etree.fromstring(response.get_data())
    assert root.tag == f"{{{ATOM}}}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"a:{required}", NS) is not None, required
    # An author for the feed, since its entries have none of their own.
    assert root.findtext("a:author/a:name", namespaces=NS)
    for entry in root.findall("a:entry", NS):
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"a:{required}", namespaces=NS), required
    self_link = root.find("a:link[@rel='self']", NS)
    assert self_link is not None and self_link.get("href") == BASE + path
    return root


def entries_of(root: etree._Element) -> list[dict[str, str]]:
    return [
        {
            "id": entry.findtext("a:id", namespaces=NS),
            "title": entry.findtext("a:title", namespaces=NS),
            "updated": entry.findtext("a:updated", namespaces=NS),
            "link": entry.find("a:link", NS).get("href"),
            "summary": entry.findtext("a:summary", namespaces=NS),
        }
        for entry in root.findall("a:entry", NS)
    ]


def test_a_members_feed_holds_the_log_newest_first(login, web, log: Log) -> None:  # noqa: F811
    path = feed_address(login(log.observer))
    root = atom(web, path)
    entries = entries_of(root)
    blocked = log.entries["Statement on river dams"]
    assert [e["title"] for e in entries] == [
        "2026/003 New regional focus: Adopted",
        "2026/002 Statement on river dams: Blocked",
        "2026/001 Annual work plan: Adopted",
        "2025/002 Assembly venue: Withdrawn",
        "2025/001 Risk study: Lapsed",
    ]
    second = entries[1]
    assert second["link"] == second["id"] == f"{BASE}/decisions/{blocked.id}"
    assert second["updated"] == "2026-02-05T06:30:00+00:00"  # its closing time
    assert second["summary"] == (
        "Outcome: Blocked. Tally: Consent 0, Stand aside 0, Object 1, Pending 1."
    )
    # The feed is as new as its newest entry, and reads the same when nothing happened.
    assert root.findtext("a:updated", namespaces=NS) == "2026-02-20T06:30:00+00:00"
    assert etree.tostring(atom(web, path)) == etree.tostring(root)
    body = etree.tostring(root, encoding="unicode")
    for secret in (REASON, NOTE, log.sec.name, "Saltmarsh Circle"):
        assert secret not in body


def test_the_feed_speaks_its_members_language(login, web, session, log: Log) -> None:  # noqa: F811
    users.update_user(session, None, log.observer.id, locale="fr")
    root = atom(web, feed_address(login(log.observer)))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert entries_of(root)[1]["title"] == "2026/002 Statement on river dams : Bloquée"


def test_a_wrong_renewed_or_stopped_address_is_refused(login, web, log: Log) -> None:  # noqa: F811
    client = login(log.observer)
    assert client.page("/account").find(id="log-feed-address") is None  # none until asked
    assert web.get("/decisions/feed/not-a-token.atom").status_code == 404
    assert web.get("/decisions/feed/" + "x" * 200 + ".atom").status_code == 404
    first = feed_address(client)
    second = feed_address(client)  # renewed: the old address stops working
    assert first != second
    assert web.get(first).status_code == 404
    assert web.get(second).status_code == 200
    response = client.submit("/account/log-feed/revoke", {}, form_url="/account")
    assert response.status_code == 302
    assert web.get(second).status_code == 404
    assert client.page("/account").find(id="log-feed-address") is None


def test_the_calendars_address_and_the_feeds_are_two_secrets(login, web, log: Log) -> None:  # noqa: F811
    token = feed_address(login(log.observer)).removeprefix("/decisions/feed/")
    assert web.get("/calendar/" + token.replace(".atom", ".ics")).status_code == 404


def test_the_renewal_needs_the_forms_token(login, log: Log) -> None:  # noqa: F811
    client = login(log.observer)
    assert client.client.post("/account/log-feed").status_code == 400
    assert client.page("/account").find(id="log-feed-address") is None


def test_an_inactive_users_feed_is_refused(login, web, session, log: Log) -> None:  # noqa: F811
    path = feed_address(login(log.observer))
    users.update_user(session, None, log.observer.id, active=False)
    assert web.get(path).status_code == 404


def test_a_public_logs_feed_needs_no_token(web, session, login, log: Log) -> None:  # noqa: F811
    make_public(session)
    root = atom(web, "/decisions/feed.atom")
    assert len(entries_of(root)) == 5
    # The log's pages point feed readers at it, in the head and in the text.
    page = web.page("/decisions")
    alternate = page.find("link", attrs={"rel": "alternate", "type": "application/atom+xml"})
    assert alternate["href"] == f"{BASE}/decisions/feed.atom"
    assert page.find("a", class_="feed-link")["href"] == f"{BASE}/decisions/feed.atom"
    # A member's own address still works, and the account page names the public one.
    client = login(log.observer)
    assert web.get(feed_address(client)).status_code == 200
    assert (
        f"{BASE}/decisions/feed.atom"
        in client.page("/account").find(id="log-feed").parent.get_text()
    )


def test_a_private_logs_pages_link_to_the_members_own_feed(login, log: Log) -> None:  # noqa: F811
    client = login(log.observer)
    page = client.page("/decisions")
    # No address yet: the link leads to the account page to make one; no feed in the head.
    assert page.find("link", attrs={"type": "application/atom+xml"}) is None
    assert page.find("a", class_="feed-link")["href"] == "/account#log-feed"
    path = feed_address(client)
    entry = client.page(f"/decisions/{log.entries['Risk study'].id}")
    alternate = entry.find("link", attrs={"rel": "alternate", "type": "application/atom+xml"})
    assert alternate["href"] == BASE + path
