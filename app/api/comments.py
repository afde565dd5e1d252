"""Comments: anyone with a token may comment; the post's author or an admin changes them."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from sqlalchemy import select

from app.api.bearer import (
    current_api_user,
    require_author_or_admin,
    token_optional,
    token_required,
)
from app.api.blueprint import ID, api
from app.api.paging import page_of
from app.api.schemas import CommentPageSchema, CommentSchema, CommentWriteSchema, PageArgsSchema
from app.database import lock_rows
from app.extensions import db
from app.lookups import post_or_404
from app.models import NEWEST_COMMENTS_FIRST, Comment
from app.notifications.comments import comment_posted

LOCATION = {"Location": {"description": "The new comment's URL", "schema": {"type": "string"}}}


def get_comment_or_404(comment_id: int) -> Comment:
    return db.get_or_404(
        Comment,
        comment_id,
        with_for_update=lock_rows(),
        description=f"There is no comment {comment_id}.",
    )


def comment_to_change(comment_id: int) -> Comment:
    """The comment a PUT or DELETE names (locked till the request ends), for the post's
    author or an admin: anyone else gets a 403."""
    comment = get_comment_or_404(comment_id)
    require_author_or_admin(comment.post)
    return comment


@api.route(f"/post/<{ID}:post_id>/comments")
class PostComments(MethodView):
    @api.response(200, CommentPageSchema)
    @api.alt_response(404, response="NOT_FOUND")
    @token_optional
    @api.arguments(PageArgsSchema, location="query")
    def get(self, args: dict[str, Any], post_id: int) -> dict[str, Any]:
        """A post's comments, newest first, a page at a time."""
        post = post_or_404(post_id)
        query = select(Comment).where(Comment.post_id == post.id).order_by(*NEWEST_COMMENTS_FIRST)
        return page_of(query, args, "api.PostComments", post_id=post.id)

    @api.response(201, CommentSchema, headers=LOCATION)
    @api.alt_response(404, response="NOT_FOUND")
    @api.alt_response(429, response="TOO_MANY_REQUESTS")
    @token_required()
    @api.arguments(CommentWriteSchema)
    def post(self, data: dict[str, Any], post_id: int) -> tuple[Comment, int, dict[str, str]]:
        """Comment on a post (any user with a token)."""
        post = post_or_404(post_id)
        comment = Comment(name=data["name"], text=data["text"], post=post)
        db.session.add(comment)
        db.session.commit()
        comment_posted(comment.id, current_api_user().id)
        return comment, 201, {"Location": url_for("api.CommentItem", comment_id=comment.id)}


@api.route(f"/comments/<{ID}:comment_id>")
class CommentItem(MethodView):
    @api.response(200, CommentSchema)
    @api.alt_response(404, response="NOT_FOUND")
    @token_optional
    def get(self, comment_id: int) -> Comment:
        """One comment."""
        return get_comment_or_404(comment_id)

    @api.response(200, CommentSchema)
    @api.alt_response(404, response="NOT_FOUND")
    @api.alt_response(403, response="FORBIDDEN")
    @api.alt_response(429, response="TOO_MANY_REQUESTS")
    @token_required()
    @api.arguments(CommentWriteSchema(partial=True))
    def put(self, data: dict[str, Any], comment_id: int) -> Comment:
        """Change the given fields of a comment (the post's author or an admin)."""
        comment = comment_to_change(comment_id)
        for field, value in data.items():
            setattr(comment, field, value)
        db.session.commit()
        return comment

    @api.response(204)
    @api.alt_response(404, response="NOT_FOUND")
    @api.alt_response(403, response="FORBIDDEN")
    @api.alt_response(429, response="TOO_MANY_REQUESTS")
    @token_required()
    def delete(self, comment_id: int) -> None:
        """Delete a comment (the post's author or an admin)."""
        comment = comment_to_change(comment_id)
        db.session.delete(comment)
        db.session.commit()
