"""Markdown to HTML, sanitised with an explicit allowlist before it reaches any page."""

from __future__ import annotations

import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


MARKDOWN_EXTENSIONS = ("fenced_code", "tables", "sane_lists")
# Building a Markdown object (its extensions, patterns and processors) cost as much as the
# conversion itself. One object keeps state while it converts, so each thread (gunicorn may
# run several per worker) gets its own, reset before every use.
_converters = threading.local()


def markdown_converter() -> markdown.Markdown:
    """This thread's Markdown converter."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS))
    return converter


def render_markdown(text: str) -> Markup:
    """The Markdown source as safe HTML: raw HTML in it is escaped or removed, never trusted."""
    html = markdown_converter().reset().convert(text)
    return Markup(sanitise_html(html))  # noqa: S704  (sanitised by nh3 just above)


EXCERPT_LENGTH = 300


def markdown_excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of the Markdown as plain text, at most ``length`` characters plus "…".

    The result is unescaped text (``<`` stays ``<``): templates escape it like any string.
    It is cut at a word boundary unless that would lose more than half of it.
    """
    return excerpt_of_html(render_markdown(text), length)


def excerpt_of_html(html: str, length: int = EXCERPT_LENGTH) -> str:
    """:func:`markdown_excerpt` of the source ``html`` was rendered from."""
    plain = Markup(html).striptags()  # noqa: S704  (only its text is kept)
    if len(plain) <= length:
        return plain
    cut = plain[:length]
    space = cut.rfind(" ")
    if space > length // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
