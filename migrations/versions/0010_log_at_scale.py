"""The decision log at scale: indexes for its filters and full-text search

Revision ID: 0010logscale
Revises: 0009textlanguages
Create Date: 2026-12-01 14:00:00.000000

Each filter of the log's list (outcome, kind, year, a period) has an index that also
gives the list's order (closing time, then id), so a page is read from the index
without sorting. Searching titles and texts uses PostgreSQL's GIN index on a tsvector,
or SQLite's FTS5 table kept in step by triggers (see decisions/log_fulltext.py); the
models declare the B-tree indexes, not these (tests/integration/test_migrations.py).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0010logscale"
down_revision = "0009textlanguages"
branch_labels = None
depends_on = None


#: (name, columns): each ends with the list's order, closed_at then id
INDEXES = (
    ("ix_decisions_closed_at_id", ["closed_at", "id"]),
    ("ix_decisions_outcome_closed_at", ["outcome", "closed_at", "id"]),
    ("ix_decisions_kind_closed_at", ["kind", "closed_at", "id"]),
    ("ix_decisions_year_closed_at", ["year", "closed_at", "id"]),
)

FTS_TRIGGERS = {
    "decisions_fts_insert": "AFTER INSERT ON decisions BEGIN {add} END",
    "decisions_fts_delete": "AFTER DELETE ON decisions BEGIN {remove} END",
    "decisions_fts_update": "AFTER UPDATE OF title, text ON decisions BEGIN {remove} {add} END",
}
FTS_ADD = "INSERT INTO decisions_fts (rowid, title, text) VALUES (new.id, new.title, new.text);"
FTS_REMOVE = (
    "INSERT INTO decisions_fts (decisions_fts, rowid, title, text)"
    " VALUES ('delete', old.id, old.title, old.text);"
)


def upgrade():
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_closed_at")
        for name, columns in INDEXES:
            batch_op.create_index(name, columns, unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_decisions_fulltext ON decisions"
            " USING gin (to_tsvector('simple', title || ' ' || text))"
        )
    else:
        _create_fts()


def _create_fts():
    # an external-content table: the text stays in decisions, the index only here;
    # diacritics kept, as PostgreSQL's 'simple' configuration keeps them
    op.execute(
        "CREATE VIRTUAL TABLE decisions_fts USING fts5(title, text, content='decisions',"
        " content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
    )
    for name, body in FTS_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body.format(add=FTS_ADD, remove=FTS_REMOVE)}")
    op.execute("INSERT INTO decisions_fts (decisions_fts) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_decisions_fulltext")
    else:
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE decisions_fts")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        for name, _columns in reversed(INDEXES):
            batch_op.drop_index(name)
        batch_op.create_index("ix_decisions_closed_at", ["closed_at"], unique=False)
