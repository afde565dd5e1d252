"""With CSRF protection on, as everywhere but TestConfig, a comment needs the form's token."""

from __future__ import annotations

import pytest

from app.models import Comment
from tests.factories import PostFactory
from tests.support.database import row_count
from tests.support.html import get_page, one, parse, text_of


@pytest.mark.usefixtures("csrf_on")
@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_comment_without_a_valid_token_is_refused_and_not_saved(client, token):
    post = PostFactory()
    data = {"name": "Mallory", "text": "cross-site"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post(f"/blog/post/{post.id}", data=data)
    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert text_of(page, "h1") == ["400 Bad Request"]
    assert "This form has expired or did not come from this site" in text_of(page, "main")[0]
    assert row_count(Comment) == 0


@pytest.mark.usefixtures("csrf_on")
def test_comment_with_the_forms_token_is_saved(client):
    post = PostFactory()
    page = get_page(client, f"/blog/post/{post.id}")
    token = one(page, "#comments form input[name=csrf_token]")["value"]
    response = client.post(
        f"/blog/post/{post.id}", data={"csrf_token": token, "name": "Dora", "text": "hi"}
    )
    assert response.status_code == 302
    assert row_count(Comment) == 1
