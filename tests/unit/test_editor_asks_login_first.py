"""An anonymous visitor to the editor is sent to log in before any post is looked up: the
answer is the same whether or not the post exists, so it tells nothing about which ids do.
(Refusals of existing posts, role by role, are in test_permissions.py.)"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest


def login_next(response) -> list[str]:
    """The ``next`` of a redirect to the login page (fails on any other answer)."""
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    return parse_qs(location.query)["next"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_editing_a_missing_post_anonymously_asks_to_log_in_not_404(client, method):
    response = client.open("/blog/edit/999", method=method, data={"title": "t", "text": "x"})
    assert login_next(response) == ["/blog/edit/999"]


def test_deleting_a_missing_post_anonymously_asks_to_log_in_not_404(client):
    assert login_next(client.post("/blog/delete/999")) == ["/blog/post/999"]


def test_the_login_page_says_why_it_was_asked_for(client):
    response = client.get("/blog/new", follow_redirects=True)
    assert response.request.path == "/login"
    assert "Please log in to access this page." in response.get_data(as_text=True)
