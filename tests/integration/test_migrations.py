"""The migrations build exactly the schema the models describe, on either database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from decisions.db import db


def test_models_and_migrations_agree(ctx):  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
