"""ids of users, posts and comments never reused on SQLite

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 05:00:00

Without AUTOINCREMENT, SQLite gives a new row the highest id plus one, so deleting the newest
post, comment or account handed its id, and the URLs and mailed links that carry it, to the
next one. AUTOINCREMENT is only set when a table is created: the three tables are copied
(batch mode, foreign keys off as for every SQLite migration). PostgreSQL's sequences never go
back, so nothing changes there.
"""

from alembic import context, op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("user", "post", "comment")


def _rebuild(autoincrement: bool) -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    if context.is_offline_mode():
        # Batch mode copies a table as it reads it from the database; there is none here.
        op.execute(
            "-- Revision 0007 rebuilds the user, post and comment tables: run "
            "`flask db upgrade` itself for it, not its --sql output"
        )
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    # SQLite's reflection cannot see an expression index, so the copy went without it.
    op.create_index("uq_user_username_lower", "user", [sa.text("lower(username)")], unique=True)


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
