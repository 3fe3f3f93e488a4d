"""Positions by e-mail reply: how each position came (its channel), the reply address of
an e-mail, and the replies received

Revision ID: 0013mailin
Revises: 0012publiclog
Create Date: 2026-12-01 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013mailin"
down_revision = "0012publiclog"
branch_labels = None
depends_on = None


def upgrade():
    # Positions registered before: nothing recorded whether they came through the web
    # form or the API; the web form is how most came (the demo's, the Secretariat's on a
    # partner's behalf), so they read "web".
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=32), server_default="web", nullable=False)
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reply_to", sa.String(length=254), server_default="", nullable=False)
        )
    op.create_table(
        "received_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("refusal", sa.String(length=32), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["position_id"], ["positions.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )


def downgrade():
    op.drop_table("received_replies")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("reply_to")
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_column("channel")
