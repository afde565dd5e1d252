"""each user's post count

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 15:30:00

The home and user pages count their posts from it at the same cost at any size. Added and
dropped in place: a batch copy of the user table would lose its lower(username) unique
index, which SQLite's reflection cannot see (SQLite drops columns itself since 3.35).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user", sa.Column("post_count", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        'UPDATE "user" SET post_count = (SELECT count(*) FROM post WHERE post.user_id = "user".id)'
    )


def downgrade() -> None:
    op.execute('ALTER TABLE "user" DROP COLUMN post_count')
