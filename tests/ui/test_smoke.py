"""The smallest user flow: a visitor opens the blog in a real browser."""

from __future__ import annotations

from tests.ui.pages import HomePage


def test_visitor_opening_the_site_lands_on_the_blog_home(browser, base_url):
    HomePage(browser, base_url).open_root()
    assert browser.current_url == base_url + "/blog/"
    assert "Mastering Flask Blog" in browser.title
