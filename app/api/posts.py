"""/api/post: posts, newest first; posters and admins write, authors and admins change."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from app.accounts.permissions import WRITER_ROLES, may_write_posts
from app.api.bearer import current_api_user, require_author_or_admin, token_optional, token_required
from app.api.blueprint import ID, api
from app.api.paging import page_of
from app.api.schemas import PostListArgsSchema, PostPageSchema, PostSchema, PostWriteSchema
from app.extensions import db
from app.lookups import post_or_404
from app.models import NEWEST_POSTS_FIRST, Post, User, tags_from_titles

WRITERS_ONLY = f"Writing posts needs one of the roles: {', '.join(WRITER_ROLES)}."
LOCATION = {"Location": {"description": "The new post's URL", "schema": {"type": "string"}}}


def post_to_change(post_id: int) -> Post:
    """The post a PUT or DELETE names (locked till the request ends), for its author or an
    admin: anyone else gets a 403."""
    post = post_or_404(post_id)
    require_author_or_admin(post)
    return post


def apply_changes(post: Post, data: dict[str, Any]) -> None:
    for field in ("title", "text"):
        if field in data:
            setattr(post, field, data[field])
    if "tags" in data:
        post.tags = tags_from_titles(data["tags"])


@api.route("/post")
class Posts(MethodView):
    @api.response(200, PostPageSchema)
    @token_optional
    @api.arguments(PostListArgsSchema, location="query")
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List posts, newest first, a page at a time (optionally one author's)."""
        query = (
            select(Post)
            .options(
                selectinload(Post.user).load_only(User.id, User.username),
                selectinload(Post.tags),
                undefer(Post.comment_count),
            )
            .order_by(*NEWEST_POSTS_FIRST)
        )
        if args.get("user") is not None:
            query = query.join(Post.user).where(func.lower(User.username) == args["user"].lower())
        return page_of(query, args, "api.Posts", user=args.get("user"))

    @api.response(201, PostSchema, headers=LOCATION)
    @api.alt_response(429, response="TOO_MANY_REQUESTS")
    @token_required(may_write_posts, WRITERS_ONLY)
    @api.arguments(PostWriteSchema)
    def post(self, data: dict[str, Any]) -> tuple[Post, int, dict[str, str]]:
        """Write a post (role poster or admin)."""
        post = Post(title=data["title"], text=data.get("text", ""), user=current_api_user())
        db.session.add(post)
        apply_changes(post, data)
        db.session.commit()
        return post, 201, {"Location": url_for("api.PostItem", post_id=post.id)}


@api.route(f"/post/<{ID}:post_id>")
class PostItem(MethodView):
    @api.response(200, PostSchema)
    @api.alt_response(404, response="NOT_FOUND")
    @token_optional
    def get(self, post_id: int) -> Post:
        """One post, with its Markdown source and its sanitised HTML."""
        return post_or_404(post_id)

    @api.response(200, PostSchema)
    @api.alt_response(404, response="NOT_FOUND")
    @api.alt_response(403, response="FORBIDDEN")
    @api.alt_response(429, response="TOO_MANY_REQUESTS")
    @token_required()
    @api.arguments(PostWriteSchema(partial=True))
    def put(self, data: dict[str, Any], post_id: int) -> Post:
        """Change the given fields of a post (its author or an admin)."""
        post = post_to_change(post_id)
        apply_changes(post, data)
        db.session.commit()
        return post

    @api.response(204)
    @api.alt_response(404, response="NOT_FOUND")
    @api.alt_response(403, response="FORBIDDEN")
    @api.alt_response(429, response="TOO_MANY_REQUESTS")
    @token_required()
    def delete(self, post_id: int) -> None:
        """Delete a post and its comments (its author or an admin)."""
        post = post_to_change(post_id)
        db.session.delete(post)
        db.session.commit()
