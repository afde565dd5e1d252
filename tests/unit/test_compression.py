"""Responses come compressed when the client asks (gzip, brotli), as the same bytes once
decoded, with the security headers intact; never a page that carries a CSRF token."""

from __future__ import annotations

import gc
import gzip
from pathlib import Path

import brotli
import pytest

from tests.factories import CommentFactory, PostFactory

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.fixture
def posts():
    return PostFactory.create_batch(5)


@pytest.mark.usefixtures("posts")
@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("url", ["/blog/", "/api/post"])
def test_pages_and_json_come_compressed_as_asked_and_decode_to_the_same_body(client, url, encoding):
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": encoding})
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data)
    assert DECODE[encoding](packed.data) == plain.data


def test_brotli_is_chosen_when_the_client_takes_it_and_gzip(client, posts):
    response = client.get("/blog/", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "br"


@pytest.mark.usefixtures("posts")
def test_nothing_is_compressed_for_a_client_that_does_not_ask(client):
    response = client.get("/blog/")
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"<html" in response.data


def test_small_responses_are_sent_as_they_are(client):
    response = client.get("/api/post", headers={"Accept-Encoding": "gzip"})
    assert len(response.data) < 500
    assert "Content-Encoding" not in response.headers


@pytest.mark.usefixtures("posts")
def test_compressed_pages_keep_every_security_header(client):
    response = client.get("/blog/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("file", ["css/bootstrap.min.css", "js/bootstrap.min.js"])
def test_stylesheets_and_scripts_come_compressed(app, client, file, encoding):
    content = (Path(app.blueprints["bootstrap"].static_folder) / file).read_bytes()
    with client.get(f"/bootstrap/static/{file}", headers={"Accept-Encoding": encoding}) as response:
        assert response.headers["Content-Encoding"] == encoding
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert DECODE[encoding](response.data) == content


@pytest.mark.usefixtures("csrf_on")
def test_a_page_with_a_csrf_token_is_never_compressed(client, posts, log_in_as):
    """The post page's comment form, and a logged-in user's log-out form, carry the token
    (BREACH: a compressed secret beside text others can write there leaks its length)."""
    CommentFactory.create_batch(5, post=posts[0])
    response = client.get(f"/blog/post/{posts[0].id}", headers={"Accept-Encoding": "gzip"})
    assert b'name="csrf_token"' in response.data
    assert "Content-Encoding" not in response.headers
    log_in_as("poster")
    response = client.get("/blog/", headers={"Accept-Encoding": "gzip, br"})
    assert b'name="csrf_token"' in response.data
    assert "Content-Encoding" not in response.headers


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_static_file_is_closed_once_sent_compressed_or_not(client, encoding):
    """Read whole to be compressed, the file must still be closed with its response: a file
    left open is a ResourceWarning when it is collected, which fails the test here."""
    with client.get("/static/css/blog.css", headers={"Accept-Encoding": encoding}) as response:
        assert response.status_code == 200
    del response
    gc.collect()
