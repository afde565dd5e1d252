"""What the API reads (strict: unknown fields are refused) and what it shows (public fields)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma
from flask import url_for
from marshmallow import fields, validate

from app.models import (
    COMMENT_NAME_MAX,
    COMMENT_TEXT_MAX,
    INT_MAX,
    POST_TEXT_MAX,
    TAG_MAX,
    TITLE_MAX,
    USERNAME_MAX,
    Comment,
    Post,
)

MAX_TAGS = 30
MAX_PER_PAGE = 100
# Also the OpenAPI patterns, so the spec and the server agree on what is valid: no NUL
# (PostgreSQL cannot store it) and, for names and titles, something besides blanks.
NO_NUL = "^[^\x00]*$"
NOT_BLANK = "^[^\x00]*[^\x00\t\n\r ][^\x00]*$"


def valid_unicode(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ma.ValidationError("Must be valid Unicode text (no unpaired surrogates).") from None


def text_field(
    *, max_length: int, min_length: int = 1, pattern: str = NO_NUL, **kwargs: Any
) -> fields.String:
    """A string of at most ``max_length`` characters: every text the API reads has a limit."""
    checks: list[Callable[[str], Any]] = [
        validate.Length(min=min_length, max=max_length),
        validate.Regexp(pattern, error="Must not be blank or contain NUL characters."),
        valid_unicode,
    ]
    return fields.String(validate=checks, **kwargs)


# --- input ------------------------------------------------------------------------------


class CredentialsSchema(ma.Schema):
    username = text_field(required=True, max_length=USERNAME_MAX)
    password = fields.String(required=True, validate=[validate.Length(max=4096), valid_unicode])


class PostWriteSchema(ma.Schema):
    """A new post; for PUT every field is optional and only the given ones change."""

    title = text_field(required=True, pattern=NOT_BLANK, max_length=TITLE_MAX)
    text = text_field(
        max_length=POST_TEXT_MAX, min_length=0, metadata={"description": "Markdown source"}
    )
    tags = fields.List(
        fields.String(validate=[validate.Length(max=TAG_MAX), valid_unicode]),
        validate=validate.Length(max=MAX_TAGS),
        metadata={"description": "Tag titles; blanks and duplicates are dropped."},
    )


class CommentWriteSchema(ma.Schema):
    name = text_field(required=True, pattern=NOT_BLANK, max_length=COMMENT_NAME_MAX)
    text = text_field(required=True, pattern=NOT_BLANK, max_length=COMMENT_TEXT_MAX)


class PageArgsSchema(ma.Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=INT_MAX))
    per_page = fields.Integer(
        load_default=10,
        validate=validate.Range(min=1),
        metadata={"description": f"Items per page; more than {MAX_PER_PAGE} gives {MAX_PER_PAGE}."},
    )


class PostListArgsSchema(PageArgsSchema):
    user = text_field(
        max_length=USERNAME_MAX, metadata={"description": "Only this author's posts (username)"}
    )


# --- output -----------------------------------------------------------------------------


class TokenSchema(ma.Schema):
    token = fields.String(required=True)
    expires_in = fields.Integer(required=True, metadata={"description": "Seconds"})


class AuthorSchema(ma.Schema):
    username = fields.String(required=True)


class LinkSchema(ma.Schema):
    self = fields.String(required=True)


class PostLinksSchema(LinkSchema):
    comments = fields.String(required=True)


class PostSchema(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "Markdown source"})
    html = fields.String(required=True, metadata={"description": "The text as sanitised HTML"})
    publish_date = fields.AwareDateTime(required=True)
    author = fields.Nested(AuthorSchema, required=True)
    tags = fields.List(fields.String(), required=True)
    comment_count = fields.Integer(required=True)
    links = fields.Nested(PostLinksSchema, required=True)

    @ma.pre_dump
    def _derived(self, post: Post, **kwargs: Any) -> dict[str, Any]:
        return {
            "id": post.id,
            "title": post.title,
            "text": post.text,
            "html": post.html,
            "publish_date": post.publish_date,
            "author": post.user,
            "tags": [tag.title for tag in post.tags],
            "comment_count": post.comment_count,
            "links": {
                "self": url_for("api.PostItem", post_id=post.id),
                "comments": url_for("api.PostComments", post_id=post.id),
            },
        }


class CommentLinksSchema(LinkSchema):
    post = fields.String(required=True)


class CommentSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    text = fields.String(required=True)
    date = fields.AwareDateTime(required=True)
    post_id = fields.Integer(required=True)
    links = fields.Nested(CommentLinksSchema, required=True)

    @ma.pre_dump
    def _derived(self, comment: Comment, **kwargs: Any) -> dict[str, Any]:
        return {
            "id": comment.id,
            "name": comment.name,
            "text": comment.text,
            "date": comment.date,
            "post_id": comment.post_id,
            "links": {
                "self": url_for("api.CommentItem", comment_id=comment.id),
                "post": url_for("api.PostItem", post_id=comment.post_id),
            },
        }


class PageMetaSchema(ma.Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class PageLinksSchema(ma.Schema):
    self = fields.String(required=True)
    first = fields.String(required=True)
    last = fields.String(required=True)
    prev = fields.String(required=True, allow_none=True)
    next = fields.String(required=True, allow_none=True)


class PostPageSchema(ma.Schema):
    items = fields.List(fields.Nested(PostSchema), required=True)
    meta = fields.Nested(PageMetaSchema, required=True)
    links = fields.Nested(PageLinksSchema, required=True)


class CommentPageSchema(PostPageSchema):
    items = fields.List(fields.Nested(CommentSchema), required=True)
