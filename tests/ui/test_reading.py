"""Flows of reading: a visitor comments, pages through the posts, follows tag and author links."""

from __future__ import annotations

import pytest

from tests.factories import CommentFactory, PosterFactory, PostFactory, TagFactory
from tests.ui.pages import HomePage

pytestmark = pytest.mark.needs_db


def test_visitor_comments_on_a_post_and_sees_the_comment_first(browser, base_url):
    post = PostFactory(title="Open for comments")
    CommentFactory(post=post, name="Earlier reader", text="An earlier comment")

    page = HomePage(browser, base_url).open().open_post("Open for comments")
    page.add_comment("Visitor", "My fresh comment")

    assert page.path_now.startswith(f"/blog/post/{post.id}")
    texts = page.comment_texts()
    assert len(texts) == 2
    assert "Visitor" in texts[0]
    assert "My fresh comment" in texts[0]
    assert "An earlier comment" in texts[1]


def test_pager_walks_next_and_back_across_25_posts(browser, base_url):
    author = PosterFactory()
    titles = [PostFactory(title=f"Paged post {n:02}", user=author).title for n in range(1, 26)]
    newest_first = titles[::-1]

    home = HomePage(browser, base_url).open()
    assert home.titles() == newest_first[:10]
    assert home.has_next()
    assert not home.has_previous()

    home.next_page()
    assert home.titles() == newest_first[10:20]
    assert home.has_next()
    assert home.has_previous()

    home.next_page()
    assert home.titles() == newest_first[20:]
    assert not home.has_next()
    assert home.has_previous()

    home.previous_page()
    assert home.titles() == newest_first[10:20]
    home.previous_page()
    assert home.titles() == newest_first[:10]
    assert home.path_now == "/blog/"


def test_tag_and_author_links_list_only_that_tags_and_that_authors_posts(browser, base_url):
    flask, python = TagFactory(title="Flask"), TagFactory(title="Python")
    ada, bob = PosterFactory(username="ada"), PosterFactory(username="bob")
    PostFactory(title="Ada on Flask", user=ada, tags=[flask])
    PostFactory(title="Bob on Flask and Python", user=bob, tags=[flask, python])
    PostFactory(title="Ada on Python", user=ada, tags=[python])

    home = HomePage(browser, base_url).open()
    by_ada = home.follow_author(in_post="Ada on Flask")
    assert by_ada.path_now == "/blog/user/ada"
    assert by_ada.titles() == ["Ada on Python", "Ada on Flask"]

    tagged = by_ada.follow_tag("Python", in_post="Ada on Python")
    assert tagged.path_now == "/blog/tag/Python"
    assert tagged.titles() == ["Ada on Python", "Bob on Flask and Python"]
