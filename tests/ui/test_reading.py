"""Flows of reading: a visitor comments, pages through the posts, follows tag and author links."""

from __future__ import annotations

from tests.ui.pages import HomePage, PostListPage
from tests.ui.site import unique


def test_visitor_comments_on_a_post_and_sees_the_comment_first(browser, base_url, site):
    title = unique("Open for comments")
    post = site.write_post(title)
    site.comment(post, "Earlier reader", "An earlier comment")

    page = HomePage(browser, base_url).open().open_post(title)
    page.add_comment("Visitor", "My fresh comment")

    assert page.path_now.startswith(f"/blog/post/{post}")
    texts = page.comment_texts()
    assert len(texts) == 2
    assert "Visitor" in texts[0]
    assert "My fresh comment" in texts[0]
    assert "An earlier comment" in texts[1]


def test_pager_walks_next_and_back_across_three_pages_of_posts(browser, base_url, site):
    """On a tag's page: the home page of a shared server lists other people's posts too."""
    tag = unique("Paged")
    # 10 posts a page: 21 make three pages, the last with one post.
    titles = [f"Paged post {n:02} {tag}" for n in range(1, 22)]
    for title in titles:
        site.write_post(title, tags=(tag,))
    newest_first = titles[::-1]

    tagged = PostListPage(browser, base_url).open(f"/blog/tag/{tag}")
    assert tagged.titles() == newest_first[:10]
    assert tagged.has_next()
    assert not tagged.has_previous()

    tagged.next_page()
    assert tagged.titles() == newest_first[10:20]
    assert tagged.has_next()
    assert tagged.has_previous()

    tagged.next_page()
    assert tagged.titles() == newest_first[20:]
    assert not tagged.has_next()
    assert tagged.has_previous()

    tagged.previous_page()
    assert tagged.titles() == newest_first[10:20]
    tagged.previous_page()
    assert tagged.titles() == newest_first[:10]
    assert tagged.path_now == f"/blog/tag/{tag}"


def test_tag_and_author_links_list_only_that_tags_and_that_authors_posts(
    browser, base_url, site, accounts
):
    """Two seeded writers (poster and admin) as the authors: their pages list other posts
    of theirs too, so only this flow's posts (named with ``mark``) are compared."""
    mark, flask, python = unique("links"), unique("Flask"), unique("Python")
    ada = accounts["poster"].username
    site.write_post(f"Ada on Flask {mark}", tags=(flask,), role="poster")
    site.write_post(f"Bob on Flask and Python {mark}", tags=(flask, python), role="admin")
    site.write_post(f"Ada on Python {mark}", tags=(python,), role="poster")

    home = HomePage(browser, base_url).open()
    by_ada = home.follow_author(in_post=f"Ada on Flask {mark}")
    assert by_ada.path_now == f"/blog/user/{ada}"
    assert [t for t in by_ada.titles() if mark in t] == [
        f"Ada on Python {mark}",
        f"Ada on Flask {mark}",
    ]

    tagged = by_ada.follow_tag(python, in_post=f"Ada on Python {mark}")
    assert tagged.path_now == f"/blog/tag/{python}"
    assert tagged.titles() == [f"Ada on Python {mark}", f"Bob on Flask and Python {mark}"]
