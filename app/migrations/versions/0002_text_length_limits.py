"""text length limits: post.text and comment.text

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:00:00

The limits are written out rather than imported from app.models: a migration must create
the same schema however the models change later.
"""

from alembic import context, op
from alembic.util import CommandError
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Table, its constraint, the longest text allowed in characters (app.models).
LIMITS = (("post", "ck_post_text_length", 100_000), ("comment", "ck_comment_text_length", 5_000))
SHOWN_IDS = 20


def _too_long(table: str, limit: int) -> str | None:
    """What to tell whoever runs the migration about rows over the limit, if any."""
    ids = (
        op.get_bind()
        .scalars(
            sa.text(f"SELECT id FROM {table} WHERE length(text) > :limit ORDER BY id"),
            {"limit": limit},
        )
        .all()
    )
    if not ids:
        return None
    shown = ", ".join(map(str, ids[:SHOWN_IDS]))
    more = f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
    return f"the {table} rows with id {shown}{more} have text longer than {limit:,} characters"


def _table_at_0001(name: str) -> sa.Table:
    """The table as revision 0001 made it: SQLite's batch mode copies it, and in --sql mode
    there is no database to read it from."""
    metadata = sa.MetaData()
    sa.Table("user", metadata, sa.Column("id", sa.Integer(), primary_key=True))
    if name == "post":
        return sa.Table(
            "post",
            metadata,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("title", sa.String(length=255), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("publish_date", sa.DateTime(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.CheckConstraint("length(title) BETWEEN 1 AND 255", name="ck_post_title_length"),
            sa.ForeignKeyConstraint(
                ["user_id"], ["user.id"], name="fk_post_user_id_user", ondelete="CASCADE"
            ),
            sa.PrimaryKeyConstraint("id", name="pk_post"),
            sa.Index("ix_post_publish_date", "publish_date"),
            sa.Index("ix_post_user_id", "user_id"),
        )
    sa.Table("post", metadata, sa.Column("id", sa.Integer(), primary_key=True))
    return sa.Table(
        "comment",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("date", sa.DateTime(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(name) BETWEEN 1 AND 255", name="ck_comment_name_length"),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name="fk_comment_post_id_post", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_comment"),
        sa.Index("ix_comment_date", "date"),
        sa.Index("ix_comment_post_id", "post_id"),
    )


def upgrade() -> None:
    if not context.is_offline_mode():
        # Never cut a text short or drop a row: stop before changing anything instead.
        problems = [m for t, _, limit in LIMITS if (m := _too_long(t, limit)) is not None]
        if problems:
            raise CommandError(
                "Revision 0002 adds maximum text lengths, but "
                + "; ".join(problems)
                + ". Shorten or delete those rows and upgrade again; nothing was changed."
            )
    for table, name, limit in LIMITS:
        copy_from = _table_at_0001(table) if context.is_offline_mode() else None
        with op.batch_alter_table(table, copy_from=copy_from) as batch_op:
            batch_op.create_check_constraint(op.f(name), sa.text(f"length(text) <= {limit}"))


def downgrade() -> None:
    for table, name, _ in reversed(LIMITS):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(name), type_="check")
