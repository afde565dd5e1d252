"""The reading side of the blog: the post lists, a post with its comments, and commenting.

Every page costs a fixed number of SQL statements: lists load their posts' authors with a
join and their tags with one extra ``SELECT ... IN``, never one query per post. Each list
reads its rows in the order of an index (see app.models) and shows the HTML and excerpt
stored with each post, rendered when it was saved.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.blog import blog
from app.blog.forms import CommentForm
from app.caching import Deferred
from app.extensions import db
from app.forms import form_page
from app.lookups import post_or_404
from app.models import (
    INT_MAX,
    NEWEST_POSTS_FIRST,
    OLDEST_POSTS_FIRST,
    TAG_MAX,
    USERNAME_MAX,
    Comment,
    Post,
    Tag,
    User,
    tags_posts,
)
from app.notifications.comments import comment_posted
from app.paging import page_number


def could_be_stored(name: str, max_length: int) -> bool:
    """Whether a tag title or username like ``name`` can exist; only then is it looked up,
    as PostgreSQL refuses a NUL in a query outright."""
    return "\x00" not in name and len(name) <= max_length


def page_in_query() -> int:
    """The ``?page=`` number, 1 when there is none; one no page can have is a 404."""
    number = page_number(request.args.get("page", "1"))
    if number is None:
        abort(404)
    return number


# What a list shows of a post's author: never the password hash or the session token.
AUTHOR_NAME = joinedload(Post.user).load_only(User.id, User.username)


class NewestFirstPagination(SelectPagination):
    """A page of posts newest first, counted by ``count_select`` (cheaper than counting the
    rows of the page's own statement, Flask-SQLAlchemy's default).

    A page past the middle is read from the older end: with an index, reaching the last page
    of 100,000 posts newest first means stepping over 99,990 of them (200 ms), oldest first
    over none.
    """

    def _query_count(self) -> int:
        if not hasattr(self, "_total"):
            self._total = int(self._query_args["session"].scalar(self._query_args["count_select"]))
        return self._total

    def _query_items(self) -> list[Any]:
        select, session = self._query_args["select"], self._query_args["session"]
        skipped = self._query_offset
        total = self._query_count()
        if skipped >= total:
            return []
        if skipped <= total // 2:
            page = select.order_by(*NEWEST_POSTS_FIRST).limit(self.per_page).offset(skipped)
            return list(session.execute(page).unique().scalars())
        older = max(total - skipped - self.per_page, 0)
        page = select.order_by(*OLDEST_POSTS_FIRST).limit(total - skipped - older).offset(older)
        return list(reversed(session.execute(page).unique().scalars().all()))


def newest_posts_page(
    statement: Select[Post], page: int, count_select: Select[int]
) -> Deferred[Pagination]:
    """One page of the posts ``statement`` selects, newest first, with authors and tags;
    a page past the last is a 404. ``count_select`` counts those posts. Queried only when
    the template reads it: not at all when the page cache has the list."""
    return Deferred(
        lambda: NewestFirstPagination(
            select=statement.options(AUTHOR_NAME, selectinload(Post.tags)),
            session=db.session(),
            count_select=count_select,
            page=page,
            per_page=current_app.config["POSTS_PER_PAGE"],
        )
    )


@blog.get("/", defaults={"page": 1})
@blog.get("/<page:page>")
def home(page: int) -> str:
    posts = newest_posts_page(select(Post), page, select(func.count()).select_from(Post))
    return render_template("blog/home.html", posts=posts)


@blog.route(f"/post/<int(max={INT_MAX}):post_id>", methods=["GET", "POST"])
def post(post_id: int) -> ResponseReturnValue:
    """The post and its comments; a valid comment is saved, then redirected to (PRG)."""
    # A comment holds the write lock from its first read (app.database): the comments and
    # tags are read only to show the page.
    shown = (
        () if request.method == "POST" else (selectinload(Post.tags), selectinload(Post.comments))
    )
    found = post_or_404(post_id, AUTHOR_NAME, *shown)
    form = CommentForm()
    if form.validate_on_submit():
        commenter = current_user.id if current_user.is_authenticated else None
        comment = Comment(name=form.name.data, text=form.text.data, post=found)
        db.session.add(comment)
        db.session.flush()
        # Its id read before the commit, which expires it: reading it again would take the
        # write lock again.
        comment_id = comment.id
        db.session.commit()
        comment_posted(comment_id, commenter)
        flash("Thank you, your comment is posted.", "success")
        return redirect(url_for("blog.post", post_id=post_id, _anchor="comments"))
    if not form.is_submitted() and current_user.is_authenticated:
        form.name.data = current_user.username
    return form_page("blog/post.html", form, post=found)


def tag_or_404(tag_name: str) -> Tag:
    found = None
    if could_be_stored(tag_name, TAG_MAX):
        found = db.session.scalar(select(Tag).where(Tag.title == tag_name))
    if found is None:
        abort(404, description=f"There is no tag {tag_name!r}.")
    return found


def posts_tagged(tag: Tag) -> Select[Post]:
    """The tag's posts. Read newest first, they walk the posts in that order (an index) and
    look each up in post_tags' primary key, stopping when enough are found; a join would make
    SQLite sort all the tag's posts."""
    return select(Post).where(
        exists().where(tags_posts.c.post_id == Post.id, tags_posts.c.tag_id == tag.id)
    )


@blog.get("/tag/<path:tag_name>")
def tag(tag_name: str) -> str:
    found = tag_or_404(tag_name)
    # Counting with the page's lookup would visit every post: the count reads the tag's rows
    # of post_tags from their index instead.
    posts = newest_posts_page(
        posts_tagged(found),
        page_in_query(),
        select(func.count()).select_from(tags_posts).where(tags_posts.c.tag_id == found.id),
    )
    return render_template("blog/tag.html", tag=found, posts=posts)


@blog.get("/user/<path:username>")
def user(username: str) -> str:
    found = User.by_username(username) if could_be_stored(username, USERNAME_MAX) else None
    if found is None:
        abort(404, description=f"There is no user {username!r}.")
    posts = newest_posts_page(
        select(Post).where(Post.user_id == found.id),
        page_in_query(),
        select(User.post_count).where(User.id == found.id),
    )
    return render_template("blog/user.html", user=found, posts=posts)
