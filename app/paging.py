"""Page numbers in URLs, read one way by the blog's pages and the API: 1 to INT_MAX, in
digits, with no sign or leading zero (so each page has one URL)."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import BaseConverter, ValidationError

from app.models import INT_MAX

PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,9}")


def page_number(text: str) -> int | None:
    """The page ``text`` names, or None when no page can have that number."""
    if PAGE_NUMBER.fullmatch(text) and int(text) <= INT_MAX:
        return int(text)
    return None


class PageConverter(BaseConverter):
    """``<page:page>`` in a route: a page number, else the route does not match (a 404)."""

    regex = PAGE_NUMBER.pattern

    def to_python(self, value: str) -> int:
        number = page_number(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(value)
