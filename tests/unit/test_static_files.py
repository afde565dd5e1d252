"""Static files: URLs that change when the file does, and a year in the browser's cache for
a URL that names the current content."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from app import static_files
from app.static_files import LONG_LIVED
from tests.support.html import get_page

VERSION = re.compile(r"\?v=[0-9a-f]{16}$")


def stylesheets_and_scripts(client) -> list[str]:
    page = get_page(client, "/blog/")
    return [str(link["href"]) for link in page.select("link[rel=stylesheet]")] + [
        str(script["src"]) for script in page.select("script[src]")
    ]


def test_every_stylesheet_and_script_url_names_its_contents(client):
    urls = stylesheets_and_scripts(client)
    assert any(url.startswith("/static/css/blog.css?v=") for url in urls)
    assert any(url.startswith("/bootstrap/static/css/bootstrap.min.css?v=") for url in urls)
    assert any(url.startswith("/bootstrap/static/js/bootstrap.min.js?v=") for url in urls)
    assert all(VERSION.search(url) for url in urls), urls


def test_a_static_url_changes_when_the_files_content_does(app, tmp_path, monkeypatch):
    (tmp_path / "site.css").write_text("body { color: black; }")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    with app.test_request_context():
        before = url_for("static", filename="site.css")
        assert url_for("static", filename="site.css") == before
        (tmp_path / "site.css").write_text("body { color: navy; }")
        after = url_for("static", filename="site.css")
    assert VERSION.search(before)
    assert VERSION.search(after)
    assert after != before


@pytest.mark.parametrize("filename", ["missing.css", "../app.py", "css"])
def test_no_version_for_what_is_not_a_static_file(app, filename):
    with app.test_request_context():
        assert "v=" not in url_for("static", filename=filename)


def test_a_versioned_static_url_is_cached_for_a_year(client):
    for url in stylesheets_and_scripts(client):
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == LONG_LIVED
            assert response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("query", ["", "?v=0123456789abcdef"])
def test_an_unversioned_or_outdated_static_url_is_revalidated(client, query):
    """A browser holding an old URL must not keep an old file for a year."""
    with client.get("/static/css/blog.css" + query) as response:
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert response.headers["ETag"]


def test_a_missing_static_file_is_a_plain_404(client):
    response = client.get("/static/css/missing.css?v=0123456789abcdef")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_a_version_the_caller_gives_is_kept(app):
    with app.test_request_context():
        assert url_for("static", filename="css/blog.css", v="pinned").endswith("?v=pinned")


def test_a_static_file_is_read_once_per_version(app, tmp_path, monkeypatch):
    """Each page names its stylesheets and scripts: their contents are hashed once, not per
    page, until the file changes."""
    (tmp_path / "once.css").write_text("body { color: black; }")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    opened: list[str] = []

    def counting_open(path, *args):
        opened.append(path)
        return open(path, *args)

    monkeypatch.setattr(static_files, "open", counting_open, raising=False)
    with app.test_request_context():
        urls = {url_for("static", filename="once.css") for _ in range(3)}
    assert len(urls) == 1
    assert len(opened) == 1
