"""The post a URL names, for the blog's pages and the API alike."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm.interfaces import ORMOption

from app.database import lock_rows
from app.extensions import db
from app.models import Post


def post_or_404(post_id: int, *options: ORMOption) -> Post:
    """The post ``post_id``, loaded with ``options``, or a 404 saying there is none.

    A write request locks its row until it ends (app.database), also when ``options`` join
    other tables to it.
    """
    query = select(Post).where(Post.id == post_id).options(*options)
    found = db.session.scalar(query.with_for_update(of=Post) if lock_rows() else query)
    if found is None:
        abort(404, description=f"There is no post number {post_id}.")
    return found
