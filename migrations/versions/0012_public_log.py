"""The decision log outside Accord: the public log setting, each user's log feed address

Revision ID: 0012publiclog
Revises: 0011outboxscale
Create Date: 2026-12-01 17:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012publiclog"
down_revision = "0011outboxscale"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public_log", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("log_feed_token", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_log_feed_token"), ["log_feed_token"])


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_log_feed_token"), type_="unique")
        batch_op.drop_column("log_feed_token")
    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.drop_column("public_log")
