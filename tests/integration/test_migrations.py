"""The migrations build exactly the schema the models describe, on either database."""

from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from decisions import log_fulltext, log_search, users
from decisions.db import db
from decisions.models import User
from notifications.models import OutboxMessage
from tests.web.test_log import at, decide


def declared_by_models(name, type_, parent_names):  # type: ignore[no-untyped-def]
    """Everything but the log's full-text search, which is one database's own (on
    PostgreSQL a GIN index on the log and the table of words, on SQLite an FTS5 table
    and its shadow tables)."""
    if type_ == "table":
        return not (name or "").startswith(log_fulltext.FTS_TABLE)
    return name != log_fulltext.INDEX


def test_models_and_migrations_agree(ctx):  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": declared_by_models}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_mail_bodies_down_and_up_keep_each_messages_bodies(ctx, make) -> None:  # type: ignore[no-untyped-def]
    """0014 stores the bodies apart, marked for the names: taken back (0013), each e-mail
    gets its bodies with its names put in; migrated again, it keeps them as they were."""
    sec = make.secretariat()
    partner = make.partner('Reef "&" <Sons>')
    rep = users.create_user(
        db.session, None, "zoe@example.org", "Zoë O'Hara <b>", "partner", partner.id
    )
    make.open_round(make.proposal(sec), sec)
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == rep.id)).one()
    assert mail.body.name_mark  # shared with the round's other readers, marked
    expected = (mail.id, mail.text_body, mail.html_body)
    assert "Zoë O&#39;Hara &lt;b&gt;" in expected[2] and "Reef &#34;&amp;&#34;" in expected[2]
    db.session.remove()
    try:
        downgrade(revision="0013mailin")
        with db.engine.connect() as connection:
            query = text("SELECT id, text_body, html_body FROM outbox WHERE id = :id")
            assert tuple(connection.execute(query, {"id": expected[0]}).one()) == expected
    finally:
        upgrade()
    mail = db.session.get_one(OutboxMessage, expected[0])
    assert (mail.id, mail.text_body, mail.html_body) == expected
    assert (mail.body.name_mark, mail.body.partner_mark, mail.body_id) == ("", "", mail.id)


def test_log_words_down_and_up_keep_the_search(ctx, make) -> None:  # type: ignore[no-untyped-def]
    """0015 fills PostgreSQL's table of words from the entries already in the log (taken
    back, 0014, it is gone, trigger and all), and then keeps it in step; on SQLite it
    changes nothing."""
    make.partner()
    sec = make.secretariat()
    start = at(2025, 3, 1)
    for n, title in enumerate(["Mangrove nursery", "Budget review", "Mangrove survey"]):
        decide(db.session, make, sec, title=title, closed_at=start + timedelta(days=n))
    db.session.commit()
    sec_id = sec.id
    db.session.remove()

    def found() -> tuple[int, list[str]]:
        page = log_search.search_log(db.session, q="mangrove")
        titles = [entry.title for entry in page.items]
        db.session.remove()
        return page.total, titles

    expected = (2, ["Mangrove survey", "Mangrove nursery"])
    try:
        downgrade(revision="0014mailbodies")
    finally:
        upgrade()
    assert found() == expected
    sec = db.session.get_one(User, sec_id)
    decide(db.session, make, sec, title="Mangrove fund", closed_at=start + timedelta(days=9))
    assert found() == (3, ["Mangrove fund", *expected[1]])
