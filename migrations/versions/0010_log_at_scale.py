"""The decision log at scale: indexes for its filters and full-text search

Revision ID: 0010logscale
Revises: 0009textlanguages
Create Date: 2026-12-01 14:00:00.000000

"""

# revision identifiers, used by Alembic.
revision = "0010logscale"
down_revision = "0009textlanguages"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
