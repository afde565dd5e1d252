"""The smallest user flow: a visitor opens the blog in a real browser."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui


def test_visitor_opening_the_site_lands_on_the_blog_home(browser, live_server_url):
    browser.get(live_server_url + "/")
    assert browser.current_url == live_server_url + "/blog/"
    assert "Mastering Flask Blog" in browser.title
    assert "No posts yet." in browser.page_source
