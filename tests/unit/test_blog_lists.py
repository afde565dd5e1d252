"""The tag and user pages: their posts newest first, paginated, and a 404 for unknown names."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import PosterFactory, PostFactory, TagFactory
from tests.support.html import get_page, hrefs, text_of

pytestmark = pytest.mark.postgresql

PAGER = 'nav[aria-label="Pagination"]'


def test_tag_page_lists_only_the_tags_posts_newest_first(client):
    flask = TagFactory(title="Flask")
    older = PostFactory(tags=[flask])
    PostFactory(tags=[TagFactory()])
    newer = PostFactory(tags=[flask, TagFactory()])
    page = get_page(client, "/blog/tag/Flask")
    assert text_of(page, "h1") == ["Posts tagged Flask"]
    assert text_of(page, "article.post h2 a") == [newer.title, older.title]
    assert page.select(PAGER) == []


def test_tag_page_is_paginated_with_the_page_in_the_query(client):
    flask = TagFactory(title="Flask")
    posts = PostFactory.create_batch(11, tags=[flask])
    first = get_page(client, "/blog/tag/Flask")
    assert len(first.select("article.post")) == 10
    assert hrefs(first, f'{PAGER} a[rel="next"]') == ["/blog/tag/Flask?page=2"]
    second = get_page(client, "/blog/tag/Flask?page=2")
    assert text_of(second, "article.post h2 a") == [posts[0].title]
    assert hrefs(second, f'{PAGER} a[rel="prev"]') == ["/blog/tag/Flask"]


def test_tag_names_with_slashes_spaces_and_symbols_have_working_links(client):
    odd = TagFactory(title="C/C++ & Co? #1 ü")
    post = PostFactory(tags=[odd])
    home = get_page(client, "/blog/")
    [link] = hrefs(home, "article.post a.tag")
    assert link == "/blog/tag/C/C++%20&%20Co%3F%20%231%20%C3%BC"
    page = get_page(client, link)
    assert text_of(page, ".tag-title") == ["C/C++ & Co? #1 ü"]
    assert text_of(page, "article.post h2 a") == [post.title]


def test_tag_without_posts_says_so(client):
    TagFactory(title="Lonely")
    assert "No posts yet." in text_of(get_page(client, "/blog/tag/Lonely"), "main .col-lg-8")[0]


def test_tag_names_are_matched_exactly(client):
    TagFactory(title="Flask")
    assert client.get("/blog/tag/flask").status_code == 404


@pytest.mark.parametrize("prefix", ["/blog/tag/", "/blog/user/"])
@pytest.mark.parametrize("name", ["a%00b", "x" * 5000, "%F0%9F%90%8D", "%C3%28"])
def test_names_no_tag_or_user_can_have_are_not_found(client, prefix, name):
    """NUL is a string PostgreSQL refuses outright, and overlong or odd names match nothing."""
    page = get_page(client, prefix + name, status=404)
    assert text_of(page, "h1") == ["404 Not Found"]


def test_unknown_tag_is_not_found(client):
    page = get_page(client, "/blog/tag/nothing-here", status=404)
    assert text_of(page, "h1") == ["404 Not Found"]
    assert "There is no tag 'nothing-here'." in text_of(page, "main")[0]


OUT_OF_RANGE = [
    "page=0",
    "page=3",
    "page=-1",
    "page=abc",
    "page=",
    "page=+2",
    "page=%C2%B2",
    "page=2147483648",
    "page=99999999999999999999",
    "page=" + "9" * 5000,
]


def test_tag_pages_out_of_range_are_not_found(client):
    """Two pages of posts; each query names no page of them."""
    PostFactory.create_batch(11, tags=[TagFactory(title="Flask")])
    statuses = {query: client.get(f"/blog/tag/Flask?{query}").status_code for query in OUT_OF_RANGE}
    assert statuses == dict.fromkeys(OUT_OF_RANGE, 404)


def test_user_page_lists_only_the_users_posts_newest_first(client):
    alice = PosterFactory(username="alice")
    older = PostFactory(user=alice)
    PostFactory()
    newer = PostFactory(user=alice)
    page = get_page(client, "/blog/user/alice")
    assert text_of(page, "h1") == ["Posts by alice"]
    assert text_of(page, "article.post h2 a") == [newer.title, older.title]
    assert set(text_of(page, "article.post a.author")) == {"alice"}


def test_user_page_finds_the_user_whatever_the_case(client):
    PostFactory(user=PosterFactory(username="Alice"))
    assert text_of(get_page(client, "/blog/user/aLICE"), "h1") == ["Posts by Alice"]


def test_user_page_is_paginated_with_the_page_in_the_query(client):
    alice = PosterFactory(username="alice")
    posts = PostFactory.create_batch(11, user=alice)
    first = get_page(client, "/blog/user/alice")
    assert hrefs(first, f'{PAGER} a[rel="next"]') == ["/blog/user/alice?page=2"]
    second = get_page(client, "/blog/user/alice?page=2")
    assert text_of(second, "article.post h2 a") == [posts[0].title]


def test_user_without_posts_says_so(client):
    PosterFactory(username="quiet")
    assert "No posts yet." in text_of(get_page(client, "/blog/user/quiet"), "main .col-lg-8")[0]


def test_unknown_user_is_not_found(client):
    page = get_page(client, "/blog/user/nobody", status=404)
    assert "There is no user 'nobody'." in text_of(page, "main")[0]


@pytest.mark.parametrize("query", ["page=0", "page=2", "page=x", "page=99999999999999999999"])
def test_user_pages_out_of_range_are_not_found(client, query):
    PostFactory(user=PosterFactory(username="alice"))
    assert client.get(f"/blog/user/alice?{query}").status_code == 404


@pytest.fixture
def flask_post_by_alice() -> None:
    """One post, tagged Flask, by alice: made once for every example, which only reads."""
    PostFactory(tags=[TagFactory(title="Flask")], user=PosterFactory(username="alice"))


@given(page=st.text(st.characters(exclude_categories=["Cs"]), max_size=30))
def test_any_page_parameter_is_a_page_or_not_found(
    client, isolated_example, flask_post_by_alice, page
):
    with isolated_example():
        response = client.get("/blog/tag/Flask", query_string={"page": page})
        assert response.status_code == (200 if page == "1" else 404)


@given(name=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=80))
def test_any_tag_or_user_name_is_a_page_or_not_found(
    client, isolated_example, flask_post_by_alice, name
):
    """Never an error page; runs of slashes are merged by a redirect first."""
    with isolated_example():
        for prefix, known in (("/blog/tag/", ["Flask"]), ("/blog/user/", ["alice", "ALICE"])):
            response = client.get(prefix + quote(name), follow_redirects=True)
            assert response.status_code in (200, 404), (prefix, name)
            if name in known:
                assert response.status_code == 200
