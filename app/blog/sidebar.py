"""What the blog's sidebar shows: the most recent posts and the most used tags."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from sqlalchemy import Row, func, select

from app.extensions import db
from app.models import NEWEST_POSTS_FIRST, Post, Tag, tags_posts

SIDEBAR_ITEMS = 5


class Sidebar:
    """Queried only when a template first reads it, so pages without a sidebar pay nothing."""

    @cached_property
    def recent_posts(self) -> Sequence[Row[tuple[int, str]]]:
        """(id, title) of the newest posts."""
        return db.session.execute(
            select(Post.id, Post.title).order_by(*NEWEST_POSTS_FIRST).limit(SIDEBAR_ITEMS)
        ).all()

    @cached_property
    def top_tags(self) -> Sequence[Row[tuple[str, int]]]:
        """(title, uses) of the tags on the most posts; ties in title order."""
        uses = func.count(tags_posts.c.post_id).label("uses")
        return db.session.execute(
            select(Tag.title, uses)
            .join(tags_posts, tags_posts.c.tag_id == Tag.id)
            .group_by(Tag.id, Tag.title)
            .order_by(uses.desc(), Tag.title)
            .limit(SIDEBAR_ITEMS)
        ).all()
