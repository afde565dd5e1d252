"""The page cache's generation and what it stores: a generation the cache lost (evicted,
restarted) starts afresh every time, so no part stored before is read again; one made lasts
until the next write, so cached parts are read for their whole timeout; a whole page is only
a 200 page of the blog, stored once, never again each time it is sent."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from flask import template_rendered

from app.caching import GENERATION_KEY
from app.extensions import cache
from tests.factories import PostFactory
from tests.unit.test_page_cache import change_title_unannounced, titles_on


def test_a_generation_lost_twice_in_a_row_still_shows_the_change_between(client):
    post = PostFactory(title="Before")
    cache.delete(GENERATION_KEY)
    assert titles_on(client, "/blog/") == ["Before"]
    change_title_unannounced(post, "After")
    cache.delete(GENERATION_KEY)
    assert titles_on(client, "/blog/") == ["After"]


def test_a_generation_made_after_one_was_lost_keeps_serving_parts_until_their_timeout(app, client):
    """Not only for a second: a generation that expired on its own would render every page
    afresh (the change the cache was not told of would show)."""
    with time_machine.travel(datetime(2026, 11, 29, 18, 0, tzinfo=UTC), tick=False) as clock:
        post = PostFactory(title="Before")
        cache.delete(GENERATION_KEY)
        assert titles_on(client, "/blog/") == ["Before"]
        change_title_unannounced(post, "After")
        clock.shift(app.config["CACHE_DEFAULT_TIMEOUT"] - 10)
        assert titles_on(client, "/blog/") == ["Before"]


def test_pages_outside_the_blog_are_rendered_for_every_visitor(app):
    """Even for a visitor without cookies, and with no form token in the session (CSRF off
    here): the login page is never sent whole from the page cache."""
    rendered: list[str] = []

    def note(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(note, app):
        for _ in range(2):
            assert app.test_client().get("/login").status_code == 200
    assert rendered == ["main/login.html"] * 2


def test_a_missing_post_stays_a_404_for_a_visitor_without_cookies(app):
    """Only a 200 page is stored whole: a stored 404 would come back as a 200."""
    for _ in range(2):
        response = app.test_client().get("/blog/post/999")
        assert response.status_code == 404


def test_a_whole_page_expires_its_timeout_after_it_was_rendered_however_often_it_is_read(app):
    """A page sent from the cache is not stored again (which would keep it for ever)."""
    timeout = app.config["CACHE_DEFAULT_TIMEOUT"]
    with time_machine.travel(datetime(2026, 11, 29, 18, 0, tzinfo=UTC), tick=False) as clock:
        post = PostFactory(title="Before")
        assert titles_on(app.test_client(), "/blog/") == ["Before"]
        change_title_unannounced(post, "After")
        clock.shift(timeout - 10)
        assert titles_on(app.test_client(), "/blog/") == ["Before"]
        clock.shift(20)
        assert titles_on(app.test_client(), "/blog/") == ["After"]
