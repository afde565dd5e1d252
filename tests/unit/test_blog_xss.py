"""Every user-supplied string reaches the pages as text: script tags, on* attributes,
javascript: links and SVG payloads in a post's title, text and tags, a username and a
comment never become markup that runs."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from tests.factories import CommentFactory, PosterFactory, PostFactory, TagFactory
from tests.support.html import get_page, one, parse

PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "<svg onload=alert(1)>",
    '"><svg/onload=alert(1)>',
    "' onmouseover='alert(1)",
    "<iframe src=javascript:alert(1)></iframe>",
]
ACTIVE_TAGS = {"svg", "iframe", "object", "embed", "img", "math", "base", "form"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


def assert_nothing_runs(page: BeautifulSoup) -> None:
    """No element or attribute the payloads could have planted is on the page."""
    for script in page.find_all("script"):
        assert str(script.get("src", "")).startswith("/bootstrap/"), script
        assert not script.get_text(strip=True), script
    for element in page.find_all(True):
        assert element.name not in ACTIVE_TAGS or str(element.get("action", "")).startswith(
            ("/blog/post/", "/logout")
        ), element
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), element
            if name.lower() in URL_ATTRIBUTES:
                assert not "".join(str(value).split()).lower().startswith("javascript:"), element


@pytest.fixture(params=PAYLOADS)
def hostile_blog(request, client) -> dict[str, str]:
    """A post whose every field carries the payload, and the pages that show it."""
    payload = request.param
    author = PosterFactory(username=payload[:64])
    post = PostFactory(
        user=author,
        title=payload,
        text=f"{payload}\n\n{payload}",
        tags=[TagFactory(title=payload[:64])],
    )
    CommentFactory(post=post, name=payload, text=payload)
    summary = one(get_page(client, "/blog/"), "article.post")
    return {
        "payload": payload,
        "home": "/blog/",
        "post": f"/blog/post/{post.id}",
        "tag": one(summary, "a.tag")["href"],
        "user": one(summary, "a.author")["href"],
    }


@pytest.mark.parametrize("page", ["home", "post", "tag", "user"])
def test_payloads_in_posts_tags_usernames_and_comments_show_as_text(client, hostile_blog, page):
    shown = get_page(client, hostile_blog[page])
    assert_nothing_runs(shown)
    # The payload was escaped, not dropped: a visitor reads it as typed.
    assert hostile_blog["payload"] in shown.get_text()


def test_payload_posted_as_a_comment_shows_as_text(client):
    post = PostFactory()
    for payload in PAYLOADS:
        response = client.post(f"/blog/post/{post.id}", data={"name": payload, "text": payload})
        assert response.status_code == 302
    page = get_page(client, f"/blog/post/{post.id}")
    assert_nothing_runs(page)
    shown = [comment.get_text() for comment in page.select("div.comment .comment-text")]
    assert shown == list(reversed(PAYLOADS))


def test_the_checker_catches_each_kind_of_planted_markup():
    """A checker that let markup through would make the tests above pass on a broken page."""
    for html in [
        "<script>alert(1)</script>",
        "<svg></svg>",
        "<img src=x>",
        '<p onclick="x">',
        '<a href=" JavaScript:alert(1)">',
        '<form action="https://evil.example/"></form>',
    ]:
        with pytest.raises(AssertionError):
            assert_nothing_runs(parse(html))
    assert_nothing_runs(parse('<script src="/bootstrap/static/js/bootstrap.min.js"></script>'))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_unknown_tag_and_user_names_show_as_text_on_the_404_page(client, payload):
    for prefix in ("/blog/tag/", "/blog/user/"):
        page = get_page(client, prefix + quote(payload), status=404)
        assert_nothing_runs(page)
        assert payload in page.get_text()
