"""The in-app inbox: newest first, unread count in the header, mark read; and the query
the API serves as GET /api/v1/me/notifications."""

from datetime import timedelta

import time_machine

from decisions import rounds
from notifications.inbox import notifications_of
from notifications.models import Kind
from tests.conftest import T0
from tests.notifications.conftest import inbox_of, person


def unread_badge(client) -> str:  # type: ignore[no-untyped-def]
    link = client.page("/").find("a", href="/inbox")
    return link.get_text(" ", strip=True)


def three_notices(make, session):  # type: ignore[no-untyped-def]
    partner = make.partner()
    rep = make.representative(partner)
    sec = person(session, "secretariat")
    first = make.open_round(make.proposal(sec, title="First"), sec)
    make.open_round(make.proposal(sec, title="Second"), sec, now=T0 + timedelta(hours=1))
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        rounds.extend_round(session, sec, first.id, T0 + timedelta(days=9))
    return rep, partner


def test_inbox_newest_first_with_unread_count_and_mark_read(make, session, login):  # type: ignore[no-untyped-def]
    rep, _partner = three_notices(make, session)
    client = login(rep)
    assert unread_badge(client) == "Inbox 3 unread"
    page = client.page("/inbox")
    subjects = [h.get_text(" ", strip=True) for h in page.select("ol.notices h2")]
    assert subjects == [
        "New Deadline extended: First",
        "New Decision round open: Second",
        "New Decision round open: First",
    ]
    newest = inbox_of(rep, Kind.DEADLINE_EXTENDED)[0]
    response = client.submit(f"/inbox/{newest.id}/read", {}, form_url="/inbox")
    assert response.status_code == 302
    assert unread_badge(client) == "Inbox 2 unread"
    assert inbox_of(rep, Kind.DEADLINE_EXTENDED)[0].read_at is not None
    assert client.submit("/inbox/read", {}, form_url="/inbox").status_code == 302
    assert unread_badge(client) == "Inbox"
    assert all(entry.read_at is not None for entry in inbox_of(rep))


def test_a_notice_of_someone_else_cannot_be_touched(make, session, login):  # type: ignore[no-untyped-def]
    rep, partner = three_notices(make, session)
    other = make.representative(partner)  # joined later: no notices of their own
    theirs = inbox_of(rep)[0]
    client = login(other)
    assert client.page("/inbox").select("ol.notices li") == []
    response = client.submit(f"/inbox/{theirs.id}/read", {}, form_url="/")
    assert response.status_code == 404
    assert inbox_of(rep)[0].read_at is None
    assert client.submit("/inbox/99999999999/read", {}, form_url="/").status_code == 404


def test_notifications_of_pages_newest_first(make, session):  # type: ignore[no-untyped-def]
    partner = make.partner()
    rep = person(session, "partner", partner)
    sec = person(session, "secretariat")
    for hour in range(5):
        make.open_round(make.proposal(sec, title=f"P{hour}"), sec, now=T0 + timedelta(hours=hour))
    page = notifications_of(session, rep, page=1, per_page=2)
    assert page.total == 5
    assert [i.subject for i in page.items] == [
        "Decision round open: P4",
        "Decision round open: P3",
    ]
    page = notifications_of(session, rep, page=3, per_page=2)
    assert [i.subject for i in page.items] == ["Decision round open: P0"]
    first = page.items[0]
    assert (first.kind, first.read_at) == (Kind.ROUND_OPENED, None)
    assert first.created_at == T0 and "P0" in first.body and first.id
