"""What every form of the site shares: the filters and validators of its text fields, and
the page that shows a form."""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import render_template
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError


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


def form_page(template: str, form: FlaskForm, **context: Any) -> tuple[str, int]:
    """The page of ``form``: 200 when first shown, 422 when shown again with its errors after
    a refused submission (every form of the site)."""
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status
