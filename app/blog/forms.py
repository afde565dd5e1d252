"""The blog's reader-facing forms."""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.models import COMMENT_NAME_MAX, COMMENT_TEXT_MAX


def strip(value: str | None) -> str | None:
    return None if value is None else value.strip()


def normalise_text(value: str | None) -> str | None:
    """Browsers send line breaks as CRLF; keep LF only, and no surrounding blank space."""
    if value is None:
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def at_most(limit: int) -> str:
    return f"Please keep it to at most {limit:,} characters."


class NoControlCharacters:
    """Refuses control characters other than ``allowed``: NUL breaks PostgreSQL, and the
    others garble pages."""

    def __init__(self, allowed: str = "") -> None:
        self.allowed = allowed

    def __call__(self, form: Any, field: Field) -> None:
        if any(
            unicodedata.category(char) == "Cc" and char not in self.allowed
            for char in field.data or ""
        ):
            raise ValidationError("Please remove the control characters from this field.")


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
