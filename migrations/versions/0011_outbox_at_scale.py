"""The outbox at scale: finding what is still to send without walking what was sent

Revision ID: 0011outboxscale
Revises: 0010logscale
Create Date: 2026-12-01 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011outboxscale"
down_revision = "0010logscale"
branch_labels = None
depends_on = None


#: as on the model (notifications/models.py, PENDING_ONLY), written out: a migration
#: stays as it was written when the model moves on
PENDING_ONLY = "status = 'pending'"


def upgrade():
    # The claim's "next messages still to send, by id" read from the pending rows only,
    # however many were sent before them.
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text(PENDING_ONLY),
        sqlite_where=sa.text(PENDING_ONLY),
    )


def downgrade():
    op.drop_index("ix_outbox_pending", table_name="outbox")
