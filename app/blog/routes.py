from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.blog import blog
from app.extensions import db
from app.models import Post


@blog.get("/")
def home() -> str:
    posts = db.session.scalars(
        select(Post)
        .options(selectinload(Post.user), selectinload(Post.tags))
        .order_by(Post.publish_date.desc(), Post.id.desc())
        .limit(current_app.config["POSTS_PER_PAGE"])
    ).all()
    return render_template("blog/home.html", posts=posts)
