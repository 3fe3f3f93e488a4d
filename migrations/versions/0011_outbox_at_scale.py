"""The outbox at scale: finding what is still to send without walking what was sent

Revision ID: 0011outboxscale
Revises: 0010logscale
Create Date: 2026-12-01 14:00:00.000000

"""

# revision identifiers, used by Alembic.
revision = "0011outboxscale"
down_revision = "0010logscale"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
