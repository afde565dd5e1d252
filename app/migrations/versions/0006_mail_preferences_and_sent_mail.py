"""what each user wants mailed, and the keys of the mails sent

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 22:00:00

The preference columns are added and dropped in place, as 0004 and 0005 do (a batch copy
of the user table would lose its lower(username) unique index).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "user", sa.Column("notify_comments", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    op.add_column(
        "user", sa.Column("weekly_digest", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_table(
        "sent_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_mail")),
        sa.UniqueConstraint("key", name=op.f("uq_sent_mail_key")),
    )


def downgrade() -> None:
    op.drop_table("sent_mail")
    op.execute('ALTER TABLE "user" DROP COLUMN weekly_digest')
    op.execute('ALTER TABLE "user" DROP COLUMN notify_comments')
