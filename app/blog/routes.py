"""The reading side of the blog: the post lists, a post with its comments, and commenting.

Every page costs a fixed number of SQL statements: lists load their posts' authors with a
join and their tags with one extra ``SELECT ... IN``, never one query per post.
"""

from __future__ import annotations

import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from app.blog import blog
from app.blog.forms import CommentForm
from app.blog.sidebar import Sidebar
from app.caching import Deferred
from app.database import lock_rows
from app.extensions import db
from app.models import INT_MAX, NEWEST_POSTS_FIRST, TAG_MAX, USERNAME_MAX, Comment, Post, Tag, User
from app.rendering import markdown_excerpt, render_markdown

blog.add_app_template_filter(render_markdown, "markdown")
blog.add_app_template_filter(markdown_excerpt, "excerpt")


PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,9}")


@blog.context_processor
def sidebar() -> dict[str, Sidebar]:
    return {"sidebar": Sidebar()}


def could_be_stored(name: str, max_length: int) -> bool:
    """Whether a tag title or username like ``name`` can exist; only then is it looked up,
    as PostgreSQL refuses a NUL in a query outright."""
    return "\x00" not in name and len(name) <= max_length


def page_in_query() -> int:
    """The ``?page=`` number, 1 when there is none; one no page can have is a 404."""
    number = request.args.get("page", "1")
    if not PAGE_NUMBER.fullmatch(number) or int(number) > INT_MAX:
        abort(404)
    return int(number)


def newest_posts_page(statement: Select[tuple[Post]], page: int) -> Deferred[Pagination]:
    """One page of the posts ``statement`` selects, newest first, with authors and tags;
    a page past the last is a 404. Queried only when the template reads it: not at all when
    the page cache has the list."""
    return Deferred(
        lambda: db.paginate(
            statement.options(joinedload(Post.user), selectinload(Post.tags)).order_by(
                *NEWEST_POSTS_FIRST
            ),
            page=page,
            per_page=current_app.config["POSTS_PER_PAGE"],
        )
    )


@blog.get("/", defaults={"page": 1})
@blog.get(f"/<int(max={INT_MAX}):page>")
def home(page: int) -> str:
    return render_template("blog/home.html", posts=newest_posts_page(select(Post), page))


@blog.route(f"/post/<int(max={INT_MAX}):post_id>", methods=["GET", "POST"])
def post(post_id: int) -> ResponseReturnValue:
    """The post and its comments; a valid comment is saved, then redirected to (PRG)."""
    query = (
        select(Post)
        .where(Post.id == post_id)
        .options(joinedload(Post.user), selectinload(Post.tags), selectinload(Post.comments))
    )
    found = db.session.scalar(query.with_for_update(of=Post) if lock_rows() else query)
    if found is None:
        abort(404, description=f"There is no post number {post_id}.")
    form = CommentForm()
    if form.validate_on_submit():
        db.session.add(Comment(name=form.name.data, text=form.text.data, post=found))
        db.session.commit()
        flash("Thank you, your comment is posted.", "success")
        return redirect(url_for("blog.post", post_id=found.id, _anchor="comments"))
    if form.is_submitted():
        return render_template("blog/post.html", post=found, form=form), 422
    if current_user.is_authenticated:
        form.name.data = current_user.username
    return render_template("blog/post.html", post=found, form=form)


@blog.get("/tag/<path:tag_name>")
def tag(tag_name: str) -> str:
    found = None
    if could_be_stored(tag_name, TAG_MAX):
        found = db.session.scalar(select(Tag).where(Tag.title == tag_name))
    if found is None:
        abort(404, description=f"There is no tag {tag_name!r}.")
    posts = newest_posts_page(
        select(Post).where(Post.tags.any(Tag.id == found.id)), page_in_query()
    )
    return render_template("blog/tag.html", tag=found, posts=posts)


@blog.get("/user/<path:username>")
def user(username: str) -> str:
    found = User.by_username(username) if could_be_stored(username, USERNAME_MAX) else None
    if found is None:
        abort(404, description=f"There is no user {username!r}.")
    posts = newest_posts_page(select(Post).where(Post.user_id == found.id), page_in_query())
    return render_template("blog/user.html", user=found, posts=posts)
