"""The log's words apart: PostgreSQL counts a search's matches in a narrow table

Revision ID: 0015logwords
Revises: 0014mailbodies
Create Date: 2026-12-07 13:00:00.000000

Counting a search's matches visits every matching row, and a row of ``decisions`` is wide
(its text, its positions): for a word most entries have, the count read most of the
table. PostgreSQL now keeps each entry's searched words, its title and text, in
``decisions_fts``, a row per entry (a long text is stored apart from it, compressed),
under a GIN index on the same tsvector as ``decisions``' own, kept in step by a trigger,
as SQLite keeps its FTS5 table of the same name (0010); and counts there. The words are
kept as text, not as a tsvector, so that a plan reading the whole table costs the
tokenizing of every row: otherwise PostgreSQL, which guesses any prefix search matches
2 % of the rows, may prefer reading it all to its index, 20 ms for a word of 400 entries
in 100 000 instead of 1. The expression index on ``decisions`` stays: it finds a page's
matches with the log's other filters. SQLite: nothing changes.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0015logwords"
down_revision = "0014mailbodies"
branch_labels = None
depends_on = None

#: what is searched of an entry (decisions/log_fulltext.py)
WORDS_OF = "{row}.title || ' ' || {row}.text"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # an entry deleted (by hand: the log has no such path) takes its words with it
    op.execute(
        "CREATE TABLE decisions_fts ("
        " id integer PRIMARY KEY REFERENCES decisions (id) ON DELETE CASCADE,"
        " words text NOT NULL)"
    )
    op.execute(
        "CREATE FUNCTION decisions_fts_keep() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN"
        f" INSERT INTO decisions_fts (id, words) VALUES (NEW.id, {WORDS_OF.format(row='NEW')})"
        " ON CONFLICT (id) DO UPDATE SET words = EXCLUDED.words;"
        " RETURN NULL;"
        " END $$"
    )
    op.execute(
        "CREATE TRIGGER decisions_fts_keep AFTER INSERT OR UPDATE OF title, text ON decisions"
        " FOR EACH ROW EXECUTE FUNCTION decisions_fts_keep()"
    )
    op.execute(
        f"INSERT INTO decisions_fts (id, words) SELECT id, {WORDS_OF.format(row='decisions')}"
        " FROM decisions"
    )
    op.execute(
        "CREATE INDEX ix_decisions_fts_words ON decisions_fts"
        " USING gin (to_tsvector('simple', words))"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER decisions_fts_keep ON decisions")
    op.execute("DROP FUNCTION decisions_fts_keep()")
    op.execute("DROP TABLE decisions_fts")
