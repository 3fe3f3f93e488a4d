"""outbox: a message may go to an address without a user (an applicant)

Revision ID: 0004outboxaddress
Revises: 0003applications
Create Date: 2026-11-26 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004outboxaddress"
down_revision = "0003applications"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Messages to applicants have no user to keep them by: they go before the column
    # may be required again.
    op.execute("DELETE FROM outbox WHERE user_id IS NULL")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
