"""Mail bodies: an e-mail's text and HTML stored once for every recipient who reads the
same message, the names put in when it is sent

Revision ID: 0014mailbodies
Revises: 0013mailin
Create Date: 2026-12-01 20:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014mailbodies"
down_revision = "0013mailin"
branch_labels = None
depends_on = None


def _escaped(column):
    """``column`` escaped for HTML in SQL, as markupsafe escapes a name (notifications.
    naming): the ampersand first."""
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        column = f"replace({column}, '{character}', '{entity}')"
    column = f"replace({column}, '\"', '&#34;')"
    return f"replace({column}, '''', '&#39;')"


def upgrade():
    op.create_table(
        "mail_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("name_mark", sa.String(length=64), nullable=False),
        sa.Column("partner_mark", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_bodies")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("to_partner", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("body_id", sa.Integer(), nullable=True))
    # Each message queued before keeps its own bodies, named already (no marks), under
    # its own id.
    op.execute(
        "INSERT INTO mail_bodies (id, text_body, html_body, name_mark, partner_mark) "
        "SELECT id, text_body, html_body, '', '' FROM outbox"
    )
    op.execute("UPDATE outbox SET body_id = id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('mail_bodies', 'id'), "
            "COALESCE((SELECT MAX(id) FROM mail_bodies), 0) + 1, false)"
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("body_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_outbox_body_id"), ["body_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_body_id_mail_bodies"), "mail_bodies", ["body_id"], ["id"]
        )
        batch_op.drop_column("html_body")
        batch_op.drop_column("text_body")


def downgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_body", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("html_body", sa.Text(), nullable=True))
    # Each message's own bodies again, its names put in; replace() with an empty mark
    # leaves the text as it is, on either database.
    named = (
        "replace(replace(b.{body}, b.name_mark, {name}), b.partner_mark, {partner}) "
        "FROM mail_bodies b WHERE b.id = outbox.body_id"
    )
    text = named.format(body="text_body", name="outbox.to_name", partner="outbox.to_partner")
    html = named.format(
        body="html_body",
        name=_escaped("outbox.to_name"),
        partner=_escaped("outbox.to_partner"),
    )
    op.execute(f"UPDATE outbox SET text_body = (SELECT {text}), html_body = (SELECT {html})")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("text_body", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("html_body", existing_type=sa.Text(), nullable=False)
        batch_op.drop_constraint(batch_op.f("fk_outbox_body_id_mail_bodies"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_body_id"))
        batch_op.drop_column("body_id")
        batch_op.drop_column("to_partner")
    op.drop_table("mail_bodies")
