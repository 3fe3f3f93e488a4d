"""application_attempts: the public application's rate limit, shared by every worker

Revision ID: 0005applicationattempts
Revises: 0004outboxaddress
Create Date: 2026-11-25 18:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005applicationattempts"
down_revision = "0004outboxaddress"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "application_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_attempts")),
    )
    with op.batch_alter_table("application_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_application_attempts_sender_sent_at", ["sender", "sent_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_application_attempts_sent_at"), ["sent_at"], unique=False
        )


def downgrade():
    op.drop_table("application_attempts")
