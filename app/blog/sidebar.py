"""What the blog's sidebar shows: the most recent posts and the most used tags."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from sqlalchemy import Row, select

from app.extensions import db
from app.models import NEWEST_POSTS_FIRST, Post, Tag

SIDEBAR_ITEMS = 5


class Sidebar:
    """Queried only when a template first reads it, so pages without a sidebar pay nothing."""

    @cached_property
    def recent_posts(self) -> Sequence[Row[int, str]]:
        """(id, title) of the newest posts."""
        return db.session.execute(
            select(Post.id, Post.title).order_by(*NEWEST_POSTS_FIRST).limit(SIDEBAR_ITEMS)
        ).all()

    @cached_property
    def top_tags(self) -> Sequence[Row[str, int]]:
        """(title, uses) of the tags on the most posts; ties in title order. The first rows of
        an index on the counts stored with the tags: the same cost at any number of posts."""
        return db.session.execute(
            select(Tag.title, Tag.post_count.label("uses"))
            .where(Tag.post_count > 0)
            .order_by(Tag.post_count.desc(), Tag.title)
            .limit(SIDEBAR_ITEMS)
        ).all()
