"""API clients are scripts, not browsers: their Bearer token is the proof, and no CSRF token
is asked of them even where the site's forms need one."""

from __future__ import annotations

import pytest

from app.models import Post
from tests.support.api import admin_headers
from tests.support.database import row_count


@pytest.mark.usefixtures("csrf_on")
def test_an_api_write_needs_no_csrf_token(client):
    response = client.post("/api/post", json={"title": "From a script"}, headers=admin_headers())
    assert response.status_code == 201
    assert row_count(Post, Post.title == "From a script") == 1


@pytest.mark.usefixtures("csrf_on")
def test_a_site_form_still_needs_one(client, log_in_as):
    log_in_as("poster")
    response = client.post("/blog/new", data={"title": "From a page", "text": "Hi"})
    assert response.status_code == 400
    assert row_count(Post, Post.title == "From a page") == 0
