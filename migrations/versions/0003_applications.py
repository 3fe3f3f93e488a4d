"""applications and invitations

Revision ID: 0003applications
Revises: 0002notifications
Create Date: 2026-11-25 15:58:56.651942

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003applications"
down_revision = "0002notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_invitations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitations_user_id"), ["user_id"], unique=False)

    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_name", sa.String(length=200), nullable=False),
        sa.Column("mandate", sa.Text(), nullable=False),
        sa.Column("headquarters_country", sa.String(length=2), nullable=False),
        sa.Column("operating_countries", sa.JSON(), nullable=False),
        sa.Column("legally_registered", sa.Boolean(), nullable=False),
        sa.Column("government_controlled", sa.Boolean(), nullable=False),
        sa.Column("agrees_with_principles", sa.Boolean(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("letter_file", sa.String(length=64), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "received",
                "recommended",
                "not_recommended",
                "proposed",
                "admitted",
                "declined",
                "withdrawn",
                name="application_status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("recommend", sa.Boolean(), nullable=True),
        sa.Column("recommendation", sa.Text(), nullable=False),
        sa.Column("recommended_by_id", sa.Integer(), nullable=True),
        sa.Column("recommended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("withdraw_token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_applications_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_applications_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_applications_proposal_id_proposals")
        ),
        sa.ForeignKeyConstraint(
            ["recommended_by_id"],
            ["users.id"],
            name=op.f("fk_applications_recommended_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_status"))

    op.drop_table("applications")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitations_user_id"))

    op.drop_table("invitations")
