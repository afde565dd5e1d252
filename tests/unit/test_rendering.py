"""Markdown rendering and sanitising: formatting survives, scripts never do."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import rendering
from app.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    markdown_excerpt,
    render_markdown,
)


def test_markdown_becomes_html():
    html = render_markdown("# Title\n\nSome *emphasis* and [a link](https://example.org).")
    assert "<h1>Title</h1>" in html
    assert "<em>emphasis</em>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<svg onload="alert(1)"></svg>', "<svg"),
        ('<a href="data:text/html,x">x</a>', "data:"),
        ('<p style="color:red" onclick="x()">hi</p>', "onclick"),
    ],
)
def test_dangerous_html_never_survives(source, forbidden):
    assert forbidden not in render_markdown(source).lower()


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@given(st.text(alphabet=st.sampled_from("<>/=\"' :;()[]*#abcdefhijlnoprstv\n"), max_size=300))
def test_any_source_yields_only_allowlisted_tags_attributes_and_links(source):
    parser = _TagCollector()
    parser.feed(render_markdown(source))
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
            scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value or "")
            if name == "href" and scheme:
                assert scheme.group(1).lower() in ALLOWED_URL_SCHEMES


def test_excerpt_is_the_plain_text_of_short_markdown():
    assert markdown_excerpt("# Title\n\nSome *emphasis* & <b>bold</b>.") == (
        "Title Some emphasis & bold."
    )


def test_excerpt_drops_scripts_with_their_content_and_keeps_escaped_text_as_text():
    assert markdown_excerpt("<script>alert(1)</script>\n\nHi &lt;b&gt;") == "Hi <b>"


def test_excerpt_of_long_text_is_cut_at_a_word_boundary():
    excerpt = markdown_excerpt("alpha beta gamma delta", length=12)
    assert excerpt == "alpha beta…"


def test_excerpt_of_one_long_word_is_cut_inside_it():
    assert markdown_excerpt("x" * 50, length=10) == "x" * 10 + "…"


def test_excerpt_of_text_exactly_the_length_is_whole():
    assert markdown_excerpt("abcde", length=5) == "abcde"


def test_one_thread_reuses_one_markdown_converter():
    """Building a Markdown object per call cost half of the home page's rendering time."""
    assert rendering.markdown_converter() is rendering.markdown_converter()


def test_each_thread_has_a_converter_of_its_own():
    """A Markdown object keeps state while it converts: gunicorn's threads must not share one."""
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(rendering.markdown_converter()))
    thread.start()
    thread.join()
    assert theirs[0] is not rendering.markdown_converter()


@pytest.mark.parametrize(
    "source",
    [
        "```\ncode <b>\n```\n\nthen *text*",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "1. one\n2. two\n\n<div>raw</div>",
    ],
)
def test_a_reused_converter_renders_as_a_fresh_one_does(source):
    """What one text left in the converter (stashed HTML, code blocks) never reaches the next."""
    fresh = markdown.markdown(source, extensions=list(rendering.MARKDOWN_EXTENSIONS))
    for _ in range(3):
        render_markdown("```\nleft over\n```\n\n<p>stash</p>")
        assert render_markdown(source) == rendering.sanitise_html(fresh)


def test_threads_rendering_at_once_each_get_their_own_text():
    def render(number: int) -> bool:
        return all(render_markdown(f"*{number}*") == f"<p><em>{number}</em></p>" for _ in range(50))

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(render, range(16)))


def test_the_excerpt_of_rendered_html_is_the_excerpt_of_its_source():
    source = "# Title\n\n" + "word " * 100
    assert rendering.excerpt_of_html(render_markdown(source)) == markdown_excerpt(source)
