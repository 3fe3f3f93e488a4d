"""Every form that changes something needs its CSRF token: each POST address of the web
pages (taken from the URL map, so a new one cannot be forgotten), sent without the token
by a signed-in Secretariat, is refused with 400 and changes nothing."""

from typing import Any

from sqlalchemy import func, select

from app.demo import SECRETARIAT_PASSWORD, fill
from decisions.db import db
from decisions.models import Role, User

#: a value for each path argument: the demo's first rows, or a token that is no token
ARGUMENTS = {"token": "not-a-token"}


def post_addresses(app: Any) -> list[str]:
    found = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue  # the API authenticates by bearer token: no cookie to forge with
        values = {name: ARGUMENTS.get(name, 1) for name in rule.arguments}
        found.append(app.url_for(rule.endpoint, **values))
    return sorted(set(found))


def rows() -> dict[str, int]:
    """How many rows each table holds: a refused request adds, changes or removes none
    (an update would show in the tables' contents, below)."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


def contents() -> dict[str, list[Any]]:
    return {
        table.name: [tuple(row) for row in db.session.execute(select(table)).all()]
        for table in db.metadata.sorted_tables
        if table.name not in ("application_attempts",)  # a refused try may be counted
    }


def test_every_post_form_needs_its_csrf_token(ctx, web) -> None:  # type: ignore[no-untyped-def]
    fill(db.session)
    secretariat = db.session.scalar(select(User).where(User.role == Role.SECRETARIAT))
    web.login(secretariat, SECRETARIAT_PASSWORD)
    with ctx.test_request_context():
        addresses = post_addresses(ctx)
    assert len(addresses) > 20
    db.session.rollback()
    before = contents()
    db.session.rollback()
    accepted = []
    for address in addresses:
        response = web.client.post(address, data={"confirm": "y", "name": "Forged"})
        if response.status_code != 400 or "Form expired" not in response.get_data(as_text=True):
            accepted.append((address, response.status_code))
        response.close()
    assert accepted == []
    db.session.expire_all()
    assert contents() == before
