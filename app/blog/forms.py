"""The blog's forms: a comment, and a post (title, Markdown text, comma-separated tags)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.forms import NoControlCharacters, at_most, normalise_text, strip
from app.models import (
    COMMENT_NAME_MAX,
    COMMENT_TEXT_MAX,
    POST_TEXT_MAX,
    TAG_MAX,
    TITLE_MAX,
    Post,
    clean_tag_titles,
)


class CommentForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired("Please give your name."),
            Length(max=COMMENT_NAME_MAX, message="Please keep it to at most %(max)d characters."),
            NoControlCharacters(),
        ],
    )
    text = TextAreaField(
        "Comment",
        filters=[normalise_text],
        validators=[
            DataRequired("Please write a comment."),
            Length(max=COMMENT_TEXT_MAX, message=at_most(COMMENT_TEXT_MAX)),
            NoControlCharacters(allowed="\n\t"),
        ],
    )
    submit = SubmitField("Post comment")


def split_tags(value: str | None) -> list[str]:
    """The tag titles of a comma-separated field, cleaned as tags are stored."""
    return clean_tag_titles((value or "").split(","))


def _tags_fit(form: Any, field: Field) -> None:
    too_long = [title for title in split_tags(field.data) if len(title) > TAG_MAX]
    if too_long:
        raise ValidationError(
            f"Each tag must be at most {TAG_MAX} characters; shorten {too_long[0][:20]!r}..."
        )


class PostForm(FlaskForm):
    title = StringField(
        "Title",
        filters=[strip],
        validators=[DataRequired(), Length(min=1, max=TITLE_MAX), NoControlCharacters()],
    )
    text = TextAreaField(
        "Text (Markdown)",
        filters=[normalise_text],
        validators=[
            DataRequired(),
            Length(max=POST_TEXT_MAX, message=at_most(POST_TEXT_MAX)),
            NoControlCharacters(allowed="\n\t"),
        ],
        render_kw={"rows": 12},
    )
    tags = StringField(
        "Tags",
        description="Separated by commas, e.g. flask, testing",
        validators=[_tags_fit],
    )
    # Save comes first: pressing Enter in a field saves, as in every other form.
    submit = SubmitField("Save")
    preview = SubmitField("Preview")

    @classmethod
    def for_post(cls, post: Post) -> PostForm:
        """The form prefilled with the post (a submitted form's values still win)."""
        tags = ", ".join(tag.title for tag in post.tags)
        return cls(data={"title": post.title, "text": post.text, "tags": tags})

    @property
    def tag_titles(self) -> list[str]:
        return split_tags(self.tags.data)
