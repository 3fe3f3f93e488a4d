"""The migrations build exactly the schema the models describe, on either database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from decisions import log_fulltext
from decisions.db import db


def declared_by_models(name, type_, parent_names):  # type: ignore[no-untyped-def]
    """Everything but the log's full-text index, which is one database's own (a GIN
    index on PostgreSQL, an FTS5 table and its shadow tables on SQLite)."""
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
