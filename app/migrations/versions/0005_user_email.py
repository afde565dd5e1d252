"""each user's optional email address

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:45:00

Stored lower-cased by the app, so a plain unique index makes addresses unique ignoring case
on every database. Added and dropped in place, as 0004: a batch copy of the user table would
lose its lower(username) unique index, which SQLite's reflection cannot see.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_index("uq_user_email", "user", ["email"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_user_email", table_name="user")
    op.execute('ALTER TABLE "user" DROP COLUMN email')
