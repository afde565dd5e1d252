"""Static files asked again or in part: which answers a browser may keep for a year."""

from __future__ import annotations

from app.static_files import LONG_LIVED
from tests.unit.test_static_files import stylesheets_and_scripts


def versioned_stylesheet(client) -> str:
    return next(url for url in stylesheets_and_scripts(client) if "/static/css/blog.css" in url)


def test_revalidating_a_versioned_url_keeps_it_a_year(client):
    """The 304 carries the year too: it refreshes what the browser keeps (RFC 9111, 4.3.4)."""
    url = versioned_stylesheet(client)
    with client.get(url) as first:
        etag = first.headers["ETag"]
    with client.get(url, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
        assert again.headers["Cache-Control"] == LONG_LIVED


def test_a_range_past_the_end_of_a_versioned_file_is_not_kept(client):
    """A 416 says nothing of the file: no cache may keep it a year."""
    with client.get(versioned_stylesheet(client), headers={"Range": "bytes=99999999-"}) as response:
        assert response.status_code == 416
        assert "immutable" not in response.headers.get("Cache-Control", "")
