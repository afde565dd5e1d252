"""The comment form offers a logged-in user their name on a fresh page only: once they
submit, what they typed is what the form shows again (the anonymous case, and the prefill
itself, are in test_blog_post.py)."""

from __future__ import annotations

from tests.factories import PostFactory
from tests.support.html import one, parse


def test_an_invalid_comment_by_a_logged_in_user_keeps_the_name_they_typed(client, log_in_as):
    post = PostFactory()
    log_in_as("default", username="carol")
    response = client.post(f"/blog/post/{post.id}", data={"name": "Caroline", "text": ""})
    assert response.status_code == 422
    assert one(parse(response.get_data(as_text=True)), "form input#name")["value"] == "Caroline"


def test_a_logged_in_user_who_cleared_the_name_sees_it_empty_with_the_error(client, log_in_as):
    post = PostFactory()
    log_in_as("default", username="carol")
    response = client.post(f"/blog/post/{post.id}", data={"name": "", "text": "Hello"})
    page = parse(response.get_data(as_text=True))
    assert response.status_code == 422
    assert one(page, "form input#name").get("value", "") == ""
