"""stored html and excerpt, tag post counts, an index for every list

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:00:00

Columns and indexes are added in place (no table copy): ADD COLUMN with a default and
CREATE INDEX need no batch mode on SQLite. Existing posts are rendered with the app's own
Markdown and sanitiser (app.rendering): the stored HTML must be what the app would render.
"""

from alembic import context, op
import sqlalchemy as sa

from app.rendering import excerpt_of_html, render_markdown


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Each new index, its table and columns, and the one-column index it makes redundant.
INDEXES = (
    ("ix_post_publish_date_id", "post", ["publish_date", "id"], "ix_post_publish_date"),
    (
        "ix_post_user_id_publish_date_id",
        "post",
        ["user_id", "publish_date", "id"],
        "ix_post_user_id",
    ),
    ("ix_comment_post_id_date_id", "comment", ["post_id", "date", "id"], "ix_comment_post_id"),
    ("ix_post_tags_tag_id_post_id", "post_tags", ["tag_id", "post_id"], "ix_post_tags_tag_id"),
)
# Posts rendered per round trip: memory stays small however many posts there are.
BATCH = 500

post = sa.table(
    "post",
    sa.column("id", sa.Integer()),
    sa.column("text", sa.Text()),
    sa.column("html", sa.Text()),
    sa.column("excerpt", sa.Text()),
)


def _render_every_post() -> None:
    connection = op.get_bind()
    store = (
        post.update()
        .where(post.c.id == sa.bindparam("post_id"))
        .values(html=sa.bindparam("new_html"), excerpt=sa.bindparam("new_excerpt"))
    )
    last = 0
    while rows := connection.execute(
        sa.select(post.c.id, post.c.text).where(post.c.id > last).order_by(post.c.id).limit(BATCH)
    ).all():
        values = []
        for post_id, text in rows:
            html = str(render_markdown(text))
            values.append({"post_id": post_id, "new_html": html, "new_excerpt": excerpt_of_html(html)})
        connection.execute(store, values)
        last = rows[-1].id


def upgrade() -> None:
    op.add_column("post", sa.Column("html", sa.Text(), server_default="", nullable=False))
    op.add_column("post", sa.Column("excerpt", sa.Text(), server_default="", nullable=False))
    op.add_column("tag", sa.Column("post_count", sa.Integer(), server_default="0", nullable=False))
    for name, table, columns, replaced in INDEXES:
        op.create_index(name, table, columns)
        op.drop_index(replaced, table_name=table)
    op.create_index("ix_tag_post_count_title", "tag", [sa.text("post_count DESC"), "title"])
    op.execute(
        "UPDATE tag SET post_count = "
        "(SELECT count(*) FROM post_tags WHERE post_tags.tag_id = tag.id)"
    )
    if context.is_offline_mode():
        # Markdown cannot be rendered in SQL: the posts would show empty until rendered.
        op.execute(
            "-- Revision 0003 renders every post's html and excerpt: run `flask db upgrade` "
            "itself for it, not its --sql output"
        )
    else:
        _render_every_post()


def downgrade() -> None:
    op.drop_index("ix_tag_post_count_title", table_name="tag")
    for name, table, columns, replaced in reversed(INDEXES):
        op.create_index(replaced, table, columns[:1])
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("tag") as batch_op:
        batch_op.drop_column("post_count")
    with op.batch_alter_table("post") as batch_op:
        batch_op.drop_column("excerpt")
        batch_op.drop_column("html")
