"""password_resets, and what each rate-limited attempt was (application or password reset)

Revision ID: 0006passwordresets
Revises: 0005applicationattempts
Create Date: 2026-11-26 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006passwordresets"
down_revision = "0005applicationattempts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_resets_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("application_attempts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("what", sa.String(length=32), server_default="apply", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("application_attempts", schema=None) as batch_op:
        batch_op.drop_column("what")
    op.drop_table("password_resets")
