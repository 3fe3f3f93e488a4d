"""Texts in languages: a proposal's authoritative language and its translations, the
language an applicant applied in

Revision ID: 0009textlanguages
Revises: 0008languages
Create Date: 2026-12-01 13:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009textlanguages"
down_revision = "0008languages"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )
        batch_op.add_column(
            sa.Column("translations", sa.JSON(), server_default="{}", nullable=False)
        )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    # Proposals drafted before languages existed were written in the partnership's.
    op.execute(
        "UPDATE proposals SET language = COALESCE((SELECT language FROM partnership LIMIT 1), 'en')"
    )


def downgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_column("translations")
        batch_op.drop_column("language")
