"""A post's HTML and excerpt are rendered once, when its text is set, by every path that sets
it; pages and the API show what is stored and render no Markdown while they are served."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app import rendering
from app.extensions import db
from app.models import Post
from app.rendering import markdown_excerpt, render_markdown
from tests.factories import PosterFactory, PostFactory, TagFactory
from tests.support.api import bearer, token_for

MARKDOWN = "# Title\n\nSome *Markdown* <script>alert(1)</script>" + " and more words" * 30


def stored(post_id: int) -> tuple[str, str, str]:
    """(text, html, excerpt) as the database has them."""
    db.session.expire_all()
    row = db.session.execute(
        select(Post.text, Post.html, Post.excerpt).where(Post.id == post_id)
    ).one()
    text, html, excerpt = row
    return text, html, excerpt


def rendered(text: str) -> tuple[str, str, str]:
    return text, str(render_markdown(text)), markdown_excerpt(text)


def test_a_factory_post_stores_its_rendering():
    post = PostFactory(text=MARKDOWN)
    assert stored(post.id) == rendered(MARKDOWN)
    assert "<script" not in stored(post.id)[1]


def test_changing_the_text_renders_it_again():
    post = PostFactory(text="old")
    post.text = "*new*"
    db.session.commit()
    assert stored(post.id) == rendered("*new*")


def test_a_post_without_text_stores_empty_html_and_excerpt():
    post = Post(title="Empty", user=PosterFactory())
    db.session.add(post)
    db.session.commit()
    assert stored(post.id) == ("", "", "")


def test_the_editor_stores_the_rendering_on_create_and_on_edit(client, log_in_as):
    log_in_as("poster")
    response = client.post("/blog/new", data={"title": "T", "text": MARKDOWN, "tags": ""})
    post_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert stored(post_id) == rendered(MARKDOWN)

    client.post(f"/blog/edit/{post_id}", data={"title": "T", "text": "**bold**", "tags": ""})
    assert stored(post_id) == rendered("**bold**")


def test_the_api_stores_the_rendering_on_post_and_on_put(client):
    headers = bearer(token_for(PosterFactory()))
    created = client.post("/api/post", json={"title": "T", "text": MARKDOWN}, headers=headers)
    post_id = created.get_json()["id"]
    assert stored(post_id) == rendered(MARKDOWN)
    assert created.get_json()["html"] == stored(post_id)[1]

    changed = client.put(f"/api/post/{post_id}", json={"text": "`code`"}, headers=headers)
    assert stored(post_id) == rendered("`code`")
    assert changed.get_json()["html"] == "<p><code>code</code></p>"


@pytest.fixture
def stored_post() -> int:
    """A tagged post of "writer" whose stored html and excerpt differ from its text's."""
    post = PostFactory(
        text="the source", user=PosterFactory(username="writer"), tags=[TagFactory(title="shown")]
    )
    post_id = post.id
    db.session.execute(
        update(Post)
        .where(Post.id == post_id)
        .values(html="<p>the <b>stored</b> html</p>", excerpt="the stored excerpt")
    )
    db.session.commit()
    db.session.expunge_all()
    return post_id


@pytest.fixture
def no_rendering(monkeypatch):
    """Any Markdown rendering from here on fails the test."""

    def refuse():
        raise AssertionError("Markdown was rendered while a page was served")

    monkeypatch.setattr(rendering, "markdown_converter", refuse)


@pytest.mark.parametrize(
    "url",
    ["/blog/", "/blog/tag/shown", "/blog/user/writer", "/blog/post/{id}", "/api/post",
     "/api/post/{id}"],
)  # fmt: skip
def test_pages_and_the_api_show_the_stored_html_and_excerpt_without_rendering(
    client, url, stored_post, no_rendering
):
    response = client.get(url.format(id=stored_post))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    if "/post/" in url and url.startswith("/blog"):
        assert "<p>the <b>stored</b> html</p>" in body
    elif url.startswith("/blog"):
        assert "the stored excerpt" in body
    else:
        assert "<p>the <b>stored</b> html</p>" in str(response.get_json())
