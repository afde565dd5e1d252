"""A page past the middle of a list that is not its last (read from the older end, see
test_blog_queries.py) shows exactly its own ten posts, newest first, like any other page."""

from __future__ import annotations

import pytest

from tests.factories import PosterFactory, PostFactory, TagFactory
from tests.support.html import get_page, text_of


@pytest.mark.parametrize("url", ["/blog/3", "/blog/tag/common?page=3", "/blog/user/writer?page=3"])
def test_the_third_of_four_pages_shows_its_ten_posts(client, url):
    writer = PosterFactory(username="writer")
    common = TagFactory(title="common")
    for number in range(1, 36):
        PostFactory(title=f"Post {number}", user=writer, tags=[common])
    page = get_page(client, url)
    assert text_of(page, "article.post h2 a") == [f"Post {n}" for n in range(15, 5, -1)]
