"""The blog's home page: posts newest first, ten a page, with a pager and the sidebar."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import PostFactory, TagFactory
from tests.factories.models import EPOCH
from tests.support.html import get_page, hrefs, one, text_of


def test_home_lists_posts_newest_first_with_title_author_date_and_tags(client):
    python, flask = TagFactory(title="Python"), TagFactory(title="Flask")
    PostFactory(title="Older post", publish_date=EPOCH)
    newer = PostFactory(
        title="Newer post", publish_date=EPOCH + timedelta(days=1), tags=[python, flask]
    )
    page = get_page(client, "/blog/")
    assert text_of(page, "article.post h2 a") == ["Newer post", "Older post"]
    first = page.select("article.post")[0]
    assert hrefs(first, "h2 a") == [f"/blog/post/{newer.id}"]
    assert text_of(first, "a.author") == [newer.user.username]
    assert hrefs(first, "a.author") == [f"/blog/user/{newer.user.username}"]
    assert text_of(first, "time") == ["2015-01-02"]
    assert text_of(first, "a.tag") == ["Flask", "Python"]
    assert hrefs(first, "a.tag") == ["/blog/tag/Flask", "/blog/tag/Python"]
    assert hrefs(first, "a.read-more") == [f"/blog/post/{newer.id}"]


def test_home_shows_a_plain_text_excerpt_of_the_markdown(client):
    PostFactory(text="Some *emphasis* and a [link](https://example.org).\n\n" + "word " * 200)
    excerpt = one(get_page(client, "/blog/"), "article.post .excerpt")
    assert excerpt.get_text().startswith("Some emphasis and a link. word word")
    assert excerpt.get_text().endswith("…")
    assert len(excerpt.get_text()) <= 301
    assert not excerpt.find_all(True), "the excerpt is plain text, without markup"


def test_home_without_posts_says_so_and_has_no_pager(client):
    page = get_page(client, "/blog/")
    assert "No posts yet." in text_of(page, "main")[0]
    assert page.select('nav[aria-label="Pagination"]') == []


def test_home_shows_ten_posts_a_page_and_links_to_the_next(client):
    PostFactory.create_batch(11)
    page = get_page(client, "/blog/")
    assert len(page.select("article.post")) == 10
    assert hrefs(page, 'nav[aria-label="Pagination"] a[rel="next"]') == ["/blog/2"]
    assert page.select('a[rel="prev"]') == []


def test_last_page_has_the_remaining_posts_and_links_back(client):
    posts = PostFactory.create_batch(11)
    page = get_page(client, "/blog/2")
    assert text_of(page, "article.post h2 a") == [posts[0].title]
    assert hrefs(page, 'nav[aria-label="Pagination"] a[rel="prev"]') == ["/blog/"]
    assert page.select('a[rel="next"]') == []


def test_pager_numbers_every_page_and_marks_the_current_one(client):
    PostFactory.create_batch(21)
    page = get_page(client, "/blog/2")
    pager = 'nav[aria-label="Pagination"]'
    assert text_of(page, f"{pager} .page-link") == ["Previous", "1", "2", "3", "Next"]
    assert hrefs(page, f"{pager} a.page-link") == ["/blog/", "/blog/", "/blog/3", "/blog/3"]
    assert text_of(page, f'{pager} [aria-current="page"]') == ["2"]


def test_exactly_ten_posts_fit_on_one_page(client):
    PostFactory.create_batch(10)
    assert get_page(client, "/blog/").select('nav[aria-label="Pagination"]') == []
    assert client.get("/blog/2").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/blog/0",
        "/blog/02",
        "/blog/3",
        "/blog/-1",
        "/blog/two",
        "/blog/99999999",
        "/blog/2147483648",
        "/blog/99999999999999999999",
        "/blog/" + "9" * 5000,
    ],
)
def test_pages_out_of_range_are_not_found(client, url):
    PostFactory.create_batch(11)
    page = get_page(client, url, status=404)
    assert text_of(page, "h1") == ["404 Not Found"]


def test_page_one_redirects_to_the_canonical_home(client):
    response = client.get("/blog/1")
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/blog/")


def test_sidebar_lists_the_five_most_recent_posts(client):
    posts = PostFactory.create_batch(6)
    page = get_page(client, "/blog/")
    assert text_of(page, "aside .recent-posts a") == [p.title for p in reversed(posts[1:])]
    assert hrefs(page, "aside .recent-posts a")[0] == f"/blog/post/{posts[-1].id}"


def test_sidebar_lists_the_five_most_used_tags_with_counts(client):
    tags = [TagFactory(title=f"t{i}") for i in range(6)]
    for i in range(6):  # tag t{n} ends up on n + 1 posts
        PostFactory(tags=tags[i:])
    page = get_page(client, "/blog/")
    assert text_of(page, "aside .top-tags li") == ["t5 6", "t4 5", "t3 4", "t2 3", "t1 2"]
    assert hrefs(page, "aside .top-tags a.tag")[0] == "/blog/tag/t5"


def test_sidebar_of_an_empty_blog_says_there_is_nothing_yet(client):
    sidebar = text_of(get_page(client, "/blog/"), "aside")[0]
    assert "No posts yet." in sidebar
    assert "No tags yet." in sidebar
