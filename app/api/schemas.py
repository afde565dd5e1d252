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
)
from app.paging import page_number

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


class PageNumber(fields.Integer):
    """A page number read as the blog's pages read it (app.paging); the range is for the
    OpenAPI document."""

    def __init__(self) -> None:
        super().__init__(load_default=1, validate=validate.Range(min=1, max=INT_MAX))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        number = page_number(str(value))
        if number is None:
            raise ma.ValidationError(f"Must be a page number, from 1 to {INT_MAX}.")
        return number


class PageArgsSchema(ma.Schema):
    page = PageNumber()
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


class Link(fields.String):
    """The URL of ``endpoint`` for the object dumped; ``values`` name the object's attributes
    that fill the endpoint's URL values, e.g. ``Link("api.PostItem", post_id="id")``."""

    def __init__(self, endpoint: str, **values: str) -> None:
        super().__init__(required=True)
        self.endpoint = endpoint
        self.values = values

    def serialize(self, attr: str, obj: Any, accessor: Any = None, **kwargs: Any) -> str:
        return url_for(
            self.endpoint, **{key: getattr(obj, name) for key, name in self.values.items()}
        )


class LinksOf(fields.Nested):
    """The object's links: its nested schema (of Link fields) reads the object itself."""

    def __init__(self, schema: type[ma.Schema]) -> None:
        super().__init__(schema, required=True)

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return obj


class AuthorSchema(ma.Schema):
    username = fields.String(required=True)


class TagSchema(ma.Schema):
    title = fields.String()


class PostLinksSchema(ma.Schema):
    self = Link("api.PostItem", post_id="id")
    comments = Link("api.PostComments", post_id="id")


class PostSchema(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "Markdown source"})
    html = fields.String(required=True, metadata={"description": "The text as sanitised HTML"})
    publish_date = fields.AwareDateTime(required=True)
    author = fields.Nested(AuthorSchema, attribute="user", required=True)
    tags = fields.Pluck(TagSchema, "title", many=True, required=True)
    comment_count = fields.Integer(required=True)
    links = LinksOf(PostLinksSchema)


class CommentLinksSchema(ma.Schema):
    self = Link("api.CommentItem", comment_id="id")
    post = Link("api.PostItem", post_id="post_id")


class CommentSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    text = fields.String(required=True)
    date = fields.AwareDateTime(required=True)
    post_id = fields.Integer(required=True)
    links = LinksOf(CommentLinksSchema)


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
